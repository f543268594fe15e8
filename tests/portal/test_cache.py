"""The Redis cache every web process shares (portal/cache.py), against a real Redis."""

from __future__ import annotations

import uuid

import pytest
import redis

from portal.cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def shared():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not running at {REDIS_URL}: start it (see .ci/run)")
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"})
    yield cache
    cache.clear()


def test_what_one_process_stores_another_reads(shared):
    other = RedisCache(REDIS_URL, {"KEY_PREFIX": shared.key_prefix})

    shared.set("content-version", "v2", None)
    shared.set_many({"page:a": (1, b"<html>"), "page:b": (2, b"<p>")})

    assert other.get_many(["content-version", "page:a", "page:missing"]) == {
        "content-version": "v2",
        "page:a": (1, b"<html>"),
    }
    shared.add("count", 1)
    assert other.incr("count") == 2


def test_every_call_reuses_one_client_of_the_shared_pool(shared):
    shared.set("warm", 1)
    client = shared._cache.get_client(write=True)

    shared.get("warm")
    shared.set("warm", 2)

    assert shared._cache.get_client(write=False) is client
    assert shared._cache.get_client(write=True) is client


def test_a_counter_starts_at_one_counts_up_and_lives_as_long_as_asked(shared):
    other = RedisCache(REDIS_URL, {"KEY_PREFIX": shared.key_prefix})

    assert [shared.bump("searches", 600), other.bump("searches", 600)] == [1, 2]
    assert shared.get("searches") == 2
    client = shared._cache.get_client(write=True)
    assert 590 < client.ttl(shared.make_and_validate_key("searches")) <= 600


def test_counters_bumped_from_many_threads_lose_no_count(shared):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        firsts = list(pool.map(lambda _n: shared.bump("busy", 60), range(200)))

    assert shared.get("busy") == 200
    assert sorted(firsts) == list(range(1, 201))


def test_the_file_cache_is_shared_between_processes_and_stays_bounded(tmp_path):
    from portal.cache import FileBasedCache

    options = {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}}
    one, other = FileBasedCache(str(tmp_path), options), FileBasedCache(str(tmp_path), options)

    for n in range(350):
        one.set(f"page:{n}", b"<html>", 60)
    one.set("content-version", "v2", None)

    assert other.get("content-version") == "v2"
    # Checked every CULL_EVERY writes: never more than that many over the limit.
    stored = len(list(tmp_path.glob("*.djcache")))
    assert stored <= 10 + FileBasedCache.CULL_EVERY
    assert other.get("page:349") == b"<html>"


def test_a_tiny_file_cache_still_takes_every_write(tmp_path):
    from portal.cache import FileBasedCache

    tiny = FileBasedCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 1, "CULL_FREQUENCY": 4}})

    tiny.set("a", 1, 60)
    tiny.set("b", 2, 60)

    assert tiny.get("b") == 2
