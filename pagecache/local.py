"""The pages one process answered lately, kept in its memory under the version they were
rendered from: with the version known without a trip to Redis (watch.py), a page asked for
again is answered without one either.

Bounded by the bytes it holds; the least recently answered go first. A page of another
version is never answered (the caller compares), and is pushed out as newer ones come.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import NamedTuple

from django.http.response import ResponseHeaders
from django.utils.http import parse_http_date_safe

# What a stored page costs beside its body: the tuple, its headers, the key.
OVERHEAD_BYTES = 1024


class ReadyPage(NamedTuple):
    """A stored page as an answer needs it: headers checked and validators parsed once."""

    version: str
    status: int
    content: bytes
    # As Django's response headers keep them: lower-case name -> (name, value).
    headers: dict[str, tuple[str, str]]
    etag: str | None
    last_modified: int | None


def ready(page: tuple) -> ReadyPage:
    """A page as the shared cache stores it: (version, status, [(header, value)], content)."""
    version, status, headers, content = page
    checked = ResponseHeaders(dict(headers))
    return ReadyPage(
        version,
        status,
        content,
        checked._store,
        checked.get("ETag"),
        parse_http_date_safe(checked.get("Last-Modified", "")),
    )


class LocalPages:
    def __init__(self, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[str, ReadyPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, version: str) -> ReadyPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None or page.version != version:
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: ReadyPage) -> None:
        size = _size(page)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= _size(old)
            self._pages[key] = page
            self._bytes += size
            while self._bytes > self.max_bytes:
                _key, dropped = self._pages.popitem(last=False)
                self._bytes -= _size(dropped)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)


def _size(page: ReadyPage) -> int:
    return len(page.content) + OVERHEAD_BYTES
