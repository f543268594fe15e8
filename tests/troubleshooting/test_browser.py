"""Real Chromium: live search as you type, feedback without reloading, and no JavaScript at all."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from tests.troubleshooting.conftest import CONTENT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's ORM calls here are
    # still plain synchronous test set-up, so tell Django that is fine.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server):
    call_command("import_readme", str(CONTENT), stdout=io.StringIO())
    return live_server.url


def test_results_appear_while_typing_and_csp_is_respected(browser, site):
    page = browser.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(site + "/")
    page.fill("#site-search", "tampr alarm")
    first = page.locator("#search-live ol#search-results li a").first
    first.wait_for(timeout=5000)
    assert "Tampering alarm" in first.inner_text()
    assert page.url == site + "/"  # the merchant is still on the page they were reading
    first.click()
    page.wait_for_url("**/articles/tampering-alarm/**")
    assert violations == []
    page.close()


def test_no_answer_asks_for_a_reason_without_reloading(browser, site):
    page = browser.new_page()
    page.goto(site + "/articles/developer-mode/")
    page.evaluate("window.notReloaded = true")
    page.click("#feedback button[value=no]")
    page.locator("#feedback textarea").wait_for(timeout=5000)
    page.fill("#feedback textarea", "Where do I get the TUSN code?")
    page.click("#feedback button[type=submit]")
    page.get_by_text("The content team reads every answer").wait_for(timeout=5000)
    assert page.evaluate("window.notReloaded") is True
    page.close()


def test_everything_works_with_javascript_disabled(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/nl/")
    page.fill("#site-search", "kaart geweigerd")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/nl/search/?q=kaart+geweigerd")
    page.locator("ol#search-results li a").first.click()
    page.wait_for_url("**/nl/articles/declined-payment/**")
    page.click("#feedback button[value=yes]")
    page.get_by_text("Bedankt! Fijn dat het heeft geholpen.").wait_for(timeout=5000)
    context.close()


def test_printing_an_article_unfolds_its_details_and_hides_the_site_furniture(browser, site):
    page = browser.new_page()
    page.goto(site + "/articles/activate-terminal/")
    assert page.locator("details#onboarding-fails").get_attribute("open") is None
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details#onboarding-fails").get_attribute("open") == ""
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("#feedback").is_visible()
    assert page.locator("h1").is_visible()
    page.close()
