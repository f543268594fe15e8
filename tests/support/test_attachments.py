"""A merchant's upload can never run in a support agent's browser, nor tell where the shop is."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from outbox.models import OutboxMessage
from support.attachments import CheckedFile
from support.models import SupportAttachment, SupportRequest
from support.services import support_request_create
from tests.staff.factories import AgentFactory, EditorFactory, StaffFactory
from tests.support.helpers import (
    GPS_IFD,
    jpeg_bytes,
    png_bytes,
    polyglot_webp,
    support_form,
    upload,
    video_bytes,
)

pytestmark = pytest.mark.django_db
URL = "/support/new/"


def send(client, *files, **fields):
    return client.post(URL, support_form(files=list(files), **fields))


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def opened(client, attachment: SupportAttachment, *, thumbnail: bool = False):
    name = "support:support_attachment_thumbnail" if thumbnail else "support:support_attachment"
    return client.get(reverse(name, args=[attachment.pk]))


@pytest.mark.parametrize("declared", ["text/html", "text/javascript", "image/webp"])
def test_a_webp_that_hides_a_page_is_refused_whatever_the_browser_declared(client, declared):
    page = send(client, upload("screen.webp", polyglot_webp(), declared))

    assert page.status_code == 400
    assert "screen.webp is not a photo or video we can open" in page.text
    assert not SupportAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("screen.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("screen.jpg", b"<!doctype html><html><script>alert(1)</script></html>"),
        ("clip.mp4", b"\x00\x00\x00\x18ftypmp42" + b"<script>alert(1)</script>" * 10),
        ("clip.webm", b"\x1a\x45\xdf\xa3webm" + b"\x00" * 64),
    ],
)
def test_pages_and_fake_videos_renamed_as_photos_or_videos_are_refused(client, name, content):
    page = send(client, upload(name, content, "image/jpeg"))

    assert page.status_code == 400
    assert f"{name} is not a photo or video we can open" in page.text
    assert not SupportRequest.objects.exists()


def test_a_photo_is_stored_re_encoded_under_a_random_name_without_its_location(
    client, admin_client, settings
):
    sent = send(client, upload("../../shop front.jpg", jpeg_bytes(with_location=True), "text/html"))

    assert sent.status_code == 302
    attachment = SupportAttachment.objects.get()
    assert attachment.original_name == "shop front.jpg"
    assert attachment.content_type == "image/jpeg"
    assert "shop" not in attachment.file.name
    assert len(Path(attachment.file.name).stem) == 32
    stored = Image.open(io.BytesIO(attachment.file.read()))
    assert stored.format == "JPEG"
    assert not stored.getexif().get_ifd(GPS_IFD)

    response = opened(admin_client, attachment)
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("inline")
    thumbnail = opened(admin_client, attachment, thumbnail=True)
    assert max(Image.open(io.BytesIO(b"".join(thumbnail.streaming_content))).size) <= 320


def test_a_transparent_screenshot_stays_a_png(client):
    send(client, upload("screenshot.png", png_bytes(transparent=True), "image/png"))

    attachment = SupportAttachment.objects.get()
    assert attachment.content_type == "image/png"
    assert Image.open(attachment.file).mode == "RGBA"


@pytest.mark.parametrize(
    ("container", "content_type"),
    [("mp4", "video/mp4"), ("mov", "video/quicktime"), ("webm", "video/webm")],
)
def test_a_real_video_is_kept_and_only_ever_downloaded(
    client, admin_client, container, content_type
):
    sent = send(client, upload(f"clip.{container}", video_bytes(container), "text/html"))

    assert sent.status_code == 302
    attachment = SupportAttachment.objects.get()
    assert (attachment.kind, attachment.content_type) == ("video", content_type)
    response = opened(admin_client, attachment)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_an_attachment_stored_before_re_encoding_is_only_downloaded(admin_client, settings):
    request = SupportRequest.objects.create(
        account_id="1", serial_number="PB1", contact_name="A", email="a@example.com"
    )
    old = SupportAttachment(
        support_request=request, original_name="x.webp", kind="image", content_type="text/html"
    )
    old.file.save("x.webp", io.BytesIO(polyglot_webp()), save=False)
    old.size = 10
    old.save()

    response = opened(admin_client, old)

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("who", "status"),
    [("nobody", 302), ("staff in no group", 403), ("content editor", 403), ("agent", 200)],
)
def test_only_those_allowed_to_see_attachments_can_open_one(client, who, status):
    send(client, upload("screen.jpg", jpeg_bytes()))
    attachment = SupportAttachment.objects.get()
    factory = {"staff in no group": StaffFactory, "content editor": EditorFactory}
    if who in factory:
        client.force_login(factory[who]())
    elif who == "agent":
        client.force_login(AgentFactory())

    assert opened(client, attachment).status_code == status
    assert opened(client, attachment, thumbnail=True).status_code == status


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (".jpg", ".jpg"),
        ("a/.jpg", ".jpg"),
        ("C:\\fakepath\\.jpg", ".jpg"),
        ("\u202egpj.exe", "gpj.exe"),
    ],
)
def test_odd_file_names_are_kept_for_support_and_never_reach_the_disk(client, name, shown):
    sent = send(client, upload(name, jpeg_bytes()))

    assert sent.status_code == 302
    attachment = SupportAttachment.objects.get()
    assert attachment.original_name == shown
    assert Path(attachment.file.name).suffix == ".jpg"


def test_a_request_over_the_size_limit_is_refused_unread_and_counts_against_the_limit(
    client, settings
):
    settings.MAX_REQUEST_BYTES = 200_000
    settings.SUPPORT_RATE_LIMIT = "2/h"
    huge = upload("clip.mp4", video_bytes() + b"\x00" * 300_000, "video/mp4")

    refused = send(client, huge)

    assert refused.status_code == 413
    assert "Too much to send at once" in refused.text
    assert send(client).status_code == 302
    assert send(client).status_code == 429
    assert SupportRequest.objects.count() == 1


def test_a_request_that_fails_halfway_leaves_no_file_behind(settings):
    good = CheckedFile("a.jpg", "image", "image/jpeg", "jpg", io.BytesIO(jpeg_bytes()), 10)
    # The model refuses this one after the first file is already written.
    bad = CheckedFile("b.exe", "image", "image/jpeg", "exe", io.BytesIO(b"x"), 1)

    with pytest.raises(Exception, match="extension"):
        support_request_create(
            account_id="10012345",
            serial_number="PB0123456789",
            description="",
            contact_name="Sanne",
            email="sanne@example.nl",
            language="en",
            attachments=[good, bad],
        )

    assert not SupportRequest.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert stored_files(settings) == []
