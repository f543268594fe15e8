"""Whatever a stranger uploads, the support form answers in words and leaves nothing unowned."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.models import SupportAttachment
from tests.support.helpers import (
    jpeg_bytes,
    png_bytes,
    polyglot_webp,
    support_form,
    video_bytes,
)

pytestmark = pytest.mark.django_db

CONTENTS = [
    jpeg_bytes(size=(64, 48)),
    png_bytes(transparent=True),
    video_bytes("webm"),
    polyglot_webp(),
    jpeg_bytes(size=(64, 48))[:200],  # a photo cut off halfway
    b"<svg onload=alert(1)>",
    b"",
]


def _sendable(name: str) -> str:
    """A name a browser can put in the form: the test client refuses, as browsers do, an
    empty last part ("a/", "..")."""
    last = name.replace("\x00", "").replace("\\", "/").rsplit("/", 1)[-1]
    return name.replace("\x00", "") if last not in {"", ".", ".."} else "x"


names = st.text(min_size=0, max_size=300).map(_sendable)
declared = st.one_of(
    st.sampled_from(["image/jpeg", "text/html", "text/javascript", "image/svg+xml", ""]),
    st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=120),
)
files = st.lists(
    st.tuples(names, declared, st.sampled_from(CONTENTS) | st.binary(max_size=2048)),
    max_size=7,
)


def _files_on_disk(root: Path) -> set[str]:
    if not root.exists():
        return set()
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(uploads=files)
def test_no_upload_gets_a_server_error_or_leaves_a_file_without_its_row(client, uploads):
    from django.conf import settings as django_settings

    sent = [
        SimpleUploadedFile(name, content, content_type=content_type or "")
        for name, content_type, content in uploads
    ]
    response = client.post("/support/new/", support_form(files=sent))

    assert response.status_code in {302, 400, 413, 429}
    if response.status_code != 302:
        assert "Sanne de Vries" in response.content.decode()
    owned = {
        name
        for pair in SupportAttachment.objects.values_list("file", "thumbnail")
        for name in pair
        if name
    }
    assert _files_on_disk(Path(django_settings.MEDIA_ROOT)) == owned
    for attachment in SupportAttachment.objects.all():
        assert attachment.content_type in {
            "image/jpeg",
            "image/png",
            "video/mp4",
            "video/quicktime",
            "video/webm",
        }
