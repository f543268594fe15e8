"""Every anonymous visitor gets the same stored copy of a public page, until content changes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from guides.loader import guide_load_file
from portal.settings import BASE_DIR
from tests.troubleshooting.factories import ArticleFactory, TerminalMessageFactory, TopicFactory
from troubleshooting import services

pytestmark = pytest.mark.django_db

HTMX = {"hx-request": "true"}
GUIDE_FILE = BASE_DIR / "content" / "guides" / "no-connection.yaml"


@pytest.fixture
def guide():
    guide_load_file(path=Path(GUIDE_FILE))


def visit(path: str, **headers: str):
    """A new anonymous visitor: a browser with no cookies."""
    return Client().get(path, headers=headers)


def assert_shared(first, second) -> None:
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    for response in (first, second):
        assert response["Cache-Control"].startswith("public, ")
        assert "s-maxage=" in response["Cache-Control"]
        assert "stale-while-revalidate=" in response["Cache-Control"]
        assert not response.cookies
        assert "cookie" not in response.get("Vary", "").lower()
        assert b"csrfmiddlewaretoken" not in response.content
        assert b"nonce" not in response.content


def test_two_visitors_get_the_same_article_bytes_and_the_second_from_the_cache():
    topic = TopicFactory(slug="payments")
    article = ArticleFactory(slug="declined", topic=topic)
    TerminalMessageFactory(article=article, text="1000 card declined")

    first, second = visit("/articles/declined/"), visit("/articles/declined/")

    assert_shared(first, second)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_two_visitors_get_the_same_guide_step(guide, headers):
    path = "/guides/no-connection/icon/"
    first, second = visit(path, **headers), visit(path, **headers)

    assert_shared(first, second)
    assert second["X-Page-Cache"] == "hit"
    # The answers post to the step without a token; the run starts with the first answer.
    assert b'<form method="post" action="/guides/no-connection/icon/"' in first.content


def test_a_page_and_its_htmx_fragment_are_kept_apart(guide):
    page = visit("/guides/no-connection/icon/")
    fragment = visit("/guides/no-connection/icon/", **HTMX)

    assert b"<html" in page.content
    assert b"<html" not in fragment.content


def test_home_topic_search_guide_list_and_404_are_shared_too(bundled_content, guide):
    for path in ("/", "/nl/", "/topics/connection/", "/search/?q=card+declined", "/guides/"):
        assert_shared(visit(path), visit(path))
    missing = visit("/articles/no-such-page/"), visit("/articles/no-such-page/")
    assert [response.status_code for response in missing] == [404, 404]
    assert missing[0].content == missing[1].content
    assert missing[1]["X-Page-Cache"] == "hit"
    assert not missing[1].cookies


def test_the_stored_copy_still_answers_a_conditional_request_with_304():
    ArticleFactory(slug="etag")
    first = visit("/articles/etag/")

    again = visit("/articles/etag/", if_none_match=first["ETag"])

    assert again.status_code == 304
    assert again["X-Page-Cache"] == "hit"


def test_compressed_and_plain_copies_are_stored_apart():
    ArticleFactory(slug="gzip")
    visit("/articles/gzip/", accept_encoding="gzip")

    plain = visit("/articles/gzip/")

    assert "Content-Encoding" not in plain
    assert b"<html" in plain.content


def test_an_edited_article_shows_on_the_very_next_request():
    article = ArticleFactory(slug="edited", title="Before the edit")
    assert "Before the edit" in visit("/articles/edited/").text

    article.title = "After the edit"
    services.article_save(article=article)

    assert "After the edit" in visit("/articles/edited/").text


def test_a_reimported_article_shows_on_the_very_next_request(tmp_path):
    page = tmp_path / "reimported.md"
    page.write_text("---\ntitle: First import\nslug: reimported\n---\n\nText.\n")
    call_command("import_readme", str(tmp_path), stdout=io.StringIO())
    assert "First import" in visit("/articles/reimported/").text

    page.write_text("---\ntitle: Second import\nslug: reimported\n---\n\nText.\n")
    call_command("import_readme", str(tmp_path), stdout=io.StringIO())

    assert "Second import" in visit("/articles/reimported/").text


def test_a_reloaded_guide_shows_on_the_very_next_request(guide, tmp_path):
    assert (
        "What colour is the internet icon on the terminal?"
        in visit("/guides/no-connection/icon/").text
    )
    changed = tmp_path / "no-connection.yaml"
    changed.write_text(
        GUIDE_FILE.read_text().replace(
            "What colour is the internet icon on the terminal?", "Which colour does the icon show?"
        )
    )

    guide_load_file(path=changed)

    html = visit("/guides/no-connection/icon/").text
    assert "Which colour does the icon show?" in html


def test_signed_in_staff_and_visitors_with_messages_are_never_served_a_stored_copy(admin_client):
    ArticleFactory(slug="staff")
    visit("/articles/staff/")

    assert "X-Page-Cache" not in admin_client.get("/articles/staff/")
    flashed = Client()
    flashed.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in flashed.get("/articles/staff/")


def test_private_pages_are_never_stored(db):
    for path in ("/returns/new/", "/support/new/"):
        first, second = visit(path), visit(path)
        assert "X-Page-Cache" not in second
        assert "public" not in second["Cache-Control"]
        assert first.content != second.content  # each carries its own token and stamp


@pytest.mark.parametrize("path", ["/", "/articles/declined/", "/missing-page/"])
def test_a_stored_copy_keeps_the_security_headers_and_the_content_security_policy(path):
    """The page cache answers before the security middleware runs: what it replays must still
    forbid framing, sniffing and script from elsewhere, exactly as the first answer did."""
    ArticleFactory(slug="declined")

    first, second = visit(path), visit(path)

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    for name in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert second[name] == first[name]
    assert "script-src 'self'" in second["Content-Security-Policy"]
    assert "unsafe-inline" not in second["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"
    assert second["X-Content-Type-Options"] == "nosniff"


def test_a_plain_http_request_behind_the_tls_redirect_is_never_answered_from_the_cache(settings):
    """With the redirect to HTTPS on, a page stored for https is never handed to an http
    request: the address's scheme is part of the key, and the redirect is never stored."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    ArticleFactory(slug="declined")
    secure = {"secure": True}

    Client().get("/articles/declined/", **secure)
    stored = Client().get("/articles/declined/", **secure)
    plain = Client().get("/articles/declined/")
    plain_again = Client().get("/articles/declined/")

    assert stored["X-Page-Cache"] == "hit"
    assert stored["Strict-Transport-Security"] == "max-age=3600"
    assert plain.status_code == plain_again.status_code == 301
    assert plain_again["Location"] == "https://testserver/articles/declined/"
