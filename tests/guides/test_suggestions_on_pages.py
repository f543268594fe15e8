from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def guides_and_articles(bundled_content) -> None:
    call_command("load_guides", "content/guides", stdout=io.StringIO())


def test_an_article_points_to_the_guide_that_walks_through_it(client, guides_and_articles):
    html = client.get("/articles/tampering-alarm/").content.decode()

    assert "Fix it step by step" in html
    assert 'href="/guides/tampering-alarm/"' in html


def test_search_results_point_to_the_guide_that_fits(client, guides_and_articles):
    html = client.get("/search/", {"q": "tampering"}).content.decode()

    assert 'id="search-results"' in html
    assert 'href="/guides/tampering-alarm/"' in html


def test_dutch_search_points_to_the_dutch_guide(client, guides_and_articles):
    html = client.get("/nl/search/", {"q": "sabotage"}).content.decode()

    assert 'href="/nl/guides/tampering-alarm/"' in html
