"""axe-core on every public page type, in English, Dutch and French.

A serious or critical finding fails the test; so does a Content-Security-Policy
violation, which would mean an inline script or style slipped into a template.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import csp_violations, serious_violations
from tests.browser.merchant import (
    ON_SCREEN_MESSAGE,
    PREFIX,
    file_return,
    submit,
    tracking_link_in,
    unique_serial,
)

pytestmark = pytest.mark.browser


class Audit:
    def __init__(self, page, axe_source: str) -> None:
        self.page = page
        self.axe_source = axe_source
        self.findings: list[str] = []

    def check(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state()
        self.findings += [
            f"{name} {page.url}: {v}" for v in serious_violations(page, self.axe_source)
        ]
        self.findings += [f"{name} {page.url}: {v}" for v in csp_violations(page)]
        page.problems.clear()

    def visit(self, name: str, url: str, expected_status: int = 200) -> None:
        response = self.page.goto(url)
        assert response.status == expected_status, f"{name} {url} answered {response.status}"
        self.check(name)


@pytest.mark.parametrize("language", ["en", "nl", "fr"])
def test_every_public_page_type_has_no_serious_accessibility_problem(
    portal, phone, axe_source, language
):
    audit = Audit(phone, axe_source)
    site = portal + PREFIX[language]

    audit.visit("home", f"{site}/")
    topic = phone.locator("main a[href*='/topics/']").first.get_attribute("href")
    audit.visit("search results", f"{site}/search/?q={ON_SCREEN_MESSAGE}")
    article = phone.locator("#search-results a").first.get_attribute("href")
    audit.visit("topic", portal + topic)
    audit.visit("article", portal + article)
    audit.visit("guide list", f"{site}/guides/")
    audit.visit("guide start", f"{site}/guides/no-connection/")
    phone.locator("main form [type=submit], main a[href*='/guides/no-connection/']").first.click()
    audit.check("guide step")
    audit.visit("support form", f"{site}/support/new/")
    serial = unique_serial()
    for name, value in {
        "account_id": "10234567",
        "serial_number": serial,
        "description": "The screen says Attacked!",
        "contact_name": "Sanne de Vries",
        "email": f"{serial.lower()}@bakkerij-demolen.nl",
    }.items():
        phone.locator(f"main form [name={name}]").fill(value)
    submit(phone)
    audit.check("support confirmation")
    phone.locator("main a[href*='/support/track/']").click()
    audit.check("support request tracking")
    audit.visit("return form", f"{site}/returns/new/")
    # The form as a merchant sees it after a mistake: errors beside the fields.
    phone.evaluate("() => document.querySelectorAll('form').forEach((f) => (f.noValidate = true))")
    submit(phone)
    audit.check("return form with errors")
    file_return(phone, portal, language, unique_serial())
    audit.check("return confirmation")
    audit.visit("tracking", portal + tracking_link_in(phone.content()))
    audit.visit("not found", f"{site}/no-such-page/", expected_status=404)

    assert audit.findings == [], "\n".join(audit.findings)
