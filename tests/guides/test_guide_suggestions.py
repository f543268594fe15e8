"""Articles and search results point at the guide that fits."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from guides.models import Guide

pytestmark = pytest.mark.django_db

TAG = Template("{% load guide_tags %}{% guide_suggestions article_slug=slug query=query %}")


def suggestions(slug: str = "", query: str = "", language: str = "en") -> str:
    with translation.override(language):
        return TAG.render(Context({"slug": slug, "query": query}))


def test_an_article_linked_from_a_guide_suggests_that_guide(load_guide):
    load_guide("activate-terminal")
    load_guide("no-connection")

    html = suggestions(slug="incorrect-api-key", language="nl")

    assert 'href="/nl/guides/activate-terminal/"' in html
    assert "Een terminal activeren" in html
    assert "no-connection" not in html


def test_search_words_find_a_guide_by_its_keywords(load_guide):
    load_guide("tampering-alarm")
    load_guide("payment-declined")

    assert 'href="/guides/tampering-alarm/"' in suggestions(query="Attacked")
    assert 'href="/fr/guides/payment-declined/"' in suggestions(query="refusé", language="fr")
    assert suggestions(query="printer paper").strip() == ""


def test_suggestions_are_cached_and_a_new_load_shows_at_once(load_guide, django_assert_num_queries):
    load_guide("developer-mode")
    suggestions(query="tusn")

    with django_assert_num_queries(0):
        assert "developer-mode" in suggestions(query="tusn")

    Guide.objects.filter(slug="developer-mode").update(is_published=False)
    load_guide("collect-logs")  # any load or admin save forgets the cached index
    assert "developer-mode" not in suggestions(query="tusn")


def test_the_home_page_offers_the_guides(client):
    # The box is a plain link: the home page's query count (tested with the pages) stays.
    home = client.get("/nl/")

    assert 'href="/nl/guides/"' in home.text
    assert "Weet u niet wat u moet lezen?" in home.text
