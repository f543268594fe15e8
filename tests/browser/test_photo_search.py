"""The merchant photographs the "Attacked!" screen on their phone and lands on the fix.

Real Chromium on a phone viewport, in English, Dutch and French: the photo is chosen in the
"Take a photo of the screen" field (the camera on a real phone), read on the server, and the
tampering-alarm fix is shown in the merchant's language, with and without JavaScript.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import csp_violations, serious_violations
from tests.browser.merchant import ON_SCREEN_MESSAGE, PREFIX
from tests.photosearch.conftest import tesseract  # noqa: F401 (a fixture)
from tests.photosearch.screens import photo

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("tesseract")]

FIX = {
    "en": "Request a code to unblock the device",
    "nl": "Vraag bij de technische support van Sunmi een deblokkeercode aan",
    "fr": "Demandez un code de déblocage au support technique de Sunmi",
}
SEND = {"en": "Find the fix", "nl": "Oplossing zoeken", "fr": "Trouver la solution"}


def the_photo(seed: int) -> dict[str, object]:
    return {
        "name": "IMG_2041.jpg",
        "mimeType": "image/jpeg",
        "buffer": photo(ON_SCREEN_MESSAGE, seed=seed),
    }


@pytest.mark.parametrize("language", ["en", "nl", "fr"])
def test_a_photo_of_the_attacked_screen_leads_to_the_tampering_fix(
    portal, phone, language, axe_source
):
    phone.goto(f"{portal}{PREFIX[language]}/")
    # With JavaScript the photo is sent as soon as it is chosen, and the fix swapped in.
    phone.locator("main input[type=file][capture=environment]").set_input_files(the_photo(11))
    fix = phone.locator(".photo-fix")
    expect(fix).to_contain_text(FIX[language], timeout=20_000)
    expect(phone.locator("#photo-read-text")).to_have_value(ON_SCREEN_MESSAGE)
    assert phone.url == f"{portal}{PREFIX[language]}/"
    assert serious_violations(phone, axe_source) == []
    fix.get_by_role("link").click()
    phone.wait_for_url(f"**{PREFIX[language]}/articles/tampering-alarm/**")
    assert csp_violations(phone) == []


@pytest.mark.parametrize("language", ["en", "nl", "fr"])
def test_without_javascript_the_photo_is_sent_with_the_button(portal, phone_without_js, language):
    page = phone_without_js
    page.goto(f"{portal}{PREFIX[language]}/search/")
    page.locator("main input[type=file]").set_input_files(the_photo(12))
    page.get_by_role("button", name=SEND[language]).click()
    page.wait_for_url(f"**{PREFIX[language]}/photo/")
    expect(page.locator(".photo-fix")).to_contain_text(FIX[language])
    # The merchant corrects what was read and searches again: the ordinary search page.
    page.fill("#photo-read-text", "card not supported")
    page.locator("#photo-read-text").press("Enter")
    page.wait_for_url(f"**{PREFIX[language]}/search/?q=card+not+supported")
    first = page.locator("#search-results a").first
    expect(first).to_have_attribute(
        "href", f"{PREFIX[language]}/articles/declined-payment/#messages-heading"
    )
