"""The agent's side: the thread on the admin page, replies, canned replies, status in one step."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conversations.models import Message
from conversations.services import message_from_merchant
from outbox.models import OutboxMessage
from returns.models import Return
from returns.services import return_transition
from support.attachments import attachment_check
from support.models import SupportRequest
from tests.conversations.factories import CannedReplyFactory, SupportRequestFactory
from tests.returns.factories import ReturnFactory
from tests.support.helpers import jpeg_bytes

pytestmark = pytest.mark.django_db


def change_url(item) -> str:
    if isinstance(item, Return):
        return reverse("admin:returns_return_change", args=[item.pk])
    return reverse("admin:support_supportrequest_change", args=[item.pk])


def reply_url(item) -> str:
    if isinstance(item, Return):
        return reverse("admin:returns_return_reply", args=[item.pk])
    return reverse("admin:support_supportrequest_reply", args=[item.pk])


def send(client, item, **fields):
    return client.post(reply_url(item), {f"reply-{name}": value for name, value in fields.items()})


def test_the_agent_sees_the_thread_in_order_with_the_merchants_photo(agent_client):
    request = SupportRequestFactory(notes="Called twice already")
    photo = attachment_check(SimpleUploadedFile("screen.jpg", jpeg_bytes(), "image/jpeg"))
    message_from_merchant(item=request, body="First", files=[photo])
    message_from_merchant(item=request, body="Second")

    page = agent_client.get(change_url(request)).text

    thread = page.split('id="conversation"')[1]
    assert thread.index("First") < thread.index("Second")
    attachment = Message.objects.first().attachments.get()
    assert reverse("conversations:message_attachment_thumbnail", args=[attachment.pk]) in thread
    # The internal note is in its own, labelled part of the page, not in the thread.
    assert "Called twice already" not in thread
    assert "Internal notes (never shown to the merchant)" in page


def test_a_reply_is_mailed_in_the_merchants_language_with_the_tracking_link(agent_client):
    request = SupportRequestFactory(language="nl", status=SupportRequest.Status.IN_PROGRESS)

    response = send(agent_client, request, body="Kunt u een foto sturen?", next_status="")

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.WAITING
    mail = OutboxMessage.objects.get(to=request.email)
    assert mail.language == "nl"
    assert mail.subject == f"Nieuw bericht over uw supportverzoek {request.reference}"
    assert "Kunt u een foto sturen?" in mail.body_text
    assert f"https://help.example.com/nl/support/track/{request.public_token}/" in mail.body_text
    assert Message.objects.get().author is not None


def test_the_agent_is_offered_the_canned_replies_in_the_merchants_language_only(agent_client):
    CannedReplyFactory(title="Photo please", language="fr", body="Envoyez une photo.")
    CannedReplyFactory(title="Dutch photo", language="nl", body="Stuur een foto.")
    request = SupportRequestFactory(language="fr")

    page = agent_client.get(change_url(request)).text

    assert "Photo please" in page
    assert 'data-body="Envoyez une photo."' in page
    assert "Dutch photo" not in page


def test_a_canned_reply_without_javascript_is_sent_and_sets_its_status(agent_client):
    canned = CannedReplyFactory(
        language="en",
        body="Solved on our side; tell us if it comes back.",
        support_status=SupportRequest.Status.SOLVED,
    )
    request = SupportRequestFactory()

    response = send(agent_client, request, canned_reply=canned.pk, body="", next_status="")

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.SOLVED
    assert Message.objects.get().body == canned.body


def test_a_reply_can_ask_a_return_for_information_in_the_same_step(agent_client):
    rma = ReturnFactory(language="en", status=Return.Status.SUBMITTED)

    response = send(agent_client, rma, body="Which message is shown?", next_status="needs_info")

    assert response.status_code == 302
    rma.refresh_from_db()
    assert rma.status == Return.Status.NEEDS_INFO
    assert rma.status_changes.last().changed_by is not None
    # One e-mail, the workflow's, carrying the message and the tracking link.
    [mail] = OutboxMessage.objects.filter(to=rma.email)
    assert "Which message is shown?" in mail.body_text
    assert f"/returns/track/{rma.tracking_token}/" in mail.body_text
    assert Message.objects.get(rma=rma).body == "Which message is shown?"


def test_a_refused_status_step_sends_nothing_and_keeps_the_text(agent_client):
    rma = ReturnFactory(language="en", status=Return.Status.SUBMITTED)
    return_transition(rma=rma, to_status=Return.Status.APPROVED)
    mails_before = OutboxMessage.objects.count()

    # The form offered "received" from another status; the return has moved on since.
    response = send(agent_client, rma, body="We got the terminal.", next_status="closed")

    assert response.status_code == 400
    assert "Nothing was sent or changed" in response.text
    assert "We got the terminal.</textarea>" in response.text
    rma.refresh_from_db()
    assert rma.status == Return.Status.APPROVED
    assert Message.objects.count() == 0
    assert OutboxMessage.objects.count() == mails_before


def test_an_empty_reply_is_refused_in_words(agent_client):
    request = SupportRequestFactory()

    response = send(agent_client, request, body="  ")

    assert response.status_code == 400
    assert "Write a message to the merchant or choose a canned reply." in response.text
    assert Message.objects.count() == 0


def test_a_canned_reply_whose_status_the_workflow_refuses_is_explained(agent_client):
    canned = CannedReplyFactory(language="nl", return_status=Return.Status.RECEIVED)
    rma = ReturnFactory(language="nl", status=Return.Status.SUBMITTED)

    response = send(agent_client, rma, canned_reply=canned.pk, body="", next_status="")

    assert response.status_code == 400
    assert "cannot go from" in response.text
    assert Message.objects.count() == 0
    assert Return.objects.get(pk=rma.pk).status == Return.Status.SUBMITTED


def test_staff_outside_support_cannot_write_to_the_merchant(client):
    from tests.staff.factories import EditorFactory

    client.force_login(EditorFactory())
    request = SupportRequestFactory()

    assert send(client, request, body="Hello").status_code == 403
    assert Message.objects.count() == 0
