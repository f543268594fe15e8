"""The design on real screens: a phone (390 × 844) and a desktop (1280 × 900), in three languages.

No page type scrolls sideways, cards are links as a whole, keyboard focus follows the guide
from step to step, the phone field opens the phone keyboard, and focus is always visible.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PHONE, csp_violations
from tests.browser.merchant import ON_SCREEN_MESSAGE, PREFIX, file_return, submit, unique_serial

pytestmark = pytest.mark.browser
LANGUAGES = ["en", "nl", "fr"]
SCREENS = {"phone": PHONE, "desktop": {"viewport": {"width": 1280, "height": 900}}}


def assert_fits(page, name: str) -> None:
    page.wait_for_load_state()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.evaluate("() => window.innerWidth")
    assert width <= viewport, f"{name} {page.url} is {width} px wide on a {viewport} px screen"


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_type_scrolls_sideways(portal, pages, language, screen):
    page = pages.open(**SCREENS[screen])
    site = portal + PREFIX[language]
    visits = {
        "home": "/",
        "search results": f"/search/?q={ON_SCREEN_MESSAGE}",
        "no results": "/search/?q=qwxzv+plorf",
        "topic": "/topics/connection/",
        "article with a table": "/articles/internet-connection/",
        "article with messages": "/articles/declined-payment/",
        "article with a picture": "/articles/tampering-alarm/",
        "guide list": "/guides/",
        "guide step": "/guides/no-connection/",
        "support form": "/support/new/",
        "return form": "/returns/new/",
        "not found": "/no-such-page/",
    }
    for name, path in visits.items():
        page.goto(site + path)
        assert_fits(page, name)
    page.goto(site + "/returns/new/")
    submit(page)
    assert_fits(page, "return form with errors")
    file_return(page, portal, language, unique_serial())
    assert_fits(page, "return confirmation")
    page.locator("main a[href*='/returns/track/']").first.click()
    assert_fits(page, "tracking page")
    assert csp_violations(page) == []


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize(
    ("path", "card", "lands_on"),
    [
        ("/", "main li.card:has(a[href*='/topics/'])", "/topics/"),
        ("/topics/connection/", "main li.card", "/articles/"),
        ("/guides/", "#guide-list li.card", "/guides/"),
        ("/search/?q=card+declined", "#search-results li.card", "/articles/"),
        ("/search/?q=qwxzv+plorf", ".no-results-ways .card", "/guides/"),
    ],
)
def test_a_card_is_a_link_wherever_it_is_tapped(portal, pages, screen, path, card, lands_on):
    page = pages.open(**SCREENS[screen])
    page.goto(portal + path)
    box = page.locator(card).first.bounding_box()

    # The corner far from the title: nothing there but the card itself.
    page.mouse.click(box["x"] + box["width"] - 6, box["y"] + box["height"] - 6)

    page.wait_for_url(re.compile(re.escape(portal + lands_on)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_keyboard_focus_moves_to_the_next_question_after_an_answer(portal, phone, language):
    phone.goto(f"{portal}{PREFIX[language]}/guides/no-connection/")
    first_question = phone.locator("#guide-step-title").inner_text()
    answer = phone.locator("#guide-step form button").first
    answer.focus()

    phone.keyboard.press("Enter")

    phone.wait_for_function(
        "(before) => document.querySelector('#guide-step-title').innerText !== before",
        arg=first_question,
    )
    phone.wait_for_function("() => document.activeElement.id === 'guide-step-title'")
    assert "/guides/no-connection/" in phone.url and phone.url.rstrip("/").count("/") > 4


@pytest.mark.parametrize("form", ["/support/new/", "/returns/new/"])
def test_the_phone_field_opens_the_phone_keyboard(portal, phone, form):
    phone.goto(portal + form)
    field = phone.locator("main input[name=phone]")

    assert field.evaluate("(input) => input.type") == "tel"
    html = phone.content()
    tag = re.search(r"<input[^>]*name=\"phone\"[^>]*>", html).group(0)
    assert len(re.findall(r"\stype=", tag)) == 1


def test_sitemap_robots_and_favicon_are_served(portal, page):
    for path, kind in [
        ("/sitemap.xml", "xml"),
        ("/robots.txt", "text/plain"),
        ("/favicon.ico", "svg"),
    ]:
        response = page.request.get(portal + path)
        assert response.ok, path
        assert kind in response.headers["content-type"], path


def _luminance(rgb: str) -> float:
    channels = [int(value) / 255 for value in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, other: str) -> float:
    lighter, darker = sorted([_luminance(one), _luminance(other)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize(
    ("selector", "background_of"),
    [(".site-header .brand", ".site-header"), ("main a", "body")],
)
def test_keyboard_focus_is_visible_with_at_least_3_to_1_contrast(
    portal, page, selector, background_of
):
    page.goto(portal + "/articles/tampering-alarm/")
    page.locator(selector).first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # a keyboard focus, so :focus-visible applies
    style = page.locator(selector).first.evaluate(
        "(el) => { const s = getComputedStyle(el);"
        " return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    background = page.locator(background_of).first.evaluate(
        "(el) => getComputedStyle(el).backgroundColor"
    )

    assert style[0] != "none" and float(style[1].rstrip("px")) >= 2
    assert _contrast(style[2], background) >= 3
