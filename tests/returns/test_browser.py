"""A merchant files a return in a real Chromium, with and without JavaScript."""

from __future__ import annotations

import pytest

from returns.models import Return

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.slow]


def fill_in(page) -> None:
    page.fill("#id_account_id", "10012345")
    page.fill("#id_serial_number", "p2-0123 4567")
    page.fill("#id_ticket_reference", "172349")
    page.select_option("#id_reason", "printer")
    page.fill("#id_contact_name", "Lotte Jansen")
    page.fill("#id_company_name", "Bloemen Lotte")
    page.fill("#id_email", "lotte@example.be")
    page.check("#id_country_1")
    page.fill("#id_street", "Veldstraat")
    page.fill("#id_house_number", "12 bus 3")
    page.fill("#id_postcode", "9000")
    page.fill("#id_city", "Gent")


def test_a_merchant_is_told_about_a_wrong_postcode_on_leaving_it_and_files_the_return(
    browser, portal_server
):
    page = browser.new_page()
    page.goto(f"{portal_server}/nl/returns/new/")

    page.check("#id_country_1")  # België
    page.fill("#id_postcode", "1012 LG")
    page.click("#id_city")
    error = page.locator("#field-postcode .errorlist")
    error.wait_for()
    assert "Belgische postcode" in error.inner_text()

    fill_in(page)
    page.click(".return-form button[type=submit]")
    page.wait_for_url("**/nl/returns/submitted/**")

    rma = Return.objects.get()
    assert rma.rma_number in page.inner_text("main")
    assert rma.postcode == "9000"
    assert rma.house_number == "12 bus 3"
    page.click("text=Mijn retour volgen")
    page.wait_for_url(f"**/nl/returns/track/{rma.tracking_token}/")
    assert "Ingediend" in page.inner_text("main")


def test_the_form_works_without_javascript(browser, portal_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{portal_server}/returns/new/?reason=network")
    assert page.locator('a[href="/guides/no-connection/"]').count() == 1

    fill_in(page)
    page.select_option("#id_reason", "network")
    page.click(".return-form button[type=submit]")
    assert "try the guide first" in page.inner_text("main")
    assert page.input_value("#id_company_name") == "Bloemen Lotte"

    page.check("#id_guide_checked")
    page.click(".return-form button[type=submit]")
    page.wait_for_url("**/returns/submitted/**")
    assert Return.objects.get().reason == "network"
    context.close()
