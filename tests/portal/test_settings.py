from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from portal.settings import BASE_DIR

PRODUCTION_SECRET = "production-secret-" + "k" * 40


def run_with_env(*command: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("ALLOWED_HOSTS", None)
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_with_env("check", DJANGO_ENV="production", ALLOWED_HOSTS="help.example.nl")

    assert result.returncode != 0
    assert "refuses to start in production without DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_with_env("check", DJANGO_ENV="production", DJANGO_SECRET_KEY=PRODUCTION_SECRET)

    assert result.returncode != 0
    assert "without ALLOWED_HOSTS and EMAIL_URL" in result.stderr


def test_production_refuses_to_start_without_an_address_for_returned_terminals():
    result = run_with_env(
        "check",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=PRODUCTION_SECRET,
        ALLOWED_HOSTS="help.example.nl",
        EMAIL_URL="smtp://mail.example.nl:587",
    )

    assert result.returncode != 0
    assert "without RETURNS_SHIP_TO" in result.stderr


def test_an_unknown_environment_name_is_refused():
    result = run_with_env("check", DJANGO_ENV="staging")

    assert result.returncode != 0
    assert "DJANGO_ENV must be 'dev' or 'production'" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = run_with_env(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=PRODUCTION_SECRET,
        ALLOWED_HOSTS="help.example.nl",
        EMAIL_URL="smtp://mail.example.nl:587",
        RETURNS_SHIP_TO="POS Returns, Teststraat 1, 1011 AA Amsterdam",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_dev_account_gets_a_new_random_password_each_time():
    outputs = []
    for _ in range(2):
        out = StringIO()
        call_command("dev_account", stdout=out)
        outputs.append(out.getvalue())
    passwords = [line.rsplit("password: ", 1)[1].strip() for line in outputs]

    assert passwords[0] != passwords[1]
    assert len(passwords[1]) >= 16
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_staff
    assert admin.check_password(passwords[1])
    assert not admin.check_password(passwords[0])


def test_cache_url_names_the_shared_cache_in_one_variable():
    from django.core.exceptions import ImproperlyConfigured

    from portal.settings import cache_from_url

    redis = cache_from_url("redis://cache.internal:6379/2?key_prefix=portal")
    assert redis == {
        "BACKEND": "portal.cache.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
        "KEY_PREFIX": "portal",
    }
    files = cache_from_url("file:///srv/portal/cache")
    assert files["BACKEND"] == "portal.cache.FileBasedCache"
    assert files["LOCATION"] == "/srv/portal/cache"
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url("memcached://127.0.0.1:11211")
