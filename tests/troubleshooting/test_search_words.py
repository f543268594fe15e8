"""What a merchant's word may mean is worked out once per content version, never kept longer."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.troubleshooting.factories import ArticleFactory
from troubleshooting import services
from troubleshooting.search import search

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite index's vocabulary"),
]


def test_a_typo_finds_a_word_that_new_content_brought(db):
    ArticleFactory(slug="printer", title="Printer out of paper", source="Load a new roll.")
    assert search(query="routr restart", language="en").hits == []

    router = ArticleFactory(slug="router", title="Restart the router", source="Unplug it.")
    services.article_save(article=router)  # as the admin saves it: a new content version

    hits = search(query="routr restart", language="en").hits
    assert [hit.article.slug for hit in hits][:1] == ["router"]


def test_the_same_typo_in_many_searches_finds_the_same_article(db):
    ArticleFactory(slug="router", title="Restart the router", source="Unplug it.")

    first = search(query="routr", language="en").hits
    again = [search(query=f"routr {word}", language="en").hits for word in ("restart", "unplug")]

    assert [hit.article.slug for hit in first] == ["router"]
    assert all(hits and hits[0].article.slug == "router" for hits in again)
