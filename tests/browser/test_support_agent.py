"""A support agent's day: find the return a merchant phones about, approve it, merchant informed."""

from __future__ import annotations

import re

import pytest

from returns.models import Return
from staff.roles import SUPPORT_AGENT
from tests.browser.conftest import csp_violations
from tests.conftest import message_text
from tests.returns.factories import ReturnFactory
from tests.staff.factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.browser


def test_agent_finds_a_return_by_serial_approves_it_and_the_merchant_sees_it(
    live_server, transactional_db, page, smtp_server, run_worker, settings
):
    settings.SITE_URL = live_server.url
    StaffFactory(username="sanne", role=SUPPORT_AGENT)
    rma = ReturnFactory(
        serial_number="P2SN20240917",
        language="nl",
        email="bakkerij@example.nl",
        status=Return.Status.SUBMITTED,
    )
    ReturnFactory.create_batch(3)

    # Sign in as the support agent.
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", "sanne")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    assert page.locator(".support-summary").is_visible()

    # The merchant reads the serial from the sticker, with its dashes and spaces.
    page.goto(live_server.url + "/admin/returns/return/")
    page.fill("#searchbar", "p2sn-2024 0917")
    page.press("#searchbar", "Enter")
    page.wait_for_url(re.compile(r"\?q=p2sn"))
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    rows.locator(f"a:text('{rma.rma_number}')").click()
    page.wait_for_url(re.compile(rf"/admin/returns/return/{rma.pk}/change/"))

    # Only the steps the workflow allows are offered; approving tells the merchant.
    buttons = page.locator(".workflow-steps button")
    assert sorted(buttons.all_inner_texts()) == sorted(
        ["Approve", "Reject", "Ask for more information", "Cancel the return"]
    )
    page.fill("#id_approved_note", "Graag voor vrijdag versturen.")
    page.click("button.workflow-approved")
    page.wait_for_selector(".messagelist")
    assert "is now “Approved”" in page.locator(".messagelist").inner_text()
    assert "Submitted → Approved" in page.locator(".rma-timeline").inner_text()
    assert csp_violations(page) == []

    # The worker delivers the merchant's e-mail, in Dutch, through a real SMTP server.
    run_worker()
    [mail] = smtp_server.messages_to("bakkerij@example.nl")
    assert (
        mail["Subject"] == f"Uw retour {rma.rma_number} is goedgekeurd: zo stuurt u de terminal op"
    )
    body = message_text(mail)
    assert "Graag voor vrijdag versturen." in body
    assert f"/nl/returns/track/{rma.tracking_token}/" in body

    # The merchant's tracking page shows the new status.
    merchant = page.context.browser.new_context()
    tracking = merchant.new_page()
    tracking.goto(live_server.url + f"/nl/returns/track/{rma.tracking_token}/")
    assert "Goedgekeurd" in tracking.locator(".lead").inner_text()
    assert "Graag voor vrijdag versturen." in tracking.locator(".timeline").inner_text()
    merchant.close()
