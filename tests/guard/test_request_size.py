"""A request too large to read is refused before anything reads it, with a page that says why."""

from __future__ import annotations

import pytest

from support.models import SupportRequest
from tests.guard.test_forms import SUPPORT_URL, shown
from tests.support.helpers import support_form, upload, video_bytes
from troubleshooting.models import ArticleFeedback

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_rate_limits")]
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _two_mb_and_two_requests(settings):
    settings.MAX_REQUEST_BYTES = 2 * MB
    settings.SUPPORT_RATE_LIMIT = "2/h"
    settings.FORM_MIN_FILL_SECONDS = 0


def test_a_request_over_the_limit_gets_the_limit_in_words_and_the_connection_closed(
    client, settings
):
    huge = upload("clip.mp4", video_bytes() + b"\x00" * (2 * MB), "video/mp4")

    page = client.post(SUPPORT_URL, support_form(files=[huge]) | shown(10))

    assert page.status_code == 413
    assert "Too much to send at once" in page.text
    assert "Everything you send together can be up to 2 MB." in page.text
    assert f"mailto:{settings.SUPPORT_EMAIL}" in page.text  # the usual footer: who to ask
    assert page["Connection"] == "close"
    assert not SupportRequest.objects.exists()


def test_a_refused_upload_counts_against_its_form_limit(client):
    huge = upload("clip.mp4", b"\x00" * (2 * MB), "video/mp4")
    assert client.post(SUPPORT_URL, support_form(files=[huge]) | shown(10)).status_code == 413

    assert client.post(SUPPORT_URL, support_form() | shown(10)).status_code == 302
    assert client.post(SUPPORT_URL, support_form() | shown(10)).status_code == 429


def test_a_request_of_exactly_the_limit_is_read_and_one_byte_more_is_not(client):
    def post(size: int) -> int:
        body = b"x" * size
        return client.post("/no-such-page/", body, content_type="text/plain").status_code

    assert post(2 * MB) == 404
    assert post(2 * MB + 1) == 413


def test_an_oversize_post_to_a_form_without_a_guard_or_to_no_page_is_refused_all_the_same(
    client,
):
    for path in ("/articles/anything/feedback/", "/no-such-page/"):
        page = client.post(path, {"helpful": "yes"}, CONTENT_LENGTH=str(3 * MB))
        assert page.status_code == 413
    assert not ArticleFeedback.objects.exists()


@pytest.mark.parametrize("length", ["", "not a number"])
def test_a_missing_or_unreadable_length_is_no_reason_to_refuse(client, length):
    assert client.get("/", CONTENT_LENGTH=length).status_code == 200
