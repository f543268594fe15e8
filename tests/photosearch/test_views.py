"""A merchant photographs the terminal's screen and lands on the fix, in their language."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from tests.photosearch.conftest import ATTACKED, photo_upload, png_bomb
from tests.photosearch.screens import PHONE_PHOTO_SIZE, photo

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "main"}


def url(language: str = "en") -> str:
    prefix = "" if language == "en" else f"/{language}"
    return f"{prefix}/photo/"


def send(client, content: bytes, language: str = "en", **headers):
    return client.post(url(language), {"photo": photo_upload(content)}, **headers)


@pytest.mark.parametrize(
    ("language", "we_read", "fix"),
    [
        ("en", "We read:", "Request a code to unblock the device"),
        ("nl", "Wij lazen:", "Vraag bij de technische support van Sunmi een deblokkeercode aan"),
        ("fr", "Nous avons lu :", "Demandez un code de déblocage au support technique de Sunmi"),
    ],
)
def test_a_photo_of_the_attacked_screen_shows_the_tampering_fix_in_the_merchants_language(
    client, bundled_content, tesseract, language, we_read, fix
):
    response = send(client, photo(ATTACKED, seed=7), language)
    html = response.content.decode()
    assert response.status_code == 200
    assert we_read in html
    assert f'value="{ATTACKED}"' in html
    assert fix in html
    prefix = "" if language == "en" else f"/{language}"
    assert f'href="{prefix}/articles/tampering-alarm/#messages-heading"' in html
    assert response["Cache-Control"] == "no-store"


def test_htmx_swaps_the_result_in_place_without_the_page_around_it(
    client, bundled_content, tesseract
):
    response = send(client, photo("Card not supported", seed=3), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'value="Card not supported"' in html
    assert 'id="photo-result"' in html


def test_htmx_shows_a_bad_photo_in_place_too(client, bundled_content, tesseract):
    response = send(client, b"GIF89a but not really", **HTMX)
    # htmx swaps only a successful answer: the message must arrive as one.
    assert response.status_code == 200
    html = bad(response)
    assert "<html" not in html
    assert "We could not open this file as a photo" in html


def test_a_12_megapixel_phone_photo_is_read(client, bundled_content, tesseract):
    # Its speed (1.5 s at p95) is measured by make bench, not here.
    content = photo(ATTACKED, seed=21, size=PHONE_PHOTO_SIZE, quality=88)
    assert len(content) > 1_000_000
    response = send(client, content)
    assert "Request a code to unblock the device" in response.content.decode()


def test_the_button_is_on_every_public_page_without_a_token(client, bundled_content, tesseract):
    for page in ["/", "/search/?q=wifi", "/articles/tampering-alarm/", "/nl/", "/fr/guides/"]:
        html = client.get(page).content.decode()
        assert 'capture="environment"' in html, page
        assert 'accept="image/*"' in html
        assert 'enctype="multipart/form-data"' in html
        assert "csrfmiddlewaretoken" not in html


def test_without_the_engine_the_button_is_gone_and_the_pages_still_work(
    client, bundled_content, settings
):
    settings.TESSERACT_CMD = "/nonexistent/tesseract"
    home = client.get("/")
    assert home.status_code == 200
    assert 'capture="environment"' not in home.content.decode()
    found = client.get("/search/?q=attacked")
    assert found.status_code == 200
    assert "/articles/tampering-alarm/" in found.content.decode()
    # A form kept open from before still gets an answer in words, not an error page.
    refused = send(client, photo(ATTACKED, seed=1))
    assert refused.status_code == 503
    assert "Reading photos is not available right now" in refused.content.decode()


def bad(response) -> str:
    html = response.content.decode()
    assert 'role="alert"' in html
    return html


def test_a_file_that_is_not_a_photo_is_refused_in_words(client, bundled_content, tesseract):
    response = send(client, b"%PDF-1.7 this is no photo at all")
    assert response.status_code == 400
    assert "We could not open this file as a photo" in bad(response)


def test_an_empty_photo_is_refused_in_words(client, bundled_content, tesseract):
    response = send(client, b"")
    assert response.status_code == 400
    assert "This photo is empty (0 bytes)" in bad(response)


def test_a_decompression_bomb_is_refused_without_being_decoded(client, bundled_content, tesseract):
    bomb = png_bomb()
    assert len(bomb) < 200_000
    response = send(client, bomb)
    assert response.status_code == 400
    assert "We could not open this file as a photo" in bad(response)


def test_a_50_mb_photo_is_refused_unread_with_the_limit(client, bundled_content, tesseract):
    response = send(client, b"\xff\xd8\xff" + b"\0" * (50 * 1024 * 1024))
    assert response.status_code == 413
    assert "a photo can be up to 10 MB" in bad(response)


def test_a_request_over_the_portal_limit_gets_the_clear_413_page(
    client, bundled_content, tesseract, settings
):
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    response = send(client, b"\xff\xd8\xff" + b"\0" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert "Too much to send at once" in response.content.decode()


def test_a_photo_without_readable_words_offers_the_search(client, bundled_content, tesseract):
    blank = io.BytesIO()
    Image.new("RGB", (800, 600), (120, 130, 140)).save(blank, "JPEG")
    response = send(client, blank.getvalue())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="q"' in html and 'action="/search/"' in html


def test_a_post_made_by_another_site_is_refused(client, bundled_content, tesseract):
    response = send(client, photo(ATTACKED, seed=2), HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403


def test_one_client_is_limited_to_the_configured_number_of_photos(
    client, bundled_content, tesseract, settings
):
    settings.PHOTOSEARCH_RATE_LIMIT = "2/h"
    content = b"not a photo"
    assert send(client, content).status_code == 400
    assert send(client, content).status_code == 400
    limited = send(client, content)
    assert limited.status_code == 429
    assert "Many photos were sent from your connection" in bad(limited)


def test_nothing_is_stored(client, bundled_content, tesseract, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Larger than Django keeps in memory by default: it would go to a temporary file.
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    content = photo(ATTACKED, seed=4, size=PHONE_PHOTO_SIZE, quality=90)
    assert len(content) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    assert send(client, content).status_code == 200
    assert list(tmp_path.iterdir()) == []


def test_a_get_is_not_allowed(client):
    assert client.get(reverse("photosearch:photo_search")).status_code == 405
