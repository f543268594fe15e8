"""Search quality: what merchants type, and the article they must find in the first three.

Runs on whichever database DATABASE_URL points at (SQLite and PostgreSQL in CI).
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tests.troubleshooting.conftest import CONTENT
from tests.troubleshooting.search_queries import QUERIES
from troubleshooting.models import Article, Topic, ZeroResultSearch
from troubleshooting.search import normalize, search

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bundled_once(django_db_setup, django_db_blocker):
    # Imported once for the ~60 queries below, removed again so other modules start empty.
    with django_db_blocker.unblock():
        call_command("import_readme", str(CONTENT), stdout=io.StringIO())
        yield
        Article.objects.all().delete()
        Topic.objects.all().delete()
        ZeroResultSearch.objects.all().delete()


def test_there_are_at_least_thirty_queries_in_every_language():
    assert len(QUERIES) >= 30
    assert {language for language, _query, _slug in QUERIES} == {"en", "nl", "fr"}


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    QUERIES,
    # Plain letters: an id pytest escapes ("\\xe9") is not found again by its name in-process,
    # where mutmut runs the tests (docs/testing-mutation.md).
    ids=[f"{lang}:{normalize(q)}" for lang, q, _s in QUERIES],
)
def test_query_finds_the_right_article_in_the_top_three(bundled_once, language, query, expected):
    top_three = [hit.article.slug for hit in search(query=query, language=language).hits[:3]]
    assert expected in top_three


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Attacked! Please contact your service provider"),
        ("en", "Configuration error. Try again"),
        ("en", "Card not supported"),
        ("en", "Use a different interface"),
        ("en", "1000 card declined"),
        ("nl", "Card not supported"),
        ("fr", "Use a different interface"),
    ],
)
def test_exact_terminal_message_comes_first_with_its_message(bundled_once, language, message):
    first = search(query=message, language=language).hits[0]
    assert first.message is not None
    assert first.message.text == message


def test_title_match_ranks_above_a_body_mention(bundled_once):
    # "Developer mode" is the title of one article and mentioned nowhere else as a title.
    slugs = [hit.article.slug for hit in search(query="developer mode", language="en").hits]
    assert slugs[0] == "developer-mode"


def test_hidden_articles_are_not_found(bundled_once):
    Article.objects.filter(slug="developer-mode").update(hidden=True)
    try:
        slugs = [hit.article.slug for hit in search(query="developer mode", language="en").hits]
        assert "developer-mode" not in slugs
    finally:
        Article.objects.filter(slug="developer-mode").update(hidden=False)


def test_nonsense_finds_nothing(bundled_once):
    assert search(query="qwxzv plorf", language="en").hits == []
