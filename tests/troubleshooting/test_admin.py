"""The content editors' admin: every list opens, and an edited article is re-rendered."""

from __future__ import annotations

import pytest

from tests.troubleshooting.factories import ArticleFactory, TerminalMessageFactory, TopicFactory
from troubleshooting import services
from troubleshooting.models import Article, ArticleFeedback, ZeroResultSearch

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["topic", "article", "terminalmessage", "articlefeedback", "zeroresultsearch"]
)
def test_every_content_list_opens(admin_client, model):
    message = TerminalMessageFactory()
    services.article_feedback_record(
        article=message.article, voter="v" * 20, helpful=False, reason="Which cable?"
    )
    services.zero_result_search_record(language="en", query="receipt paper jam")
    response = admin_client.get(f"/admin/troubleshooting/{model}/")
    assert response.status_code == 200


def test_zero_result_searches_are_listed_most_frequent_first(admin_client):
    for _ in range(3):
        services.zero_result_search_record(language="nl", query="bonnetje")
    services.zero_result_search_record(language="en", query="receipt")
    html = admin_client.get("/admin/troubleshooting/zeroresultsearch/").content.decode()
    assert html.index("bonnetje") < html.index("receipt")


def test_article_change_page_shows_the_rendered_preview(admin_client):
    article = ArticleFactory(source="> ⚠️ Only return a terminal if **requested by us**.")
    html = admin_client.get(f"/admin/troubleshooting/article/{article.pk}/change/").content.decode()
    assert '<div class="kb-preview"><div class="note note-warning">' in html
    assert "<strong>requested by us</strong>" in html


def test_saving_an_edited_article_renders_and_sanitises_it(admin_client):
    topic = TopicFactory(slug="payments")
    article = ArticleFactory(topic=topic, slug="declined", source="Old text.")
    response = admin_client.post(
        f"/admin/troubleshooting/article/{article.pk}/change/",
        {
            "language": "en",
            "title": "Payment declined",
            "slug": "declined",
            "topic": topic.pk,
            "order": 5,
            "excerpt": "",
            "keywords": "refused",
            "source": "New **text** <script>alert(1)</script> and [a link](doc:nowhere).",
            "parent_slug": "",
            "terminal_messages-TOTAL_FORMS": "1",
            "terminal_messages-INITIAL_FORMS": "0",
            "terminal_messages-MIN_NUM_FORMS": "0",
            "terminal_messages-MAX_NUM_FORMS": "1000",
            "terminal_messages-0-text": "Card not supported",
            "terminal_messages-0-aliases": "[]",
            "terminal_messages-0-fix": "Send a request to POS support.",
            "terminal_messages-0-order": "10",
        },
        follow=True,
    )
    assert response.status_code == 200
    article = Article.objects.get(pk=article.pk)
    assert "New <strong>text</strong>" in article.html
    assert "<script" not in article.html
    assert "points at no article" in response.content.decode()
    message = article.terminal_messages.get()
    assert message.language == "en"


def test_feedback_is_read_only_for_editors(admin_client):
    message = TerminalMessageFactory()
    services.article_feedback_record(article=message.article, voter="w" * 20, helpful=True)
    assert admin_client.get("/admin/troubleshooting/articlefeedback/add/").status_code == 403
    assert ArticleFeedback.objects.count() == 1
    assert admin_client.get("/admin/troubleshooting/zeroresultsearch/add/").status_code == 403
    assert not ZeroResultSearch.objects.exists()
