"""The photo search finds the fix from bad phone photos of every message in the content.

Each on-screen message of the bundled content (every TerminalMessage row, in English, Dutch
and French) is drawn on a terminal's screen and photographed badly four times with fixed
seeds (tests/photosearch/screens.py): 60 photos. The share whose top result is that message
on its own article is the figure reported in docs/photosearch.md.
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from photosearch.forms import PhotoForm
from photosearch.ocr import engine_available, read_text
from photosearch.selectors import text_search
from portal.settings import BASE_DIR
from tests.photosearch.conftest import photo_upload
from tests.photosearch.screens import photo
from troubleshooting.models import TerminalMessage

PHOTOS_PER_MESSAGE = 4
REQUIRED_SHARE = 0.9

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db,
    # Reading 60 photos takes a minute; what is read is matched in Python on both databases,
    # so the set runs once, in the SQLite pass of make test (the views' tests run in both).
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the photo set runs on SQLite"),
]


@dataclass(frozen=True)
class Shot:
    language: str
    slug: str
    text: str
    seed: int
    read: str


def _messages() -> list[tuple[str, str, str]]:
    """(language, article slug, text) of every message in content/, read and left unsaved."""
    with transaction.atomic():
        call_command("import_readme", str(BASE_DIR / "content" / "articles"), stdout=io.StringIO())
        rows = [
            (message.language, message.article.slug, message.text)
            for message in TerminalMessage.objects.select_related("article").order_by("pk")
        ]
        transaction.set_rollback(True)
    return rows


def _shot(language: str, slug: str, text: str, seed: int) -> Shot:
    form = PhotoForm(files={"photo": photo_upload(photo(text, seed=seed))})
    assert form.is_valid(), form.errors
    return Shot(
        language, slug, text, seed, read_text(form.cleaned_data["photo"], language=language)
    )


@pytest.fixture(scope="module")
def shots(django_db_setup, django_db_blocker) -> list[Shot]:
    """Every photo of the set, read once for the module (Tesseract is the slow part)."""
    if not engine_available():
        pytest.skip("Tesseract is not installed (see tests/photosearch/conftest.py)")
    with django_db_blocker.unblock():
        messages = _messages()
    jobs = [
        (language, slug, text, 1000 * number + take)
        for number, (language, slug, text) in enumerate(messages)
        for take in range(PHOTOS_PER_MESSAGE)
    ]
    # Two at a time: Tesseract runs as its own process, one thread each.
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda job: _shot(*job), jobs))


def test_the_set_covers_every_message_of_the_content_in_three_languages(shots):
    assert len(shots) >= 60
    assert {shot.language for shot in shots} == {"en", "nl", "fr"}
    assert any(shot.text.startswith("Attacked!") for shot in shots)


def test_at_least_nine_in_ten_photos_lead_to_their_message_first(shots, bundled_content):
    misses = []
    for shot in shots:
        found = text_search(read=shot.read, language=shot.language)
        top = found.result.hits[0] if found.result.hits else None
        right = (
            top is not None
            and top.article.slug == shot.slug
            and top.message is not None
            and top.message.text == shot.text
            and top.article.language == shot.language
        )
        if not right:
            misses.append((shot.language, shot.text, shot.seed, shot.read))
    share = 1 - len(misses) / len(shots)
    print(f"photo search: {len(shots) - len(misses)}/{len(shots)} correct ({share:.0%})")
    assert share >= REQUIRED_SHARE, misses
