from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

from portal.views import service_unavailable

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer with a friendly 503 page while the database cannot be reached.

    Django reconnects on the next request by itself (CONN_HEALTH_CHECKS), so the
    portal recovers without a restart once the database is back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            logger.warning("Database unavailable: %s", exception)
            return service_unavailable(request)
        return None


# Django masks the CSRF token afresh on every response; the mask carries no content.
_CSRF_TOKENS = re.compile(
    rb'(?<=X-CSRFToken": ")[A-Za-z0-9]{64}|(?<=name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}'
)


class HttpCacheMiddleware:
    """Validators and caching headers for anonymous pages.

    Every successful anonymous GET gets a weak ETag (the page's content, ignoring the
    per-response CSRF mask) and a Last-Modified (when this content was first served,
    unless the view says better), and a conditional request that matches gets 304.

    Cache-Control depends on what the page holds:
    - nothing personal (no cookie set, no Vary: Cookie): ``public`` with a short
      ``max-age`` for browsers and a longer ``s-maxage`` for a CDN, which may also serve
      a stale copy while it fetches a fresh one;
    - a CSRF token or a session (pages with a form): ``private, no-cache``. A shared
      copy would hand one visitor's token to another and their form would be refused,
      so only the visitor's own browser keeps it, and revalidates it each time (a cheap
      304 while nothing changed).
    Signed-in staff and the admin get nothing here: their pages are never cached.
    """

    PUBLIC = "public, max-age=60, s-maxage=300, stale-while-revalidate=60, stale-if-error=3600"
    PRIVATE = "private, no-cache"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not self._applies(request, response):
            return response
        content = _CSRF_TOKENS.sub(b"", response.content)
        etag = f'W/"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'
        if not response.has_header("Last-Modified"):
            # The first time any process served this content; the cache is per process,
            # which is harmless: a later first-seen time only means one more full answer.
            first_served = time.time()
            if not cache.add(f"http-cache:{etag}", first_served, timeout=7 * 24 * 3600):
                first_served = cache.get(f"http-cache:{etag}", first_served)
            response["Last-Modified"] = http_date(first_served)
        response["ETag"] = etag
        personal = bool(response.cookies) or "cookie" in response.get("Vary", "").lower()
        response["Cache-Control"] = self.PRIVATE if personal else self.PUBLIC
        return get_conditional_response(
            request,
            etag=etag,
            last_modified=parse_http_date_safe(response["Last-Modified"]),
            response=response,
        )

    @staticmethod
    def _applies(request: HttpRequest, response: HttpResponse) -> bool:
        return (
            request.method in {"GET", "HEAD"}
            # The 404 page is the same for everyone too, and asked for often by robots.
            and response.status_code in {200, 404}
            and not response.streaming
            and not response.has_header("Cache-Control")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith("/admin/")
        )
