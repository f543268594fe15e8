"""Search with more matching articles than it ranks: the best still come first."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.troubleshooting.factories import ArticleFactory, TopicFactory
from troubleshooting import search as search_engine
from troubleshooting.search import search

pytestmark = pytest.mark.django_db

MANY = max(search_engine.PG_CANDIDATES, search_engine.SQLITE_CANDIDATES) + 20


@pytest.fixture
def crowded(db):
    """More articles mentioning the router in passing than search ranks, and two about it."""
    topic = TopicFactory()
    for number in range(MANY):
        ArticleFactory(
            topic=topic,
            slug=f"receipt-{number}",
            title=f"Receipt layout {number}",
            source="Check the cable, then the router, then print a test receipt.",
            order=number,
        )
    ArticleFactory(
        topic=topic,
        slug="withdrawn-router",
        title="Router settings for the terminal",
        source="The router needs port 443 open.",
        hidden=True,
        order=MANY + 1,
    )
    return ArticleFactory(
        topic=topic,
        slug="router-settings",
        title="Router settings for the terminal",
        source="The router needs port 443 open to reach the payment network.",
        order=MANY + 2,
    )


def test_the_article_about_it_comes_first_among_many_mentioning_it(crowded):
    hits = search(query="router settings", language="en").hits

    assert hits[0].article.slug == "router-settings"
    assert "withdrawn-router" not in [hit.article.slug for hit in hits]


def test_a_typo_still_finds_the_title_among_many(crowded):
    hits = search(query="router setings", language="en").hits

    assert hits[0].article.slug == "router-settings"


def test_results_stop_at_the_limit_asked_for(crowded):
    assert len(search(query="router", language="en", limit=5).hits) == 5
    assert len(search(query="router", language="en").hits) == 10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own indexes")
def test_titles_are_looked_up_through_their_full_text_index(db):
    # The candidates' statement must spell the indexed expression exactly, or PostgreSQL reads
    # every title of the language for every search.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM troubleshooting_article "
            f"WHERE {search_engine.TITLE_DOCUMENT} @@ to_tsquery('english', 'router')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "kb_article_title_fts" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_the_ranking_is_planned_once_per_connection_and_still_finds_each_query(crowded):
    first = search(query="router port", language="en").hits
    second = search(query="receipt layout", language="en").hits
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]

    assert [s for s in prepared if "troubleshooting_article" in s and "ts_rank" in s]
    assert first[0].article.slug == "router-settings"
    assert second[0].article.slug.startswith("receipt-")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.parametrize(
    ("query", "compared"), [("router settings", False), ("router setings", True)]
)
def test_titles_are_compared_letter_by_letter_only_for_a_word_no_page_holds(
    crowded, monkeypatch, query, compared
):
    # Comparing titles by trigrams is the dearest part of a search: a typo needs it, known words
    # do not.
    assert search(query=query, language="en").hits[0].article.slug == "router-settings"
    statements = []
    monkeypatch.setattr(
        search_engine,
        "_prepared_rows",
        lambda sql, parameters: statements.append((sql, parameters)) or [],
    )
    search_engine._articles_postgresql(query, "en", 20)
    sql, parameters = statements[0]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, parameters)
        plan = [row[0] for row in cursor.fetchall()]
    # The titles' comparison sits under a gate that the words' lookups open or keep shut.
    gate = next(n for n, line in enumerate(plan) if "One-Time Filter" in line)
    compared_titles = plan[gate + 1]

    assert "%>" in "".join(plan[gate + 1 : gate + 5])
    assert ("never executed" not in compared_titles) == compared
