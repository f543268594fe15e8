"""Each process's copy of the content version (pagecache/watch.py), against a real Redis.

Several watches in one test stand for several web processes: each has its own subscription.
"""

from __future__ import annotations

import time
import uuid

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from pagecache import middleware, version, watch
from pagecache.local import LocalPages, ready
from tests.troubleshooting.factories import ArticleFactory
from troubleshooting import services

# A database number of its own on the machine's Redis, and a prefix of its own per test.
REDIS_URL = "redis://127.0.0.1:6379/5"

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(settings):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not running at {REDIS_URL}: start it (see .ci/run)")
    prefix = f"test-watch-{uuid.uuid4().hex[:12]}"
    settings.CACHES = settings.CACHES | {
        "default": {
            "BACKEND": "portal.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


class CountingGets:
    """The shared cache, counting the reads the page cache and the watch make of it."""

    def __init__(self, monkeypatch) -> None:
        self.count = 0
        monkeypatch.setattr(watch, "cache", self)
        monkeypatch.setattr(middleware, "cache", self)

    def get(self, *args, **kwargs):
        self.count += 1
        return cache.get(*args, **kwargs)

    def get_many(self, *args, **kwargs):
        self.count += 1
        return cache.get_many(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(cache, name)


def test_a_change_made_in_another_process_is_seen_at_the_very_next_read(shared):
    editor, reader = (
        watch.VersionWatch(version.VERSION_KEY),
        watch.VersionWatch(version.VERSION_KEY),
    )
    version._new_version()
    before = reader.stored_version()

    version._new_version()  # an editor's save, in another process

    after = reader.stored_version()
    assert after != before
    assert after == cache.get(version.VERSION_KEY) == editor.stored_version()


def test_the_version_is_read_once_and_not_again_until_it_changes(shared, monkeypatch):
    reader = watch.VersionWatch(version.VERSION_KEY)
    version._new_version()
    reads = CountingGets(monkeypatch)

    seen = {reader.stored_version() for _ in range(50)}
    assert (len(seen), reads.count) == (1, 1)

    version._new_version()
    assert reader.stored_version() not in seen
    assert reads.count == 2


def test_a_lost_subscription_falls_back_to_reading_the_cache_then_watches_again(
    shared, monkeypatch
):
    monkeypatch.setattr(watch, "RETRY_SECONDS", 0.0)
    reader = watch.VersionWatch(version.VERSION_KEY)
    version._new_version()
    before = reader.stored_version()
    # Redis drops the subscription (a restart, a network cut)...
    address = "{}:{}".format(*reader._pubsub.connection._sock.getsockname())
    redis.Redis.from_url(REDIS_URL).client_kill(address)
    # ...and the content changes while nobody listens.
    version._new_version()

    during = reader.stored_version()
    current = cache.get(version.VERSION_KEY)
    after = reader.stored_version()
    version._new_version()
    latest = reader.stored_version()

    assert during is None  # not watched: the callers read the cache
    assert after == current != before  # subscribed again, and read afresh
    assert latest == cache.get(version.VERSION_KEY) != after  # and watching again


def test_without_redis_nothing_is_watched(settings):
    # The tests' memory cache, like the file cache of `make run`: the version is read as before.
    assert watch.VersionWatch(version.VERSION_KEY).stored_version() is None


def test_pages_are_answered_from_memory_and_an_edit_shows_at_once(shared, monkeypatch):
    article = ArticleFactory(slug="declined", title="Card declined")
    middleware.local_pages.clear()
    first = Client().get("/articles/declined/")
    reads = CountingGets(monkeypatch)

    second, third = Client().get("/articles/declined/"), Client().get("/articles/declined/")
    assert (first["X-Page-Cache"], second["X-Page-Cache"], third["X-Page-Cache"]) == (
        "miss",
        "hit",
        "hit",
    )
    assert first.content == second.content == third.content
    assert reads.count == 0  # neither the version nor the page asked of Redis

    article.title = "Card refused"
    services.article_save(article=article)
    edited = Client().get("/articles/declined/")

    assert edited["X-Page-Cache"] == "miss"
    assert b"Card refused" in edited.content
    assert Client().get("/articles/declined/").content == edited.content


def page(version: str, size: int = 1024):
    """A stored page of ``size`` bytes, rendered from content ``version``."""
    return ready((version, 200, [("Content-Type", "text/html")], b"x" * size))


def test_the_pages_kept_in_memory_stay_within_their_bytes_oldest_first_out():
    kept = LocalPages(max_bytes=3 * 2048)

    for name in "abc":
        kept.put(name, page("v1"))
    assert kept.get("a", "v1") is not None  # "a" was answered again: "b" is now the oldest
    kept.put("d", page("v1"))

    assert kept.get("b", "v1") is None
    assert [kept.get(name, "v1") is not None for name in "acd"] == [True, True, True]
    assert kept.get("a", "v2") is None  # rendered from older content: never answered
    kept.put("huge", page("v1", size=10_000))
    assert kept.get("huge", "v1") is None and len(kept) == 3


def test_a_page_another_process_stored_is_read_once_then_kept_in_memory(shared, monkeypatch):
    ArticleFactory(slug="declined", title="Card declined")
    stored = Client().get("/articles/declined/")
    middleware.local_pages.clear()  # as in a process that has not answered it yet
    reads = CountingGets(monkeypatch)

    from_redis = Client().get("/articles/declined/")
    after_one_read = reads.count
    from_memory = Client().get("/articles/declined/")

    assert from_redis.content == from_memory.content == stored.content
    assert (from_redis["X-Page-Cache"], from_memory["X-Page-Cache"]) == ("hit", "hit")
    assert (after_one_read, reads.count) == (1, 1)


def test_a_page_kept_in_memory_from_older_content_is_never_answered(shared):
    article = ArticleFactory(slug="declined", title="Card declined")
    middleware.local_pages.clear()
    Client().get("/articles/declined/")
    old_key = next(iter(middleware.local_pages._pages))

    article.title = "Card refused"
    services.article_save(article=article)
    # The old copy is still in this process's memory, under its old version.
    assert middleware.local_pages._pages[old_key].version != version.content_version()
    page = Client().get("/articles/declined/")

    assert page["X-Page-Cache"] == "miss"
    assert b"Card refused" in page.content


def test_the_memory_counts_each_page_once_however_often_it_is_stored_again():
    one_page = 1024 + 1024  # the body and what a page costs beside it
    kept = LocalPages(max_bytes=3 * one_page)

    for _again in range(10):
        kept.put("a", page("v1"))
    kept.put("b", page("v1"))
    kept.put("c", page("v1"))
    assert [kept.get(name, "v1") is not None for name in "abc"] == [True, True, True]

    for number in range(20):
        kept.put(f"page-{number}", page("v1"))
    assert len(kept) == 3  # never more than the bytes allow, however many come
    assert kept.get("page-19", "v1") is not None

    exactly = LocalPages(max_bytes=one_page)
    exactly.put("full", page("v1"))
    assert exactly.get("full", "v1") is not None  # a page that just fits is kept


def test_the_content_version_is_read_from_the_cache_once_while_it_is_watched(shared, monkeypatch):
    monkeypatch.setattr(version, "watch", watch.VersionWatch(version.VERSION_KEY))
    version._new_version()
    reads = CountingGets(monkeypatch)
    monkeypatch.setattr(version, "cache", reads)

    seen = {version.content_version() for _ in range(20)}

    assert (len(seen), reads.count) == (1, 1)


def test_a_watch_that_cannot_subscribe_tries_again_only_after_a_while(settings, monkeypatch):
    # Redis away: each request must not pay for another attempt to subscribe.
    settings.CACHES = settings.CACHES | {
        "default": {"BACKEND": "portal.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    monkeypatch.setattr(watch, "RETRY_SECONDS", 0.3)
    reader = watch.VersionWatch(version.VERSION_KEY)
    attempts = []
    subscribe = reader._subscribe
    monkeypatch.setattr(reader, "_subscribe", lambda *a: attempts.append(1) or subscribe(*a))

    during = [reader.stored_version() for _ in range(5)]
    time.sleep(0.35)
    after = reader.stored_version()

    assert during == [None] * 5
    assert after is None
    assert len(attempts) == 2
