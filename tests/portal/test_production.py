"""The production topology as processes: gunicorn on production settings, PostgreSQL, worker."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection

from outbox.services import outbox_message_queue
from portal.settings import BASE_DIR
from tests.conftest import free_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def wait_for(url: str, *, headers: dict[str, str] | None = None, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}))
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def production_env(subprocess_env, smtp_server, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("production runs on PostgreSQL; this test runs in the PostgreSQL pass")
    env = subprocess_env(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="production-boot-test-" + "s" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
        STATIC_ROOT=str(tmp_path / "static"),
        RETURNS_SHIP_TO="POS Returns, Teststraat 1, 1011 AA Amsterdam",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=120,
    )
    return env


@pytest.fixture
def running(production_env):
    processes: list[subprocess.Popen] = []

    def start(*command: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, *command],
            cwd=BASE_DIR,
            env=production_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=20)


def test_gunicorn_with_production_settings_serves_health_pages_and_static(running):
    port = free_port()
    running("-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2")
    base = f"http://127.0.0.1:{port}"

    health = wait_for(f"{base}/healthz")
    assert health.status == 200
    assert b'"database": "ok"' in health.read()

    # Behind the TLS-terminating proxy, pages are served with HSTS and a hashed stylesheet.
    behind_proxy = {"X-Forwarded-Proto": "https"}
    home = wait_for(f"{base}/nl/", headers=behind_proxy)
    html = home.read().decode()
    assert home.status == 200
    assert "Strict-Transport-Security" in home.headers
    stylesheet = html.split('<link rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert stylesheet.startswith("/static/css/site.") and stylesheet != "/static/css/site.css"
    css = wait_for(f"{base}{stylesheet}", headers=behind_proxy | {"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip"
    assert "immutable" in css.headers["Cache-Control"]


def test_the_worker_process_delivers_mail_queued_by_the_web_side(running, smtp_server):
    running("manage.py", "run_worker", "--interval", "0.2", "--no-startup-delay")

    outbox_message_queue(to="merchant@example.be", subject="RMA-000042", body_text="Received.")

    deadline = time.monotonic() + 30
    while not smtp_server.messages and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [m["Subject"] for m in smtp_server.messages] == ["RMA-000042"]
