"""The SQLite search index: it holds what is there, and can be built again from the rows."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.troubleshooting.factories import ArticleFactory, TopicFactory
from troubleshooting import fts
from troubleshooting.models import Article
from troubleshooting.search import search

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the index of SQLite only"),
]


def slugs(query: str) -> list[str]:
    return [hit.article.slug for hit in search(query=query, language="en").hits]


def test_rows_written_in_bulk_are_found_once_the_index_is_built_again():
    # As the benchmark's seeding writes them: straight to the table, past the services.
    topic = TopicFactory()
    Article.objects.bulk_create(
        [
            Article(
                language="en",
                slug="router-ports",
                title="Router ports",
                topic=topic,
                search_text="Open port 443 on the router.",
            ),
            Article(
                language="en",
                slug="old-router",
                title="Router ports",
                topic=topic,
                search_text="Open port 443 on the router.",
                hidden=True,
            ),
            Article(
                language="nl",
                slug="router-poorten",
                title="Router poorten",
                topic=topic,
                search_text="Open poort 443 op de router.",
            ),
        ]
    )
    assert "router" not in fts.vocabulary(language="en")[0]

    fts.article_fts_rebuild()

    assert slugs("router ports") == ["router-ports"]
    assert [hit.article.slug for hit in search(query="router", language="nl").hits] == [
        "router-poorten"
    ]


def test_a_deleted_articles_words_leave_the_index():
    kept = ArticleFactory(title="Receipt printer", source="Lift the roll.")
    deleted = ArticleFactory(title="Tampering alarm", source="Call support.")
    words, count = fts.vocabulary(language="en")
    assert "tamper" in words
    assert count == 2

    deleted.delete()

    words, count = fts.vocabulary(language="en")
    assert "tamper" not in words
    assert "receipt" in words
    assert count == 1
    assert slugs("receipt printer") == [kept.slug]
