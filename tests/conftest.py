"""Fixtures shared by every app's tests: a real SMTP server, the real worker, free ports."""

from __future__ import annotations

import email
import io
import os
import socket
import threading
from collections.abc import Callable, Iterator
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

# Playwright's sync API runs an asyncio event loop in the test thread, and Django refuses ORM
# calls from a thread with a running loop (SynchronousOnlyOperation). The loop only talks to
# the browser; the tests' ORM calls are ordinary blocking calls, so the guard is a false
# alarm here. Set before any test touches the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            message = email.message_from_bytes(envelope.original_content)
            message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
            self.messages.append(message)
        return "250 Message accepted for delivery"


class SmtpServer:
    """An SMTP server on loopback that can be stopped and started again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = _Inbox()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[Message]:
        with self.inbox.lock:
            return list(self.inbox.messages)

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def messages_to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]


def message_text(message: Message) -> str:
    """The plain-text part of a received e-mail, decoded."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


@pytest.fixture(autouse=True)
def _quiet_mail(settings) -> None:
    # Tests that check delivery ask for `smtp_server`; the rest keep mail in memory.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    # A failed delivery waits a minute, so a test sees one attempt per worker run.
    settings.OUTBOX_RETRY_DELAYS = [60.0]


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    yield server
    server.stop()


@pytest.fixture
def run_worker():
    """Run the real background worker until the queue holds nothing that is due."""

    def run() -> str:
        out = io.StringIO()
        call_command("run_worker", "--batch", "--no-startup-delay", stdout=out, stderr=out)
        return out.getvalue()

    return run


def at_once[T](work: Callable[[], T], times: int) -> list[T | Exception]:
    """Run `work` in `times` threads that start together, each on its own database connection.

    What each returned, or the exception it raised. For a transactional test: the threads do
    not see the test's transaction.
    """
    from django.db import connection

    start = threading.Barrier(times)
    outcomes: list[T | Exception] = [RuntimeError("did not finish")] * times

    def run(number: int) -> None:
        try:
            start.wait(timeout=30)
            outcomes[number] = work()
        except Exception as error:
            outcomes[number] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def database_url_for_subprocess() -> str:
    """The URL of the test database this test runs on, for servers and workers it starts."""
    from django.db import connection

    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    credentials = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    return (
        f"postgres://{credentials}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/"
        f"{config['NAME']}"
    )


@pytest.fixture(autouse=True)
def _own_cache(settings) -> None:
    # Each test starts with an empty cache of its own: no page or version from another test.
    local = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = settings.CACHES | {
        "default": {"BACKEND": local, "LOCATION": "pages"},
        "ratelimit": {"BACKEND": local, "LOCATION": "counts"},
    }
    from django.core.cache import caches

    caches["default"].clear()
    caches["ratelimit"].clear()


@pytest.fixture
def subprocess_env(settings, tmp_path):
    """Environment for a portal process (server or worker) that shares this test's database."""
    import os

    def build(**extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "EMAIL_", "OUTBOX_", "PYTEST_", "CACHE_"))
        }
        env |= {
            "DATABASE_URL": database_url_for_subprocess(),
            "PYTHONUNBUFFERED": "1",
            # The processes of one test share a cache, apart from every other test's.
            "CACHE_URL": f"file://{tmp_path / 'cache'}",
        }
        return env | extra

    return build


def browser_unavailable(reason: str) -> None:
    """In CI a missing browser is a failure; on a developer's machine the tests step aside."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One real Chromium for the whole run: Playwright's sync API allows one per process."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        browser_unavailable("Playwright is not installed: run `make install`.")
    executable = str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.exists() else None
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Error as error:
        playwright.stop()
        browser_unavailable(
            "Chromium could not be started for the browser tests: install it with "
            f"`apt-get install chromium` (or `playwright install chromium`). ({error})"
        )
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(autouse=True)
def _searches_counted_at_once(settings) -> None:
    # Tests read the counters right after a search; tests/reports/test_search_counts.py
    # tests the second a process adds up its searches for.
    settings.SEARCH_COUNT_SEND_SECONDS = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # Hashing a real password costs a second on this machine; the admin tests make many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def support_settings(settings):
    """The addresses support staff see in links and e-mails."""
    settings.SITE_URL = "https://help.example.com"
    settings.SUPPORT_EMAIL = "pos-support@example.com"
    return settings


@pytest.fixture
def agent(db):
    from tests.staff.factories import AgentFactory

    return AgentFactory(username="sanne", first_name="Sanne")


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def bundled_content(db) -> None:
    """The articles shipped in content/articles, in English, Dutch and French."""
    from portal.settings import BASE_DIR

    call_command("import_readme", str(BASE_DIR / "content" / "articles"), stdout=io.StringIO())
