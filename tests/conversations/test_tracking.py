"""The merchant's side: the tracking page of a request, its conversation and the reply box."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conversations.forms import MerchantReplyForm
from conversations.models import Message, MessageAttachment
from conversations.services import message_from_agent
from outbox.models import OutboxMessage
from returns.models import Return
from returns.services import return_note_add, return_transition
from support.models import SupportRequest
from tests.conversations.factories import SupportRequestFactory
from tests.returns.factories import ReturnFactory
from tests.support.helpers import jpeg_bytes

pytestmark = pytest.mark.django_db


def track(item) -> str:
    if isinstance(item, Return):
        return reverse("returns:return_track", kwargs={"token": item.tracking_token})
    return reverse("support:support_request_track", kwargs={"token": item.public_token})


def reply_url(item) -> str:
    if isinstance(item, Return):
        return reverse("returns:return_answer", kwargs={"token": item.tracking_token})
    return reverse("support:support_request_reply", kwargs={"token": item.public_token})


def reply(client, item, body: str = "", files=(), **extra):
    data = {"body": body, "files": list(files)} | MerchantReplyForm.guard_initial() | extra
    return client.post(reply_url(item), data)


def stored_files(settings) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_a_wrong_token_finds_no_request_and_no_file(client):
    request = SupportRequestFactory()
    other = SupportRequestFactory()
    message_from_agent(item=other, author=None, body="Hello")

    assert client.get("/support/track/not-the-token/").status_code == 404
    assert client.get(f"/support/track/{request.reference}/").status_code == 404
    assert reply(client, SupportRequest(public_token="guess"), "hi").status_code == 404
    assert client.get(track(request)).status_code == 200
    assert Message.objects.filter(support_request=request).count() == 0


def test_the_tracking_page_is_private_and_says_the_status_in_the_merchants_words(client):
    request = SupportRequestFactory(status=SupportRequest.Status.WAITING)

    response = client.get(track(request))

    assert response.status_code == 200
    assert "Waiting for you" in response.text
    assert request.reference in response.text
    # No Referer to other sites (no-referrer would make browsers send "Origin: null" with
    # the reply form, refused by the CSRF check: the browser test caught it).
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in response.text


def test_the_status_is_shown_in_dutch_and_french(client):
    request = SupportRequestFactory(status=SupportRequest.Status.SOLVED)

    path = f"/support/track/{request.public_token}/"
    assert "Opgelost" in client.get(f"/nl{path}").text
    assert "Résolue" in client.get(f"/fr{path}").text


def test_the_confirmation_page_and_e_mail_link_to_the_tracking_page(client):
    from tests.support.helpers import support_form

    response = client.post(reverse("support:support_request_create"), support_form(""))
    request = SupportRequest.objects.get()
    to_merchant = OutboxMessage.objects.get(to=request.email)

    page = client.get(response["Location"]).text
    assert f'href="/support/track/{request.public_token}/"' in page
    assert f"https://help.example.com/support/track/{request.public_token}/" in (
        to_merchant.body_text
    )
    assert request.status == SupportRequest.Status.RECEIVED


def test_the_merchant_answers_with_a_photo_and_the_request_is_back_at_the_top(client):
    request = SupportRequestFactory(status=SupportRequest.Status.WAITING)
    newer = SupportRequestFactory()
    message_from_agent(item=request, author=None, body="Which message is on the screen?")
    photo = SimpleUploadedFile("screen.jpg", jpeg_bytes(with_location=True), "image/jpeg")

    response = reply(client, request, "It says Attacked!", [photo])

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.IN_PROGRESS
    assert request.queued_at > newer.queued_at
    page = client.get(response["Location"]).text
    assert "Support received your message" in page
    assert "Which message is on the screen?" in page
    assert "It says Attacked!" in page
    attachment = MessageAttachment.objects.get()
    assert attachment.is_reencoded and attachment.thumbnail
    file_url = reverse(
        "support:support_request_file", kwargs={"token": request.public_token, "pk": attachment.pk}
    )
    assert file_url in page
    to_support = OutboxMessage.objects.get(to="pos-support@example.com")
    assert "It says Attacked!" in to_support.body_text
    assert "screen.jpg" in to_support.body_text
    assert f"/admin/support/supportrequest/{request.pk}/change/" in to_support.body_text
    # The photo is served to the link's holder only, as a re-encoded picture.
    opened = client.get(file_url)
    assert opened.status_code == 200 and opened["Content-Type"] == "image/jpeg"
    assert opened["Content-Security-Policy"] == "sandbox; default-src 'none'"
    other = SupportRequestFactory()
    stranger = reverse(
        "support:support_request_file", kwargs={"token": other.public_token, "pk": attachment.pk}
    )
    assert client.get(stranger).status_code == 404


def test_a_return_waiting_for_information_goes_back_to_support(client):
    rma = ReturnFactory(language="fr")
    return_transition(rma=rma, to_status="needs_info", note="Quel message voyez-vous ?")

    response = reply(client, rma, "Il affiche Attacked!")

    assert response.status_code == 302
    rma.refresh_from_db()
    assert rma.status == Return.Status.SUBMITTED
    assert Message.objects.get(rma=rma).from_merchant
    to_support = OutboxMessage.objects.get(to="pos-support@example.com", reference=rma.rma_number)
    assert to_support.subject == f"{rma.rma_number}: the merchant replied"
    assert "Il affiche Attacked!" in to_support.body_text
    assert f"/admin/returns/return/{rma.pk}/change/" in to_support.body_text


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("invoice.pdf", b"%PDF-1.4 not a photo", "invoice.pdf is not a photo or video we can open"),
        ("huge.mp4", b"\x00" * (50 * 1024 * 1024 + 1), "huge.mp4 is 50.0\xa0MB; photos can be up"),
    ],
)
def test_a_bad_upload_is_explained_keeps_the_text_and_saves_nothing(
    client, settings, name, content, said
):
    request = SupportRequestFactory(status=SupportRequest.Status.WAITING)

    response = reply(client, request, "Here is the receipt", [SimpleUploadedFile(name, content)])

    assert response.status_code == 400
    assert said in response.text
    assert "Here is the receipt</textarea>" in response.text
    assert "please choose your photos or video again" in response.text
    assert Message.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    assert stored_files(settings) == []
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.WAITING


def test_an_empty_reply_is_refused_in_words(client):
    request = SupportRequestFactory()

    response = reply(client, request, "   ")

    assert response.status_code == 400
    assert "Please write a message or add a photo or video." in response.text
    assert Message.objects.count() == 0


def test_the_same_reply_sent_twice_is_one_message(client):
    request = SupportRequestFactory()
    guard = MerchantReplyForm.guard_initial()

    first = reply(client, request, "Once", **guard)
    second = reply(client, request, "Once", **guard)

    assert first.status_code == second.status_code == 302
    assert Message.objects.count() == 1


def test_a_finished_return_takes_no_more_messages(client):
    rma = ReturnFactory(status=Return.Status.CLOSED)

    page = client.get(track(rma)).text
    response = reply(client, rma, "Hello?")

    assert "Send my message" not in page
    assert response.status_code == 400
    assert "takes no more messages" in response.text
    assert Message.objects.count() == 0


def test_internal_notes_stay_off_the_merchants_page_and_mails(client):
    request = SupportRequestFactory(notes="Merchant sounded angry on the phone")
    rma = ReturnFactory(language="en")
    return_note_add(rma=rma, text="Suspect water damage, check warranty")
    message_from_agent(item=request, author=None, body="We look into it.")
    message_from_agent(item=rma, author=None, body="We look into it.")
    reply(client, request, "Thanks")
    reply(client, rma, "Thanks")

    pages = client.get(track(request)).text + client.get(track(rma)).text
    mails = " ".join(m.body_text + m.subject for m in OutboxMessage.objects.all())
    for note in ("Merchant sounded angry", "Suspect water damage"):
        assert note not in pages
        assert note not in mails


def test_a_video_in_the_conversation_is_only_ever_downloaded(client):
    from tests.support.helpers import video_bytes

    request = SupportRequestFactory()
    clip = SimpleUploadedFile("clip.mp4", video_bytes(), "video/mp4")
    reply(client, request, "", [clip])
    attachment = MessageAttachment.objects.get()

    opened = client.get(
        reverse(
            "support:support_request_file",
            kwargs={"token": request.public_token, "pk": attachment.pk},
        )
    )

    assert attachment.kind == "video" and not attachment.is_reencoded
    assert opened["Content-Type"] == "application/octet-stream"
    assert opened["Content-Disposition"].startswith("attachment")
    assert opened["X-Content-Type-Options"] == "nosniff"
