"""A merchant writing to support is shown the article that solves it, reads it and sends nothing."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from suggestions.models import SuggestionVisit
from tests.browser.conftest import csp_violations
from tests.staff.factories import PASSWORD
from tests.support.helpers import jpeg_bytes

pytestmark = pytest.mark.browser


def test_the_tampering_alarm_is_suggested_and_reading_it_counts_as_deflected(portal, pages):
    SuggestionVisit.objects.all().delete()  # other journeys on this server write forms too
    get_user_model().objects.create_superuser("reports-reader", "r@example.com", PASSWORD)
    merchant = pages.open(viewport={"width": 1280, "height": 900})

    merchant.goto(portal + "/support/new/")
    merchant.locator("#id_description").press_sequentially(
        "My terminal shows Attacked! on the screen", delay=15
    )
    suggestion = merchant.locator("#suggestions-live a[href*='/article/tampering-alarm/']")
    suggestion.wait_for()
    assert merchant.locator("#suggestions-live li").count() <= 3

    with merchant.context.expect_page() as opened:
        suggestion.click()
    article = opened.value
    article.wait_for_load_state()
    assert re.search(r"/articles/tampering-alarm/$", article.url)
    assert "Tampering alarm" in article.locator("h1").inner_text()
    # What was typed is still in the form behind the article's tab.
    assert "Attacked!" in merchant.locator("#id_description").input_value()
    assert csp_violations(merchant) == []
    # The merchant has the answer and leaves without sending anything.
    article.close()
    merchant.close()

    admin = pages.open(viewport={"width": 1280, "height": 900})
    admin.goto(portal + "/admin/")
    admin.fill("#id_username", "reports-reader")
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit], button[type=submit]")
    admin.get_by_role("link", name="Report: guides, searches and suggested articles").click()
    rate = admin.locator("#report-deflection .deflection-rate")
    assert rate.inner_text() == "100% (1 of 1)"


def test_without_javascript_the_step_comes_first_and_the_photo_after(portal, pages, tmp_path):
    photo = tmp_path / "screen.jpg"
    photo.write_bytes(jpeg_bytes())
    merchant = pages.open(viewport={"width": 390, "height": 844}, java_script_enabled=False)

    merchant.goto(portal + "/support/new/")
    # No file field yet: a browser would not send a chosen file through the step again.
    assert not merchant.locator("input[name=files]").is_visible()
    for name, value in {
        "account_id": "10012345",
        "serial_number": "PB0123456789",
        "description": "The screen says Attacked! Please contact your service provider",
        "contact_name": "Sanne de Vries",
        "email": "sanne@bakkerij.example",
    }.items():
        merchant.fill(f"#id_{name}", value)
    merchant.click("main form button[type=submit]")

    assert "Did one of these solve it?" in merchant.locator("#suggestions-step").inner_text()
    assert merchant.locator("#id_contact_name").input_value() == "Sanne de Vries"
    merchant.set_input_files("input[name=files]", str(photo))
    merchant.get_by_role("button", name="No, send my request").click()

    assert "Your request was sent" in merchant.locator("h1").inner_text()
