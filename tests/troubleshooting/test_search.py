"""Search never breaks, whatever a merchant types."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.troubleshooting.factories import ArticleFactory, TerminalMessageFactory
from troubleshooting.search import normalize, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_content(db):
    TerminalMessageFactory(
        text="Attacked! Please contact your service provider",
        article=ArticleFactory(slug="tampering-alarm", title="Tampering alarm"),
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=250))
def test_any_text_is_a_valid_query(some_content, query):
    for language in ("en", "nl", "fr"):
        result = search(query=query, language=language)
        assert len(result.query) <= 200
        assert all(hit.article.slug for hit in result.hits)


def test_normalize_drops_accents_case_and_punctuation():
    assert normalize("Carte refusée ! Réessayez") == "carte refusee reessayez"


def test_control_characters_in_a_submitted_search_are_dropped(client, db):
    response = client.get("/search/", {"q": "card\x00 declined\x07"})
    assert response.status_code == 200
    assert "card declined" in response.content.decode()
