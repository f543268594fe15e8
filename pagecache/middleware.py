"""The shared page cache: one stored copy of each public page for every anonymous visitor.

It comes first (after the search counter), so a stored page is answered before any other
middleware runs, with the security headers and policy it was sent with. It stores only what the
rest of the stack marked ``public`` (portal.middleware.HttpCacheMiddleware: no cookie set, no
``Vary: Cookie``) and answered to a visitor without a session, exactly as it was sent
(compressed or not), keyed by the address, the language and the htmx headers the views look at,
and tagged with the content version it was rendered from: a page of older content is never
answered. With Redis, the version is known without asking (watch.py) and the pages a process
answered lately are kept in its memory (local.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language_from_path

from pagecache.local import LocalPages, ReadyPage, ready
from pagecache.version import VERSION_KEY, content_version, rendering_version, watch

# Long: a content change makes a new key at once; this only bounds unvisited pages.
PAGE_SECONDS = 24 * 3600
# The request headers a cached page may depend on (besides its address).
KEYED_HEADERS = (
    "HTTP_HX_REQUEST",
    "HTTP_HX_TARGET",
    "HTTP_HX_HISTORY_RESTORE_REQUEST",
    "HTTP_HX_BOOSTED",
)
# A stored page may vary on these only: they are part of the key (or of the address).
STORABLE_VARY = {"accept-encoding", "accept-language", "hx-request", "hx-target"}
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Cookies that make a page personal: a signed-in user's session, flash messages.
PERSONAL_COOKIES = ("messages",)
# Pages this process answered lately, while it knows the version without asking (watch.py).
local_pages = LocalPages(max_bytes=16 * 1024 * 1024)


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._eligible(request):
            return self.get_response(request)
        key = self._key(request)
        watched = watch.stored_version()
        if watched is not None:
            # The version is known without a trip (watch.py): the page from this process's
            # memory, or else from the shared cache.
            version = content_version(watched)
            page = local_pages.get(key, version)
            if page is None and (page := self._current(cache.get(key), version)) is not None:
                local_pages.put(key, page)
        else:
            # The page and the content version in one trip to the cache.
            found = cache.get_many([VERSION_KEY, key])
            version = content_version(found.get(VERSION_KEY))
            page = self._current(found.get(key), version)
        if page is not None:
            return self._answer(request, page)
        reading = rendering_version.set(version)
        try:
            response = self.get_response(request)
        finally:
            rendering_version.reset(reading)
        if request.method == "GET" and self._storable(response):
            headers = [(name, value) for name, value in response.items()]
            stored = (version, response.status_code, headers, response.content)
            cache.set(key, stored, PAGE_SECONDS)
            if watched is not None:
                local_pages.put(key, ready(stored))
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _eligible(request: HttpRequest) -> bool:
        return (
            request.method in {"GET", "HEAD"}
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
            and not request.path_info.startswith(("/admin/", "/static/", "/media/"))
        )

    @staticmethod
    def _key(request: HttpRequest) -> str:
        gzip = bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        parts = [
            request.scheme,
            request.META.get("HTTP_HOST", ""),
            get_language_from_path(request.path_info) or settings.LANGUAGE_CODE,
            "gzip" if gzip else "identity",
            *(request.META.get(name, "") for name in KEYED_HEADERS),
            request.get_full_path(),
        ]
        digest = hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()
        return f"page:{digest}"

    @staticmethod
    def _storable(response: HttpResponse) -> bool:
        vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part}
        return (
            response.status_code in {200, 404}
            and not response.streaming
            and not response.cookies
            and "public" in response.get("Cache-Control", "")
            and vary <= STORABLE_VARY
        )

    @staticmethod
    def _current(stored: tuple | None, version: str) -> ReadyPage | None:
        """A stored page, ready to answer, if it was rendered from the current content."""
        return ready(stored) if stored is not None and stored[0] == version else None

    @staticmethod
    def _answer(request: HttpRequest, page: ReadyPage) -> HttpResponse:
        response = HttpResponse(page.content, status=page.status)
        # The stored headers as Django keeps them, copied: checked once, when stored.
        response.headers._store = dict(page.headers)
        answer = get_conditional_response(
            request, etag=page.etag, last_modified=page.last_modified, response=response
        )
        answer["X-Page-Cache"] = "hit"
        return answer
