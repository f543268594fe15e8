"""A real Chromium walks a guide: htmx swaps steps in place, pushes URLs, and back works."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_a_merchant_clicks_through_a_guide_without_full_page_loads(live_server, load_guide, page):
    load_guide("no-connection")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(f"{live_server.url}/guides/no-connection/")
    # Set on the window: a full page load would forget it, an htmx swap keeps it.
    page.evaluate("window.sameDocument = true")
    page.get_by_role("button", name="Yes, it is connected").click()
    page.get_by_role("heading", name="What colour is the internet icon on the terminal?").wait_for()

    assert "/guides/no-connection/icon/?run=" in page.url
    assert page.evaluate("window.sameDocument") is True
    assert page.title().startswith("What colour is the internet icon")

    page.get_by_role("button", name="Red").click()
    page.get_by_role("heading", name="Which terminal do you use?").wait_for()
    page.get_by_role("link", name="Go back one step").click()
    page.get_by_role("heading", name="What colour is the internet icon on the terminal?").wait_for()
    page.go_back()
    page.get_by_role("heading", name="Which terminal do you use?").wait_for()
    assert "/guides/no-connection/terminal-type/" in page.url
    assert errors == []


def test_the_guide_works_without_javascript(live_server, load_guide, page):
    load_guide("payment-declined")
    context = page.context.browser.new_context(java_script_enabled=False)
    plain = context.new_page()

    plain.goto(f"{live_server.url}/fr/guides/payment-declined/")
    plain.get_by_role("button", name="Use a different interface").click()
    plain.get_by_role("button", name="Il a de nouveau été refusé").click()

    assert plain.get_by_role("link", name="Contacter le support").first.is_visible()
    plain.get_by_role("link", name="Contacter le support").first.click()
    assert "Ce que vous nous avez déjà dit" in plain.content()
    context.close()
