"""Text read off a photo is noisy; the terminal's message is still recognised in it."""

from __future__ import annotations

import pytest

from photosearch.matching import folded, phrase_in_text
from photosearch.selectors import text_search

pytestmark = pytest.mark.django_db

ATTACKED = "Attacked! Please contact your service provider"


@pytest.mark.parametrize(
    "read",
    [
        "Attacked! Please contact your service provider",
        "ATTACKED PLEASE CONTACT YOUR SERVICE PROVIDER",
        "Attacked! Please\ncontact your service\nprovider\nOK",  # broken over the screen's lines
        "Attackeg Pleas Contact your Service Provider OK",  # letters misread
        "+) 12:41 Atlacked! P1ease contact y0ur serv1ce pr0vider ©) OK",  # 1/l, 0/o, stray bits
        "Attacked Please con tact yourservice provider",  # words split and joined
    ],
)
def test_the_attacked_message_is_found_in_noisy_reads(bundled_content, read):
    found = text_search(read=read, language="en")
    assert found.match is not None
    assert found.query == ATTACKED
    assert found.result.hits[0].article.slug == "tampering-alarm"


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("l000 card dec1ined", "1000 card declined"),
        ("C0nfiguration error Try aga1n", "Configuration error. Try again"),
        ("Card n0t supp0rted", "Card not supported"),
        ("Use a diff erent interface", "Use a different interface"),
    ],
)
def test_each_message_is_told_apart_from_the_others_on_the_same_article(
    bundled_content, read, expected
):
    found = text_search(read=read, language="nl")
    assert found.match is not None and found.match.message.text == expected
    top = found.result.hits[0]
    assert top.message.text == expected and top.article.language == "nl"


def test_text_with_no_message_falls_back_to_the_ordinary_search(bundled_content):
    found = text_search(read="wifi", language="en")
    assert found.match is None
    assert found.query == "wifi"
    assert found.result.hits


def test_look_alike_characters_are_folded_together():
    assert folded("P1ease c0ntact") == folded("Please contact")
    assert folded("5ervice") == folded("Service")


def test_a_message_not_on_the_screen_scores_low():
    assert phrase_in_text(folded("Card not supported"), folded("Attacked! Please contact")) < 0.6
