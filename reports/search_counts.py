"""Counting searches in front of the page cache, without slowing the search page.

Search result pages are shared: most answers come from the page cache and never reach the
view, so the view cannot count them. ``SearchCountMiddleware`` sits just before the page
cache and adds one to a counter in the shared cache per submitted search (no database on the
way). The first search of a query on a day also takes a numbered slot holding the query, so
the day's queries can be listed later. ``search_counts_flush`` copies the day counters into
``SearchTally`` rows; the report does it before reading, and the worker every hour
(``WORKER_SWEEPS``), so no day is lost to the counters' expiry (COUNTER_DAYS days);
``manage.py search_counts_flush`` does it by hand.

On Redis every step is atomic. The file cache of ``make run`` reads and writes, so two
processes counting the same query at the same moment may count it once: fine for a report.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date, timedelta

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from reports.models import SearchTally
from troubleshooting.search import clean_query, normalize

COUNTER_DAYS = 35
COUNTER_SECONDS = COUNTER_DAYS * 24 * 3600
SEARCH_PATH = re.compile(r"^/(?:(?P<language>nl|fr)/)?search/$")


def _bump(key: str) -> int:
    """Add one to a counter that lives COUNTER_DAYS days; returns the new value."""
    if hasattr(cache, "bump"):  # Redis (portal/cache.py): one trip, where the rest take three
        return cache.bump(key, COUNTER_SECONDS)
    if cache.add(key, 1, COUNTER_SECONDS):
        return 1
    try:
        value = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, COUNTER_SECONDS)
        return 1
    # Only some backends keep the timeout through incr.
    cache.touch(key, COUNTER_SECONDS)
    return value


def search_count(*, language: str, query: str, day: date | None = None) -> None:
    shown = clean_query(query).lower()
    wanted = normalize(shown)
    if not wanted:
        return
    day = day or timezone.localdate()
    digest = hashlib.md5(f"{language}:{wanted}".encode()).hexdigest()
    if _bump(f"searchcount:{day}:q:{digest}") == 1:
        slot = _bump(f"searchcount:{day}:slots")
        cache.set(f"searchcount:{day}:slot:{slot}", (language, shown, digest), COUNTER_SECONDS)


def search_counts_flush(*, days: int = COUNTER_DAYS) -> int:
    """Copy the counters of the last ``days`` days into SearchTally rows; returns rows written.

    A counter only grows, so a row takes the larger of its stored and counted value: flushing
    twice, or after the counter expired, never lowers a count.
    """
    today = timezone.localdate()
    written = 0
    for back in range(days):
        day = today - timedelta(days=back)
        slots = cache.get(f"searchcount:{day}:slots") or 0
        if not slots:
            continue
        queries = cache.get_many([f"searchcount:{day}:slot:{n}" for n in range(1, slots + 1)])
        counts = cache.get_many([f"searchcount:{day}:q:{d}" for _l, _q, d in queries.values()])
        with transaction.atomic():
            stored = {(t.language, t.query): t for t in SearchTally.objects.filter(day=day)}
            for language, query, digest in queries.values():
                count = counts.get(f"searchcount:{day}:q:{digest}", 0)
                tally = stored.get((language, query))
                if tally is None:
                    SearchTally.objects.create(day=day, language=language, query=query, count=count)
                    written += 1
                elif count > tally.count:
                    tally.count = count
                    tally.save(update_fields=["count"])
                    written += 1
    return written


class SearchCountMiddleware:
    """Counts each submitted search, page-cache hit or not; live results while typing are not
    searches yet. Runs before the page cache and changes nothing in the answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and "HTTP_HX_REQUEST" not in request.META:
            match = SEARCH_PATH.match(request.path_info)
            query = request.GET.get("q", "")
            if match and query:
                search_count(language=match["language"] or "en", query=query)
        return self.get_response(request)
