"""The merchant's and the support agent's journeys, end to end, in a real browser.

Merchants are on a phone (390 × 844); each journey runs in English, Dutch and French.
Mail goes through the real outbox worker to a real SMTP server, and the merchant follows
the link in the e-mail they received.
"""

from __future__ import annotations

import base64
from collections import deque

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import translation
from playwright.sync_api import expect

from guides.selectors import guide_get_published, guide_graph
from returns.models import Return
from staff.roles import SUPPORT_AGENT
from support.models import SupportRequest
from tests.browser.conftest import csp_violations
from tests.browser.merchant import (
    ON_SCREEN_MESSAGE,
    PREFIX,
    file_return,
    submit,
    tracking_link_in,
    unique_serial,
)
from tests.conftest import message_text

pytestmark = pytest.mark.browser
LANGUAGES = ["en", "nl", "fr"]
# A 1 × 1 PNG: a real image, as a phone camera would send a (much larger) one.
PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def answers_to(slug: str, language: str, outcome: str) -> list[str]:
    """The button labels a merchant presses to get from the guide's start to `outcome`."""
    graph = guide_graph(guide=guide_get_published(slug=slug, language=language))
    queue = deque([(graph.start_key, [])])
    seen = {graph.start_key}
    while queue:
        key, labels = queue.popleft()
        step = graph.steps[key]
        if step.kind == outcome:
            return labels
        for choice in step.choices:
            if choice.next_key and choice.next_key not in seen:
                seen.add(choice.next_key)
                queue.append((choice.next_key, [*labels, choice.label]))
    raise AssertionError(f"guide {slug} ({language}) has no path to {outcome}")


def walk_guide(page, site: str, slug: str, language: str, outcome: str) -> None:
    page.goto(f"{site}/guides/{slug}/")
    for label in answers_to(slug, language, outcome):
        page.locator("#guide-step form button", has_text=label).first.click()
        page.wait_for_load_state()
    page.locator(f"#guide-step .guide-{outcome}").wait_for()


@pytest.mark.parametrize("language", LANGUAGES)
def test_merchant_types_the_message_on_the_screen_and_reaches_the_fix(portal, phone, language):
    phone.goto(f"{portal}{PREFIX[language]}/")

    phone.get_by_role("searchbox").fill(ON_SCREEN_MESSAGE)
    phone.get_by_role("searchbox").press("Enter")
    first = phone.locator("#search-results li a").first
    first.click()
    phone.wait_for_load_state()

    assert f"{PREFIX[language]}/articles/" in phone.url
    assert phone.locator("html").get_attribute("lang") == language
    assert "Attacked" in phone.locator("main").inner_text()
    assert csp_violations(phone) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_merchant_follows_a_guide_until_the_terminal_works(portal, phone, language):
    walk_guide(phone, portal + PREFIX[language], "no-connection", language, "resolved")

    assert "/guides/no-connection/" in phone.url, "each step has its own address"
    assert phone.locator("html").get_attribute("lang") == language
    assert csp_violations(phone) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_guide_that_does_not_solve_it_hands_support_the_answers_and_a_photo(
    portal, phone, language, smtp_server, run_worker, tmp_path, settings
):
    settings.SUPPORT_EMAIL = "pos-support@example.com"
    walk_guide(phone, portal + PREFIX[language], "tampering-alarm", language, "support")
    phone.locator("#guide-step .guide-support a.button").click()
    photo = tmp_path / "screen.png"
    photo.write_bytes(PHOTO)

    form = phone.locator("main form[method=post]")
    form.locator("[name=account_id]").fill("10234567")
    serial = unique_serial()
    form.locator("[name=serial_number]").fill(serial)
    form.locator("[name=contact_name]").fill("Sanne de Vries")
    form.locator("[name=email]").fill(f"{serial.lower()}@bakkerij-demolen.nl")
    form.locator("input[type=file]").set_input_files(str(photo))
    submit(phone)

    request = SupportRequest.objects.get(serial_number=serial)
    assert request.reference in phone.locator("main").inner_text()
    assert request.attachments.count() == 1
    assert request.guide_path_text, "the answers given in the guide travel with the request"
    run_worker()
    to_support = [
        message
        for message in smtp_server.messages_to("pos-support@example.com")
        if serial in message_text(message)
    ]
    assert len(to_support) == 1
    assert len(smtp_server.messages_to(f"{serial.lower()}@bakkerij-demolen.nl")) == 1
    assert csp_violations(phone) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_merchant_files_a_return_and_follows_it_from_the_email(
    portal, phone, language, smtp_server, run_worker
):
    serial = unique_serial()
    file_return(phone, portal, language, serial)
    rma = Return.objects.get(serial_number=serial)
    assert rma.rma_number in phone.locator("main").inner_text()

    run_worker()
    mail = smtp_server.messages_to(rma.email)
    assert len(mail) == 1
    assert rma.rma_number in mail[0]["Subject"]
    phone.goto(portal + tracking_link_in(message_text(mail[0])))

    assert rma.rma_number in phone.locator("main").inner_text()
    assert phone.locator("html").get_attribute("lang") == language
    assert csp_violations(phone) == []


