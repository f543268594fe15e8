"""The pages merchants see: home, topic, article with feedback, and search."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from tests.troubleshooting.factories import ArticleFactory, TerminalMessageFactory, TopicFactory
from troubleshooting import markdown, services
from troubleshooting.models import ArticleFeedback, ZeroResultSearch

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def results(html: str) -> list[str]:
    """The hrefs of the search results, best first; asserts one link per item."""
    match = re.search(r'<ol id="search-results"[^>]*>(.*?)</ol>', html, re.S)
    if match is None:
        return []
    items = re.findall(r"<li[^>]*>(.*?)</li>", match.group(1), re.S)
    links = [re.findall(r'<a href="([^"]+)"', item) for item in items]
    assert all(len(found) == 1 for found in links)
    return [found[0] for found in links]


# Home -------------------------------------------------------------------------------------------


def test_home_shows_topics_and_the_most_common_terminal_messages(client, bundled_content):
    response = client.get("/")
    html = response.content.decode()
    assert "Connection" in html and "Payment errors" in html and "Tampering alarm" in html
    assert "<q>Attacked! Please contact your service provider</q>" in html
    assert '<a href="/articles/tampering-alarm/#messages-heading">' in html
    assert 'action="/search/"' in html


def test_home_in_dutch_and_french_shows_translated_topics(client, bundled_content):
    assert "Betaalfouten" in client.get("/nl/").content.decode()
    assert "Erreurs de paiement" in client.get("/fr/").content.decode()


def test_home_runs_a_fixed_number_of_queries(client, bundled_content, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get("/")
    for _ in range(20):
        ArticleFactory(topic=TopicFactory(slug="connection"))
    with django_assert_num_queries(2):
        client.get("/")


# Topic ------------------------------------------------------------------------------------------


def test_topic_page_lists_visible_articles_in_order(client, bundled_content):
    html = client.get("/topics/activation/").content.decode()
    assert re.search(r"<h1[^>]*>.*Activation</h1>", html)
    positions = [
        html.index(f"/articles/{slug}/")
        for slug in ("activate-terminal", "traditional-ctap-terminal", "incorrect-api-key")
    ]
    assert positions == sorted(positions)


def test_unknown_topic_is_a_friendly_404(client, db):
    response = client.get("/topics/nothing-here/")
    assert response.status_code == 404


def test_topic_page_runs_a_fixed_number_of_queries(
    client, bundled_content, django_assert_num_queries
):
    with django_assert_num_queries(2):
        client.get("/topics/connection/")


# Article ----------------------------------------------------------------------------------------


def test_article_page_has_toc_breadcrumbs_last_updated_related_and_print_styles(
    client, bundled_content
):
    html = client.get("/articles/internet-connection/").content.decode()
    assert "<h1>No internet connection or an unstable connection</h1>" in html
    assert (
        'aria-label="Breadcrumbs"' in html
        and '<a href="/topics/connection/">Connection</a>' in html
    )
    assert '<nav class="kb-toc"' in html and 'href="#1-check-your-wi-fi-router"' in html
    assert re.search(r'Last updated <time datetime="\d{4}-\d\d-\d\d', html)
    assert "Related articles" in html and "/articles/connect-to-wifi/" in html
    assert "troubleshooting/css/troubleshooting.css" in html
    assert "Was this helpful?" in html
    # The picture of each icon state sits in the table row that explains it.
    assert '<img alt="Red internet icon" src="/static/troubleshooting/img/internet-red.svg"' in html


def test_print_stylesheet_hides_navigation_and_feedback(client):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("troubleshooting/css/troubleshooting.css")).read_text()
    assert "@media print" in css
    assert ".kb-feedback" in css.split("@media print", 1)[1]


def test_article_shows_each_terminal_message_once_with_its_fix(client, bundled_content):
    html = client.get("/articles/declined-payment/").content.decode()
    assert html.count("Use a different interface") == 2  # the excerpt in <meta>, and the message
    assert html.count("<q>Use a different interface</q>") == 1
    assert "insert the card instead of doing a contactless payment" in html


def test_article_in_dutch_and_french(client, bundled_content):
    assert "Sabotagealarm" in client.get("/nl/articles/tampering-alarm/").content.decode()
    assert "Alarme anti-sabotage" in client.get("/fr/articles/tampering-alarm/").content.decode()


def test_missing_translation_falls_back_to_english_and_says_so(client, db):
    ArticleFactory(slug="only-english", title="Only in English", source="Some **help**.")
    html = client.get("/nl/articles/only-english/").content.decode()
    assert "Only in English" in html
    assert "shown in English" in html or "in het Engels" in html


def test_hidden_article_opens_at_its_address_but_is_not_listed(client, db):
    topic = TopicFactory(slug="internal", title="Internal")
    ArticleFactory(slug="visible", title="Visible page", topic=topic)
    ArticleFactory(slug="secret-page", title="Secret page", topic=topic, hidden=True)
    secret = client.get("/articles/secret-page/")
    assert secret.status_code == 200
    assert '<meta name="robots" content="noindex">' in secret.content.decode()
    assert "Secret page" not in client.get("/topics/internal/").content.decode()
    assert "secret-page" not in client.get("/search/?q=secret").content.decode()


def test_unknown_article_is_404(client, db):
    assert client.get("/articles/does-not-exist/").status_code == 404


def test_article_page_runs_a_fixed_number_of_queries_whatever_the_content_size(
    client, db, django_assert_num_queries
):
    topic = TopicFactory(slug="payments")
    article = ArticleFactory(slug="big", topic=topic, source="# One\n\n## Two\n\ntext\n" * 50)
    TerminalMessageFactory(article=article)
    # The article, related articles, its messages, and the guides that link it: the guide
    # index is read again after each content change, like every cached page.
    with django_assert_num_queries(4):
        client.get("/articles/big/")
    for _ in range(30):
        other = ArticleFactory(topic=topic)
        TerminalMessageFactory(article=other)
        TerminalMessageFactory(article=article)
    with django_assert_num_queries(4):
        client.get("/articles/big/")
    client.post("/articles/big/feedback/", {"helpful": "yes"})
    # A browser that voted gets the same shared page, from the page cache.
    with django_assert_num_queries(0):
        client.get("/articles/big/")


def test_article_html_is_stored_at_save_not_rendered_per_request(client, db, monkeypatch):
    ArticleFactory(slug="stored", source="Press the **TUSN** button 8 times.")

    def refuse(*args, **kwargs):
        raise AssertionError("Markdown was rendered during a request")

    monkeypatch.setattr(markdown, "render_readme", refuse)
    monkeypatch.setattr(services, "render_readme", refuse)
    html = client.get("/articles/stored/").content.decode()
    assert "Press the <strong>TUSN</strong> button 8 times." in html


# Feedback ---------------------------------------------------------------------------------------


def test_yes_vote_is_stored_once_per_browser(client, db):
    article = ArticleFactory(slug="helpful")
    response = client.post("/articles/helpful/feedback/", {"helpful": "yes"})
    assert response.status_code == 302
    assert response["Location"] == "/articles/helpful/?voted=yes#feedback"
    assert "Thank you! Glad it helped." in client.get(response["Location"]).content.decode()
    # The vote cookie is sent back to the feedback address only, never to the shared pages.
    assert response.cookies["kb_voter"]["path"] == "/articles/helpful/feedback/"

    client.post("/articles/helpful/feedback/", {"helpful": "no"})
    feedback = ArticleFeedback.objects.get(article=article)
    assert feedback.helpful is False
    assert ArticleFeedback.objects.count() == 1


def test_other_browsers_vote_separately(client, db):
    from django.test import Client

    article = ArticleFactory(slug="votes")
    client.post("/articles/votes/feedback/", {"helpful": "yes"})
    Client().post("/articles/votes/feedback/", {"helpful": "no"})
    assert ArticleFeedback.objects.filter(article=article).count() == 2


def test_no_vote_asks_for_an_optional_reason(client, db):
    article = ArticleFactory(slug="unclear", language="en")
    response = client.post("/articles/unclear/feedback/", {"helpful": "no"})
    assert response["Location"] == "/articles/unclear/?reason=1#feedback"
    html = client.get(response["Location"]).content.decode()
    assert "What was missing or unclear?" in html

    sent = client.post(
        "/articles/unclear/feedback/", {"helpful": "no", "reason": "Which cable do I need?"}
    )
    assert sent["Location"] == "/articles/unclear/?voted=no#feedback"
    feedback = ArticleFeedback.objects.get(article=article)
    assert feedback.reason == "Which cable do I need?"
    assert feedback.language == "en"
    thanked = client.get(sent["Location"]).content.decode()
    assert "The content team reads every answer" in thanked
    assert "What was missing or unclear?" not in thanked


def test_feedback_with_htmx_returns_only_the_feedback_section(client, db):
    ArticleFactory(slug="live")
    response = client.post("/articles/live/feedback/", {"helpful": "no"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="feedback"')
    assert "<html" not in html
    assert "What was missing or unclear?" in html


def test_too_long_reason_is_refused_in_plain_words_and_kept(client, db):
    ArticleFactory(slug="long")
    client.post("/articles/long/feedback/", {"helpful": "no"})
    reason = "The cable " + "x" * 1200
    response = client.post("/articles/long/feedback/", {"helpful": "no", "reason": reason})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please keep it under 1000 characters" in html
    assert reason in html
    assert ArticleFeedback.objects.get().reason == ""


def test_feedback_without_an_answer_is_refused(client, db):
    ArticleFactory(slug="empty")
    response = client.post("/articles/empty/feedback/", {})
    assert response.status_code == 400
    assert "Choose Yes or No." in response.content.decode()
    assert not ArticleFeedback.objects.exists()


def test_feedback_from_another_site_is_refused(db):
    from django.test import Client

    ArticleFactory(slug="csrf")
    browser = Client(enforce_csrf_checks=True)
    elsewhere = browser.post(
        "/articles/csrf/feedback/",
        {"helpful": "yes"},
        headers={"origin": "https://evil.example", "sec-fetch-site": "cross-site"},
    )
    assert elsewhere.status_code == 403
    assert not ArticleFeedback.objects.exists()

    # The page holds no token: the browser's own same-origin request is enough.
    here = browser.post(
        "/articles/csrf/feedback/",
        {"helpful": "yes"},
        headers={"origin": "http://testserver", "sec-fetch-site": "same-origin"},
    )
    assert here.status_code == 302
    assert ArticleFeedback.objects.count() == 1


# Search -----------------------------------------------------------------------------------------


def test_search_page_without_javascript_lists_results_best_first(client, bundled_content):
    response = client.get("/search/", {"q": "Attacked! Please contact your service provider"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert results(html)[0] == "/articles/tampering-alarm/#messages-heading"


def test_live_search_returns_only_the_results_fragment(client, bundled_content):
    response = client.get("/search/", {"q": "tampr alarm"}, HTTP_HX_TARGET="search-live", **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert results(html)[0].startswith("/articles/tampering-alarm/")
    assert "HX-Request" in response["Vary"]


def test_search_in_dutch_and_french_links_to_the_translated_pages(client, bundled_content):
    assert results(client.get("/nl/search/", {"q": "kaart geweigerd"}).content.decode())[
        0
    ].startswith("/nl/articles/declined-payment/")
    assert results(client.get("/fr/search/", {"q": "carte refusée"}).content.decode())[
        0
    ].startswith("/fr/articles/declined-payment/")


def test_submitted_search_without_results_is_recorded_for_the_content_team(client, bundled_content):
    html = client.get("/search/", {"q": "espresso machine"}).content.decode()
    assert "No articles found for “espresso machine”" in html
    client.get("/search/", {"q": "espresso   machine"})
    missed = ZeroResultSearch.objects.get()
    assert (missed.query, missed.language, missed.count) == ("espresso machine", "en", 2)


def test_typing_in_the_live_search_does_not_record_half_words(client, bundled_content):
    client.get("/search/", {"q": "recei"}, HTTP_HX_TARGET="search-live", **HTMX)
    assert not ZeroResultSearch.objects.exists()


def test_empty_search_explains_what_to_type(client, db):
    html = client.get("/search/").content.decode()
    assert "Type what you see on the terminal's screen" in html
    assert not ZeroResultSearch.objects.exists()


def test_search_runs_a_fixed_number_of_queries(client, bundled_content, django_assert_num_queries):
    # Messages, articles, and the guide index (read again after a content change); on
    # SQLite the index's vocabulary too, read again after a content change.
    expected = 3 if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(expected):
        client.get("/search/", {"q": "card declined"})
    for _ in range(30):
        TerminalMessageFactory(article=ArticleFactory(source="card declined card declined"))
    with django_assert_num_queries(expected):
        client.get("/search/", {"q": "card declined"})
    # The same search again is answered from the cache.
    with django_assert_num_queries(0):
        client.get("/search/", {"q": "card declined"})


def test_search_box_on_every_page_points_at_search_with_live_results(client, db):
    html = client.get("/").content.decode()
    assert f'action="{reverse("troubleshooting:search")}"' in html
    assert 'hx-get="/search/"' in html
    assert 'hx-trigger="input changed delay:300ms' in html
    assert 'hx-target="#search-live"' in html
    with translation.override("nl"):
        assert reverse("troubleshooting:search") == "/nl/search/"


def test_page_furniture_is_translated(client, bundled_content):
    dutch = client.get("/nl/articles/tampering-alarm/").content.decode()
    assert "Laatst bijgewerkt" in dutch and "Was dit nuttig?" in dutch and "Op deze pagina" in dutch
    french = client.get("/fr/search/", {"q": "zzzqqq"}).content.decode()
    assert "Aucun article trouvé pour « zzzqqq »." in french


def test_topic_missing_in_french_falls_back_to_english_and_says_so(client, db):
    topic = TopicFactory(slug="printers", title="Printers")
    ArticleFactory(topic=topic, title="Replace the paper roll")
    html = client.get("/fr/topics/printers/").content.decode()
    assert "Replace the paper roll" in html
    assert "affichée en anglais" in html


def test_english_words_in_a_dutch_search_lead_to_the_dutch_article(client, bundled_content):
    html = client.get("/nl/search/", {"q": "developer mode"}).content.decode()
    assert results(html)[0] == "/nl/articles/developer-mode/"
    # The English hits have Dutch translations, shown in Dutch: no "only in English" notice.
    assert "Niets gevonden in het Nederlands" not in html
    assert not ZeroResultSearch.objects.exists()


def test_the_english_notice_shows_only_when_a_result_really_is_in_english(client, db):
    ArticleFactory(slug="receipt-rolls", title="Receipt rolls", source="Receipt rolls.")
    html = client.get("/nl/search/", {"q": "receipt rolls"}).content.decode()
    assert results(html) == ["/nl/articles/receipt-rolls/"]
    assert "Niets gevonden in het Nederlands" in html
    assert 'lang="en">Receipt rolls</a>' in html


def test_a_search_that_finds_nothing_offers_guides_support_and_topics(client, bundled_content):
    html = client.get("/nl/search/", {"q": "qwxzv plorf"}).content.decode()
    assert 'href="/nl/guides/"' in html
    assert 'href="/nl/support/new/"' in html
    assert 'href="/nl/topics/connection/"' in html


def test_search_page_has_one_live_container_and_one_result_list(client, bundled_content):
    html = client.get("/search/", {"q": "card declined"}).content.decode()
    assert html.count('id="search-live"') == 1
    assert html.count('id="search-results"') == 1
    # On the search page the live results replace the page's own list, inside <main>.
    assert html.index('id="search-live"') > html.index('<main id="main"')
