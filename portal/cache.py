"""The shared cache's backends: Django's Redis cache, keeping one redis-py client per
connection pool, and Django's file cache, which culls without listing every file each time.

Django's own backend makes a new ``redis.Redis`` for every cache call, and building one (its
table of some 170 reply handlers) took 0.35 ms of CPU: more than the call to Redis itself,
and most of what a page answered from the page cache costs (two calls: the content version,
then the page). A client holds no connection of its own, only the shared pool, so one per
pool serves every thread of the process.
"""

from __future__ import annotations

from django.core.cache.backends import filebased, redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write: bool = False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def bump(self, key: str, timeout: int, by: int = 1) -> int:
        """Add ``by`` to a counter (a missing one starts at 0) and keep it ``timeout`` seconds
        from now: one trip to Redis, atomic, where add, incr and touch took three."""
        return self.bump_many({key: by}, timeout)[key]

    def bump_many(self, counts: dict[str, int], timeout: int) -> dict[str, int]:
        """``bump`` for several counters in one trip: each one's new value."""
        keys = {name: self.make_and_validate_key(name) for name in counts}
        with self._cache.get_client(write=True).pipeline(transaction=True) as pipe:
            for name, key in keys.items():
                pipe.incrby(key, counts[name]).expire(key, timeout)
            replies = pipe.execute()
        return dict(zip(keys, replies[::2], strict=True))


class FileBasedCache(filebased.FileBasedCache):
    """Django's file cache (``make run``'s default), checking its size every ``CULL_EVERY``
    writes instead of at each one.

    Django lists every file of the cache before each write to see whether it is full: with
    500 pages stored a write took 2 to 5 ms, and a search writes three times; with the 20,000
    the cache may hold, far more. Checked every 100th write, each process may go that many
    entries over ``MAX_ENTRIES`` before the oldest are culled.
    """

    CULL_EVERY = 100

    def __init__(self, dir, params) -> None:  # noqa: A002 (Django's name)
        super().__init__(dir, params)
        self._writes = 0

    def _cull(self) -> None:
        self._writes += 1
        # The first write of a process checks, so a full cache left by another is culled.
        if self._writes % self.CULL_EVERY != 1:
            return
        # Django culls a share of the entries once; after up to CULL_EVERY unchecked writes
        # that may leave it over the limit, so it culls until it is under.
        stored = len(self._list_cache_files())
        while stored >= self._max_entries:
            super()._cull()
            left = len(self._list_cache_files())
            if left == stored:  # too few for a share to be one file: nothing more to cull
                return
            stored = left
