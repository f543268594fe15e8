"""Escalation: a guide that ends in "contact support" hands its path to the support request."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guides.models import GuideRun
from guides.selectors import guide_graph
from outbox.models import OutboxMessage
from support.models import SupportRequest
from tests.conftest import message_text
from tests.support.helpers import jpeg_bytes, support_form, video_bytes


def answer(client, graph, key: str, label: str, token: str, prefix: str = "") -> str:
    choice = next(c for c in graph.steps[key].choices if c.label == label)
    response = client.post(
        f"{prefix}/guides/{graph.slug}/{key}/", {"choice": choice.id, "run": token}
    )
    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)["run"][0]


def walk_no_connection_to_support(client, load_guide, language: str = "en") -> str:
    graph = guide_graph(guide=load_guide("no-connection")[language])
    prefix = "" if language == "en" else f"/{language}"
    labels = {
        "en": ["Yes, it is connected", "Red", "P2 Smartpad", "Still not working",
               "Still not working", "No: contact support"],
        "nl": ["Ja, hij is verbonden", "Rood", "P2 Smartpad", "Werkt nog steeds niet",
               "Werkt nog steeds niet", "Nee: contact opnemen met support"],
    }[language]  # fmt: skip
    keys = ["wifi", "icon", "terminal-type", "smartpad-cable", "improve-network", "still-failing"]
    token = ""
    for key, label in zip(keys, labels, strict=True):
        token = answer(client, graph, key, label, token, prefix)
    return token


@pytest.mark.django_db(transaction=True)
def test_an_escalated_request_carries_the_path_into_the_stored_request_and_both_emails(
    client, load_guide, smtp_server, run_worker, settings
):
    settings.SUPPORT_EMAIL = "pos-support@example.com"
    token = walk_no_connection_to_support(client, load_guide)
    form_page = client.get(reverse("support:support_request_create") + f"?run={token}")
    # The merchant sees their own answers before sending them, in words, not support's codes.
    assert "What colour is the internet icon on the terminal?" in form_page.text
    assert "<strong>Red</strong>" in form_page.text
    for internal in ["(no-connection, en)", "Outcome:", "Escalated", "Started:"]:
        assert internal not in form_page.text

    photo = SimpleUploadedFile("screen.jpg", jpeg_bytes(), content_type="image/jpeg")
    sent = client.post(
        reverse("support:support_request_create"), support_form(token, files=[photo])
    )

    assert sent.status_code == 302
    request = SupportRequest.objects.get()
    assert request.serial_number == "PB0123456789"
    assert request.guide_run.token == token
    assert request.guide_run.outcome == GuideRun.Outcome.ESCALATED
    for text in [
        "Guide: The terminal has no or an unstable connection (no-connection, en)",
        "1. Is the terminal connected to Wi-Fi?\n   → Yes, it is connected",
        "2. What colour is the internet icon on the terminal?\n   → Red",
        "3. Which terminal do you use?\n   → P2 Smartpad",
        "4. Connect the P2 Smartpad to the connection cable\n   → Still not working",
        "Fixes tried without success:\n- Connect the P2 Smartpad to the connection cable\n"
        "- Improve the network connectivity",
    ]:
        assert text in request.guide_path_text
    assert request.attachments.get().kind == "image"
    confirmation = client.get(sent["Location"])
    assert request.reference in confirmation.text

    run_worker()

    to_support = smtp_server.messages_to("pos-support@example.com")
    assert len(to_support) == 1
    body = message_text(to_support[0]).replace("\r\n", "\n")
    assert request.reference in to_support[0]["Subject"]
    assert "PB0123456789" in to_support[0]["Subject"]
    assert to_support[0]["Reply-To"] == "sanne@bakkerij.example"
    assert "2. What colour is the internet icon on the terminal?\n   → Red" in body
    assert "Icon stays red since this morning." in body
    assert "screen.jpg" in body
    to_merchant = smtp_server.messages_to("sanne@bakkerij.example")
    assert len(to_merchant) == 1
    assert request.reference in to_merchant[0]["Subject"]


@pytest.mark.django_db(transaction=True)
def test_a_dutch_merchant_is_confirmed_in_dutch(client, load_guide, smtp_server, run_worker):
    token = walk_no_connection_to_support(client, load_guide, "nl")

    client.post("/nl/support/new/", support_form(token, description=""))

    request = SupportRequest.objects.get()
    assert request.language == "nl"
    # Support reads the path with English headings and the merchant's own answers.
    assert "→ Rood" in request.guide_path_text
    assert "Answers given:" in request.guide_path_text
    run_worker()
    to_merchant = smtp_server.messages_to("sanne@bakkerij.example")[0]
    assert "We hebben uw supportverzoek" in to_merchant["Subject"]


@pytest.mark.django_db
def test_bad_input_is_answered_in_words_and_nothing_is_saved(client):
    fake_photo = SimpleUploadedFile("photo.jpg", b"MZ not a photo", content_type="image/jpeg")

    page = client.post(
        reverse("support:support_request_create"),
        support_form("", account_id="ABC", description="", files=[fake_photo]),
    )

    assert page.status_code == 400
    assert "An account ID is a number" in page.text
    assert "Please tell us what goes wrong." in page.text
    assert "photo.jpg is not a photo or video we can open" in page.text
    # What the merchant typed stays in the form.
    assert 'value="Sanne de Vries"' in page.text
    assert SupportRequest.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_a_photo_over_10_mb_is_refused_but_a_video_of_that_size_is_accepted(client):
    big = 10 * 1024 * 1024 + 1
    # Real pictures and videos, padded past the limit with bytes their decoders skip.
    photo = SimpleUploadedFile("big.jpg", jpeg_bytes() + b"\x00" * big, content_type="image/jpeg")
    video = SimpleUploadedFile("clip.mp4", video_bytes() + b"\x00" * big, content_type="video/mp4")

    refused = client.post(
        reverse("support:support_request_create"), support_form("", files=[photo])
    )
    accepted = client.post(
        reverse("support:support_request_create"), support_form("", files=[video])
    )

    assert refused.status_code == 400
    assert "big.jpg is 10.0\xa0MB; photos can be up to 10 MB and videos up to 50 MB" in refused.text
    assert accepted.status_code == 302
    assert SupportRequest.objects.get().attachments.get().kind == "video"


@pytest.mark.django_db
def test_a_video_over_50_mb_is_refused(client):
    video = SimpleUploadedFile(
        "long.mov",
        video_bytes("mov") + b"\x00" * (50 * 1024 * 1024),
        content_type="video/quicktime",
    )

    refused = client.post(
        reverse("support:support_request_create"), support_form("", files=[video])
    )

    assert refused.status_code == 400
    assert "long.mov is 50.0\xa0MB; photos can be up to 10 MB" in refused.text


@pytest.mark.django_db
def test_sending_the_same_form_twice_files_one_request(client):
    form_page = client.get(reverse("support:support_request_create"))
    shown = form_page.context["form"].initial
    data = support_form("", idempotency_key=shown["idempotency_key"], started=shown["started"])

    first = client.post(reverse("support:support_request_create"), data)
    second = client.post(reverse("support:support_request_create"), data)

    assert first["Location"] == second["Location"]
    assert SupportRequest.objects.count() == 1
    assert OutboxMessage.objects.count() == 2  # one to support, one confirmation


@pytest.mark.django_db
def test_many_requests_from_one_address_are_paused_with_an_explanation(client, settings):
    settings.SUPPORT_RATE_LIMIT = "10/h"
    for _ in range(10):
        assert (
            client.post(reverse("support:support_request_create"), support_form("")).status_code
            == 302
        )

    paused = client.post(reverse("support:support_request_create"), support_form(""))

    assert paused.status_code == 429
    assert "we paused new ones" in paused.text
    assert 'value="Sanne de Vries"' in paused.text
    assert SupportRequest.objects.count() == 10


def test_the_phone_field_asks_for_a_phone_keyboard_and_help_texts_are_linked(client):
    html = client.get(reverse("support:support_request_create")).text

    phone = re.search(r"<input[^>]*name=\"phone\"[^>]*>", html).group(0)
    assert re.findall(r"\stype=", phone) == [" type="], "a single type attribute"
    assert 'type="tel"' in phone
    # Every id a field points at with aria-describedby exists on the page.
    for described in re.findall(r'aria-describedby="([^"]+)"', html):
        for target in described.split():
            assert f'id="{target}"' in html, target
