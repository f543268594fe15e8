"""Each process's copy of the content version, corrected by Redis the moment it changes.

Every page answered from the page cache needed a trip to Redis for the content version: a
third of what such an answer cost, the rest of the gap to a bare Django. With Redis as the
shared cache, each process subscribes to the version's channel, and every change publishes
on it right after the new version is stored (``version._new_version``). A process reads the
version once and keeps it until a message arrives: looking for one is a poll of a socket it
already holds, not a trip. Redis sends the message while it answers the writer, so before an
editor's save has answered, every process has it waiting; their next request reads the new
version.

Without Redis (the file cache of ``make run``, the tests' memory cache), or while the
subscription is being made again (Redis restarted), ``stored_version`` says None and the
callers read the version from the cache as before.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time

from django.core.cache import cache
from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

# After a failed subscription, how long to read the version from the cache before trying again.
RETRY_SECONDS = 1.0
# How long to wait for Redis to confirm a new subscription.
SUBSCRIBE_SECONDS = 2.0


def channel(version_key: str) -> str:
    """The channel of the content version: its cache key, so portals sharing one Redis under
    different key prefixes stay apart."""
    return cache.make_key(version_key)


def publish(version_key: str, version: str) -> None:
    """Tell every watching process that the version changed (Redis only)."""
    client = _client()
    if client is not None:
        client.publish(channel(version_key), version)


def _client():
    # Only the portal's Redis cache (portal/cache.py) can be watched.
    backend = getattr(cache, "_cache", None)
    get_client = getattr(backend, "get_client", None)
    return get_client(write=True) if get_client is not None and hasattr(cache, "bump") else None


class VersionWatch:
    def __init__(self, version_key: str) -> None:
        self.version_key = version_key
        self._lock = threading.Lock()
        self._pubsub = None
        self._owner = 0  # the process that subscribed: a forked child must subscribe anew
        self._channel = ""
        self._known: str | None = None
        self._retry_at = 0.0

    def stored_version(self) -> str | None:
        """The version as the cache holds it, read again only after a change; None when this
        process cannot watch it."""
        client = _client()
        if client is None or not self._lock.acquire(blocking=False):
            # Not Redis; or another thread of this process is looking: it reads the cache.
            return None
        try:
            # A forked child, or another cache (tests change settings), subscribes anew.
            named = channel(self.version_key)
            if self._pubsub is None or self._owner != os.getpid() or self._channel != named:
                if time.monotonic() < self._retry_at:
                    return None
                self._subscribe(client, named)
            # Any message is a change: read the version again.
            while self._pubsub.get_message(ignore_subscribe_messages=True, timeout=0.0):
                self._known = None
            if self._known is None:
                self._known = cache.get(self.version_key)
            return self._known
        except (RedisError, OSError):
            self._drop()
            return None
        finally:
            self._lock.release()

    def _subscribe(self, client, named: str) -> None:
        self._drop()
        self._retry_at = time.monotonic() + RETRY_SECONDS
        # A connection of its own that never reconnects by itself: redis-py would subscribe
        # again silently, and a change announced meanwhile would go unnoticed. A lost
        # connection is an error here, and the version is read from the cache until the
        # next subscription.
        shared = client.connection_pool
        pool = type(shared)(
            connection_class=shared.connection_class,
            **(shared.connection_kwargs | {"retry": Retry(NoBackoff(), 0)}),
        )
        pubsub = Redis(connection_pool=pool).pubsub()
        pubsub.subscribe(named)
        # Read only once Redis confirmed: a change after that is always announced.
        confirmed = pubsub.get_message(timeout=SUBSCRIBE_SECONDS)
        if not confirmed or confirmed.get("type") != "subscribe":
            pubsub.close()
            raise RedisError("the content version's channel was not confirmed")
        self._pubsub, self._owner, self._known = pubsub, os.getpid(), None
        self._channel, self._retry_at = named, 0.0

    def _drop(self) -> None:
        if self._pubsub is not None:
            with contextlib.suppress(RedisError, OSError):
                self._pubsub.close()
                self._pubsub.connection_pool.disconnect()
        self._pubsub, self._known = None, None
