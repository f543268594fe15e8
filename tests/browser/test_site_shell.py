"""The frame around every page: keyboard use, languages and the phone layout."""

from __future__ import annotations

import pytest

from tests.browser.conftest import csp_violations, serious_violations

pytestmark = pytest.mark.browser


def test_keyboard_user_can_skip_straight_to_the_content(portal, page):
    page.goto(portal + "/")

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("(link) => link === document.activeElement")
    assert skip.is_visible(), "the skip link shows itself when it has focus"
    page.keyboard.press("Enter")

    assert page.evaluate("() => document.activeElement.id") == "main"


def test_language_switcher_keeps_the_merchant_on_the_same_page(portal, phone):
    phone.goto(portal + "/guides/")
    phone.locator(".languages a[hreflang=nl]").click()
    assert phone.url == portal + "/nl/guides/"
    assert phone.locator("html").get_attribute("lang") == "nl"

    phone.locator(".languages a[hreflang=fr]").click()
    assert phone.url == portal + "/fr/guides/"
    assert phone.locator("html").get_attribute("lang") == "fr"


def test_home_page_fits_a_phone_without_sideways_scrolling(portal, phone, axe_source):
    phone.goto(portal + "/")

    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    search = phone.get_by_role("searchbox")
    assert search.is_visible()
    box = search.bounding_box()
    assert box["height"] >= 40, "the search box is a comfortable touch target"
    assert serious_violations(phone, axe_source) == []
    assert csp_violations(phone) == []
