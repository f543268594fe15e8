"""A conversation between a merchant and support, end to end, in English, Dutch and French.

The merchant writes from a phone, the agent answers from the admin; mail goes through the
real worker to a real SMTP server, and the merchant follows the link in the e-mail received.
"""

from __future__ import annotations

import base64
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from conversations.models import CannedReply, Message
from returns.models import Return
from returns.services import return_transition
from staff.roles import SUPPORT_AGENT
from support.models import SupportRequest
from tests.browser.conftest import csp_violations
from tests.browser.merchant import PREFIX, submit, unique_serial
from tests.conftest import message_text
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.browser
LANGUAGES = ["en", "nl", "fr"]
PASSWORD = "a-long-agent-password-2"
PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
# What support writes, and what the merchant answers, in the merchant's language.
WORDS = {
    "en": ("Please send a photo of the screen.", "Here is the screen."),
    "nl": ("Stuur ons een foto van het scherm.", "Hier is het scherm."),
    "fr": ("Envoyez-nous une photo de l'écran.", "Voici l'écran."),
}
TRACKING_LINK = re.compile(r"https?://[^\s]+/(?:support|returns)/track/[\w-]+/")


@pytest.fixture
def conversation(portal, settings, smtp_server, run_worker, tmp_path):
    """Shared setup: addresses, limits, a photo on the phone, and the delivered mail."""
    settings.SUPPORT_EMAIL = "pos-support@example.com"
    settings.SUPPORT_RATE_LIMIT = "10000/h"
    photo = tmp_path / "screen.png"
    photo.write_bytes(PHOTO)

    def link_in_mail_to(address: str, subject_has: str) -> str:
        run_worker()
        [mail] = [m for m in smtp_server.messages_to(address) if subject_has in str(m["Subject"])][
            -1:
        ]
        match = TRACKING_LINK.search(message_text(mail))
        assert match, message_text(mail)
        return match.group(0)

    return {"photo": str(photo), "link_in_mail_to": link_in_mail_to, "smtp": smtp_server}


def sign_in_agent(page, portal: str, username: str) -> None:
    agent = get_user_model().objects.create_user(
        username, f"{username}@example.com", PASSWORD, is_staff=True
    )
    agent.groups.add(Group.objects.get(name=SUPPORT_AGENT))
    page.goto(portal + "/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def agent_writes(page, portal: str, change_path: str, *, canned: str = "", text: str = "") -> None:
    page.goto(portal + change_path)
    form = page.locator("#conversation form.reply-form")
    if canned:
        # The script fills the message from the canned reply, as the agent sees it.
        form.locator("select[name=reply-canned_reply]").select_option(label=canned)
        expect(form.locator("textarea[name=reply-body]")).not_to_have_value("")
    else:
        form.locator("textarea[name=reply-body]").fill(text)
    form.locator("button[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("on its way to the merchant")


def merchant_answers_with_a_photo(phone, link: str, question: str, answer: str, photo: str):
    phone.goto(link)
    thread = phone.locator("#conversation")
    expect(thread.locator(".thread-support")).to_contain_text(question)
    form = thread.locator("form.reply-form")
    form.locator("textarea[name=body]").fill(answer)
    form.locator("input[type=file]").set_input_files(photo)
    form.locator("button[type=submit]").click()
    phone.wait_for_load_state()
    expect(phone.locator("#conversation .thread-merchant")).to_contain_text(answer)
    expect(phone.locator("#conversation .thread-merchant img.thread-thumbnail")).to_be_visible()


def agent_sees_the_answer(page, portal: str, change_path: str, answer: str) -> None:
    page.goto(portal + change_path)
    merchant = page.locator("#conversation .thread-merchant").last
    expect(merchant).to_contain_text(answer)
    expect(merchant.locator("img.attachment-thumbnail")).to_be_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_support_request_is_answered_and_the_merchant_replies_with_a_photo(
    conversation, portal, phone, page, language
):
    question, answer = WORDS[language]
    CannedReply.objects.create(
        title=f"Photo of the screen ({language})", language=language, body=question
    )
    serial = unique_serial()
    email = f"{serial.lower()}@bakkerij-demolen.nl"
    phone.goto(f"{portal}{PREFIX[language]}/support/new/")
    form = phone.locator("main form[method=post]")
    form.locator("[name=account_id]").fill("10234567")
    form.locator("[name=serial_number]").fill(serial)
    form.locator("[name=description]").fill("The screen says Attacked!")
    form.locator("[name=contact_name]").fill("Sanne de Vries")
    form.locator("[name=email]").fill(email)
    submit(phone)
    request = SupportRequest.objects.get(serial_number=serial)
    # The confirmation page already leads to the tracking page.
    expect(phone.locator(f"main a[href*='/support/track/{request.public_token}/']")).to_be_visible()

    change_path = f"/admin/support/supportrequest/{request.pk}/change/"
    sign_in_agent(page, portal, f"conv-agent-{language}")
    agent_writes(page, portal, change_path, canned=f"Photo of the screen ({language})")
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.WAITING

    link = conversation["link_in_mail_to"](email, request.reference)
    assert f"{PREFIX[language]}/support/track/{request.public_token}/" in link
    merchant_answers_with_a_photo(phone, link, question, answer, conversation["photo"])

    request.refresh_from_db()
    assert request.status == SupportRequest.Status.IN_PROGRESS
    agent_sees_the_answer(page, portal, change_path, answer)
    # Back at the top of the agents' queue.
    page.goto(portal + "/admin/support/supportrequest/")
    expect(page.locator("#result_list tbody tr").first).to_contain_text(request.reference)
    assert any(
        request.reference in str(m["Subject"])
        for m in conversation["smtp"].messages_to("pos-support@example.com")
    )
    assert csp_violations(phone) == [] and csp_violations(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_return_waiting_for_information_gets_its_answer_with_a_photo(
    conversation, portal, phone, page, language
):
    question, answer = WORDS[language]
    rma = ReturnFactory(language=language, serial_number=unique_serial())
    return_transition(rma=rma, to_status=Return.Status.NEEDS_INFO, note="Which message?")
    change_path = f"/admin/returns/return/{rma.pk}/change/"

    sign_in_agent(page, portal, f"conv-rma-agent-{language}")
    agent_writes(page, portal, change_path, text=question)

    link = conversation["link_in_mail_to"](rma.email, rma.rma_number)
    assert f"{PREFIX[language]}/returns/track/{rma.tracking_token}/" in link
    merchant_answers_with_a_photo(phone, link, question, answer, conversation["photo"])

    rma.refresh_from_db()
    assert rma.status == Return.Status.SUBMITTED
    assert Message.objects.filter(rma=rma, from_merchant=True).count() == 1
    agent_sees_the_answer(page, portal, change_path, answer)
    # In the queue of returns waiting on support again.
    page.goto(portal + "/admin/returns/return/?queue=support")
    expect(page.locator("#result_list")).to_contain_text(rma.rma_number)
    assert csp_violations(phone) == [] and csp_violations(page) == []
