from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest
from django.core.cache import caches

from guard.forms import GuardedForm
from tests.conftest import free_port


@pytest.fixture(autouse=True)
def _returns_settings(settings) -> None:
    # Tests submit at machine speed and many times from one address.
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.RETURNS_RATE_LIMIT = "1000/h"
    settings.SITE_URL = "https://help.example.com"
    settings.SUPPORT_EMAIL = "pos-support@example.com"
    settings.RETURNS_SHIP_TO = "POS Returns, Teststraat 1, 1011 AA Amsterdam"


@pytest.fixture(autouse=True)
def _empty_rate_limit_counts(django_db_setup, django_db_blocker) -> None:
    # The counts live in a cache table that transactional tests do not empty.
    with django_db_blocker.unblock():
        caches["ratelimit"].clear()


@pytest.fixture
def form_data():
    """A complete, valid return as a merchant would post it; override any field."""

    def build(**overrides: str) -> dict[str, str]:
        return (
            {
                "account_id": "10012345",
                "serial_number": "p2-0123 4567",
                "terminal_model": "p2_smartpad",
                "ticket_reference": "172349",
                "reason": "display",
                "description": "The screen stays black after charging.",
                "contact_name": "Sanne de Vries",
                "company_name": "Bakkerij De Vries",
                "email": "sanne@bakkerij.example.nl",
                "phone": "+31 20 123 4567",
                "street": "Damrak",
                "house_number": "12A",
                "postcode": "1012lg",
                "city": "Amsterdam",
                "country": "NL",
            }
            | GuardedForm.guard_initial()
            | overrides
        )

    return build


@pytest.fixture
def portal_server(subprocess_env) -> Iterator[str]:
    """The portal served by gunicorn in its own processes, on this test's database."""
    port = free_port()
    env = subprocess_env(
        FORM_MIN_FILL_SECONDS="0",
        RETURNS_RATE_LIMIT="1000/h",
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    command = [
        sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", "2", "--threads", "8", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base_url}/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)
