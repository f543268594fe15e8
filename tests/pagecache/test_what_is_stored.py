"""Which requests share a stored copy, and which never get or make one."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from tests.troubleshooting.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PAGE = "/articles/stored/"


@pytest.fixture(autouse=True)
def article():
    ArticleFactory(slug="stored", title="A stored page")


def visit(path: str = PAGE, *, method: str = "get", **extra: str):
    """A new anonymous visitor: a browser with no cookies."""
    return getattr(Client(), method)(path, **extra)


@pytest.mark.parametrize(
    "other",
    [
        {"HTTP_HOST": "localhost"},
        {"secure": True},
        {"HTTP_HX_REQUEST": "true"},
        {"HTTP_HX_TARGET": "search-live"},
        {"HTTP_HX_HISTORY_RESTORE_REQUEST": "true"},
        {"HTTP_HX_BOOSTED": "true"},
    ],
    ids=["host", "https", "htmx", "htmx target", "history restore", "boosted"],
)
def test_a_request_the_page_may_differ_for_gets_a_copy_of_its_own(other):
    assert visit()["X-Page-Cache"] == "miss"

    assert visit(**other)["X-Page-Cache"] == "miss"
    assert visit(**other)["X-Page-Cache"] == "hit"


def test_each_address_with_its_query_has_its_own_copy():
    visit("/search/?q=stored")

    assert visit("/search/?q=page")["X-Page-Cache"] == "miss"
    assert visit("/search/?q=stored")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("encodings", ["gzip", "br, gzip;q=0.8", "deflate, gzip"])
def test_every_browser_that_takes_gzip_shares_the_compressed_copy(encodings):
    visit(HTTP_ACCEPT_ENCODING="gzip")

    assert visit(HTTP_ACCEPT_ENCODING=encodings)["X-Page-Cache"] == "hit"


def test_a_head_request_is_answered_from_the_stored_copy():
    visit()

    head = visit(method="head")

    assert (head.status_code, head["X-Page-Cache"]) == (200, "hit")


def test_a_post_is_never_answered_from_a_stored_copy():
    visit()

    assert "X-Page-Cache" not in visit(method="post")


def test_a_visitor_with_a_session_is_never_served_a_stored_copy(settings):
    visit()
    with_session = Client()
    with_session.cookies[settings.SESSION_COOKIE_NAME] = "anything"

    assert "X-Page-Cache" not in with_session.get(PAGE)


@pytest.mark.parametrize("path", ["/admin/login/", "/media/nothing.jpg", "/static/nothing.css"])
def test_admin_media_and_static_addresses_are_never_stored(path):
    visit(path)

    assert "X-Page-Cache" not in visit(path)


def test_a_redirect_is_never_stored():
    first, second = visit("/articles/stored"), visit("/articles/stored")

    assert first.status_code == second.status_code == 301
    assert "X-Page-Cache" not in second


def test_a_stored_copy_keeps_every_header_and_answers_if_modified_since_with_304():
    first = visit()

    second = visit()
    assert second.status_code == 200
    for name in ("Content-Type", "Cache-Control", "ETag", "Last-Modified", "Content-Language"):
        assert second[name] == first[name]
    assert second.content == first.content
    unchanged = visit(HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert (unchanged.status_code, unchanged["X-Page-Cache"]) == (304, "hit")


@pytest.mark.urls("tests.pagecache.urls_vary")
def test_a_page_made_for_each_browser_is_never_shared_and_a_plain_one_is():
    phone = visit("/by-browser/", HTTP_USER_AGENT="Phone")
    desktop = visit("/by-browser/", HTTP_USER_AGENT="Desktop")

    assert (phone.text, desktop.text) == ("Made for Phone", "Made for Desktop")
    assert "X-Page-Cache" not in phone
    visit("/plain/")
    assert visit("/plain/")["X-Page-Cache"] == "hit"


@pytest.mark.urls("tests.pagecache.urls_vary")
def test_a_staff_page_is_never_stored_even_when_it_calls_itself_public():
    visit("/admin/public/")

    second = visit("/admin/public/")
    assert "public" in second["Cache-Control"]
    assert "X-Page-Cache" not in second


def test_a_stored_page_is_kept_for_a_day_then_made_afresh(monkeypatch):
    # Content changes make new keys at once; the day only keeps pages nobody visits from
    # filling the cache.
    visit()
    now = time.time()

    monkeypatch.setattr(time, "time", lambda: now + 23 * 3600)
    assert visit()["X-Page-Cache"] == "hit"
    monkeypatch.setattr(time, "time", lambda: now + 25 * 3600)
    assert visit()["X-Page-Cache"] == "miss"