AGENT_PASSWORD = "a-long-agent-password-1"


def support_agent(username: str):
    """A member of the support team's role: returns and support requests, nothing else."""
    agent = get_user_model().objects.create_user(
        username, f"{username}@example.com", AGENT_PASSWORD, is_staff=True
    )
    agent.groups.add(Group.objects.get(name=SUPPORT_AGENT))
    return agent


def approve_in_admin(page, portal: str, agent, serial: str) -> None:
    page.goto(portal + "/admin/")
    page.locator("#id_username").fill(agent.username)
    page.locator("#id_password").fill(AGENT_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.goto(portal + "/admin/returns/return/")
    page.locator("#searchbar").fill(serial.lower())
    with page.expect_navigation():
        page.locator("#changelist-search [type=submit]").click()
    rows = page.locator("#result_list tbody tr")
    # Waits for the result page, then insists on exactly the merchant's return.
    expect(rows).to_have_count(1)
    rows.first.locator("th a, td a").first.click()
    page.locator(".workflow-steps button.workflow-approved").click()
    page.locator(".messagelist").wait_for()


@pytest.mark.parametrize("language", LANGUAGES)
def test_support_agent_approves_a_return_found_by_serial_and_the_merchant_sees_it(
    portal, phone, page, language, smtp_server, run_worker
):
    serial = unique_serial()
    file_return(phone, portal, language, serial)
    agent = support_agent(f"agent-{language}")

    approve_in_admin(page, portal, agent, serial)

    rma = Return.objects.get(serial_number=serial)
    assert rma.status == Return.Status.APPROVED
    run_worker()
    mail = smtp_server.messages_to(rma.email)
    assert len(mail) == 2, "the confirmation, then the approval with shipping instructions"
    phone.goto(portal + tracking_link_in(message_text(mail[-1])))
    with translation.override(language):
        assert str(Return.Status.APPROVED.label) in phone.locator("main").inner_text()


def test_guide_and_return_work_with_javascript_switched_off(
    portal, phone_without_js, smtp_server, run_worker
):
    page = phone_without_js
    walk_guide(page, portal, "no-connection", "en", "resolved")

    serial = unique_serial()
    file_return(page, portal, "en", serial)
    # Articles matching the description come first; the terminal must go back all the same.
    assert "Did one of these solve it?" in page.locator("#suggestions-step").inner_text()
    assert not Return.objects.filter(serial_number=serial).exists()
    submit(page)

    rma = Return.objects.get(serial_number=serial)
    assert rma.rma_number in page.locator("main").inner_text()
    assert page.url.startswith(portal + "/returns/submitted/")


def test_a_mistake_in_the_return_form_keeps_everything_typed_on_a_phone(portal, phone):
    serial = unique_serial()
    file_return(phone, portal, "en", serial, postcode="12345")

    assert phone.locator(".field-invalid [name=postcode]").count() == 1
    assert phone.locator("main form [name=serial_number]").input_value() == serial
    assert phone.locator("main form [name=city]").input_value() == "Amsterdam"
    assert not Return.objects.filter(serial_number=serial).exists()
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_a_merchant_says_the_article_helped_without_leaving_the_page(portal, phone):
    # htmx posts the answer; the CSRF token travels with the form, not on every page.
    phone.goto(portal + "/articles/tampering-alarm/")
    url = phone.url

    phone.locator("#feedback button[name=helpful][value=yes]").click()

    phone.locator("#feedback [role=status]").wait_for()
    assert phone.url == url
    assert phone.evaluate("() => window.htmx !== undefined")
    assert csp_violations(phone) == []
