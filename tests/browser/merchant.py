"""What a merchant does in the browser, written once for every journey and language."""

from __future__ import annotations

import itertools
import re

PREFIX = {"en": "", "nl": "/nl", "fr": "/fr"}
# Terminal screens show these in English whatever the portal's language.
ON_SCREEN_MESSAGE = "Attacked! Please contact your service provider"
_serials = itertools.count(1)


def unique_serial() -> str:
    """A fresh serial number, so no journey trips over another's open return."""
    return f"P2{next(_serials):02d}{id(_serials) % 10**6:06d}".upper()


def return_details(serial: str, **overrides: str) -> dict[str, str]:
    return {
        "account_id": "10234567",
        "serial_number": serial,
        "ticket_reference": "SUP-482913",
        "reason": "display",
        "description": "The screen stays black after the terminal starts.",
        "contact_name": "Sanne de Vries",
        "company_name": "Bakkerij De Molen",
        "email": f"{serial.lower()}@bakkerij-demolen.nl",
        "phone": "+31 20 123 4567",
        "street": "Prinsengracht",
        "house_number": "263",
        "postcode": "1016 GV",
        "city": "Amsterdam",
        "country": "NL",
    } | overrides


def choose(page, name: str, value: str) -> None:
    """Pick a value whether the form shows a select or radio buttons."""
    select = page.locator(f"main form select[name={name}]")
    if select.count():
        select.select_option(value)
    else:
        page.locator(f"main form input[name={name}][value='{value}']").check()


def fill_return_form(page, details: dict[str, str]) -> None:
    for name, value in details.items():
        if name in {"reason", "country"}:
            choose(page, name, value)
        else:
            page.locator(f"main form [name={name}]").fill(value)


def submit(page) -> None:
    """Press the main form's submit button, the way a merchant does."""
    page.locator("main form[method=post] [type=submit]").last.click()
    page.wait_for_load_state()


def file_return(page, base: str, language: str, serial: str, **overrides: str) -> None:
    page.goto(f"{base}{PREFIX[language]}/returns/new/")
    fill_return_form(page, return_details(serial, **overrides))
    submit(page)


def tracking_link_in(text: str) -> str:
    match = re.search(r"/(?:[a-z]{2}/)?returns/track/[\w-]+/", text)
    assert match, f"no tracking link in:\n{text}"
    return match.group(0)
