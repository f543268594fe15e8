"""Real Chromium, driven by Playwright, against the portal served by a live test server.

One browser per test session (starting Chromium costs about a second); a fresh context per
test, so cookies and storage never leak between journeys. The bundled content is loaded
once, into a database the live server and the tests share (see `_portal_server`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import setup_databases, teardown_databases
from pytest_django.live_server_helper import LiveServer

from tests.conftest import browser_unavailable

REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def _portal_server(request, django_db_setup, django_db_blocker) -> Iterator[LiveServer]:
    """One live server and one load of the bundled content for every browser test.

    Loading the content takes seconds, so it is not redone per test inside a flushed,
    transactional database: these tests share one committed database instead and each
    uses fresh serial numbers and addresses. pytest-django runs tests without a
    database mark after all others, and the data is flushed at the end.
    """
    with django_db_blocker.unblock():
        own_database = _ensure_test_database(request.session.items)
        call_command("load_content", stdout=io.StringIO())
    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()
    server.stop()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        _close_server_connections()
        if own_database:
            teardown_databases(own_database, verbosity=0)


def _close_server_connections() -> None:
    # The live server's request threads are gone, but PostgreSQL may still count their
    # sessions; the test database cannot be dropped while it does.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
    connections.close_all()


def _ensure_test_database(items: list[pytest.Item]) -> list | None:
    """pytest-django creates the test database only when a collected test asks for it;
    when only browser tests run (`-k`, one file), create it here."""
    asks = {"db", "transactional_db", "live_server"}
    if any(item.get_closest_marker("django_db") or asks & set(item.fixturenames) for item in items):
        return None
    return setup_databases(verbosity=0, interactive=False, aliases={"default"})


@pytest.fixture
def portal(_portal_server, django_db_blocker, settings, tmp_path) -> Iterator[str]:
    """The portal's base URL; the test may use the database the server uses."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = _portal_server.url
    # A test fills a form in milliseconds and files many returns from one address: the
    # robot checks are proven by the returns tests, not here.
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.RETURNS_RATE_LIMIT = "10000/h"
    with django_db_blocker.unblock():
        for cache in caches.all(initialized_only=True):
            cache.clear()
        yield _portal_server.url


class BrowserPages:
    """Opens pages in fresh contexts and closes them all at the end of the test."""

    def __init__(self, browser) -> None:
        self.browser = browser
        self.contexts: list[object] = []

    def open(self, **options):
        context = self.browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.problems = []  # console errors, CSP violations and failed scripts
        page.on(
            "console",
            lambda message: message.type == "error" and page.problems.append(message.text),
        )
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(browser) -> Iterator[BrowserPages]:
    opened = BrowserPages(browser)
    yield opened
    opened.close()


@pytest.fixture
def page(pages):
    """A desktop-sized page with JavaScript."""
    return pages.open(viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone(pages):
    """The merchant's phone: 390 × 844, touch."""
    return pages.open(**PHONE)


@pytest.fixture
def phone_without_js(pages):
    """A phone with JavaScript switched off: every page must still work."""
    return pages.open(**PHONE, java_script_enabled=False)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        browser_unavailable(
            f"{AXE_JS.relative_to(REPO)} is missing: run `npm ci` (make test does it) "
            "to install axe-core for the accessibility tests."
        )
    return AXE_JS.read_text()


def serious_violations(page, axe_source: str) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each.

    Injected through the DevTools protocol rather than a <script> tag, so the page's
    Content-Security-Policy stays enforced exactly as a merchant's browser enforces it.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    results = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
            }));
        }"""
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['targets'])}"
        for v in results
        if v["impact"] in {"serious", "critical"}
    ]


CSP_VIOLATION = re.compile(r"Content Security Policy|Refused to (apply|execute|load)", re.I)


def csp_violations(page) -> list[str]:
    return [problem for problem in page.problems if CSP_VIOLATION.search(problem)]
