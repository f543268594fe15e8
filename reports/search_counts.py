"""Counting searches in front of the page cache, without slowing the search page.

Search result pages are shared: most answers come from the page cache and never reach the
view, so the view cannot count them. ``SearchCountMiddleware`` sits just before the page
cache and adds one to a counter in the shared cache per submitted search (no database on the
way). The first search of a query on a day also takes a numbered slot holding the query, so
the day's queries can be listed later. ``search_counts_flush`` copies the day counters into
``SearchTally`` rows; the report does it before reading, and the worker every hour
(``WORKER_SWEEPS``), so no day is lost to the counters' expiry (COUNTER_DAYS days);
``manage.py search_counts_flush`` does it by hand.

Each process adds up its searches for ``SEARCH_COUNT_SEND_SECONDS`` (a second) and then sends
them in one trip (``search_counts_send``, from a thread of its own; at exit too): a trip to the
shared cache per search cost a page answered from the page cache as much again. A process
that is killed loses at most that second's counts; ``search_counts_flush`` sends its own
process's first. With 0 every search is sent as it is counted (the tests' setting).

On Redis every step is atomic. The file cache of ``make run`` reads and writes, so two
processes counting the same query at the same moment may count it once: fine for a report.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from reports.models import SearchTally
from troubleshooting.search import clean_query, normalize

COUNTER_DAYS = 35
COUNTER_SECONDS = COUNTER_DAYS * 24 * 3600
SEARCH_PATH = re.compile(r"^/(?:(?P<language>nl|fr)/)?search/$")

logger = logging.getLogger(__name__)


def _bump_many(counts: dict[str, int]) -> dict[str, int]:
    """Add to counters that live COUNTER_DAYS days; returns their new values."""
    if hasattr(cache, "bump_many"):  # Redis (portal/cache.py): one trip for them all
        return cache.bump_many(counts, COUNTER_SECONDS)
    values = {}
    for key, by in counts.items():
        if cache.add(key, by, COUNTER_SECONDS):
            values[key] = by
            continue
        try:
            values[key] = cache.incr(key, by)
        except ValueError:  # expired between the two calls
            cache.set(key, by, COUNTER_SECONDS)
            values[key] = by
            continue
        # Only some backends keep the timeout through incr.
        cache.touch(key, COUNTER_SECONDS)
    return values


class _Unsent:
    """The searches this process counted and has not sent yet: per day and query, how many,
    in which language and as first typed; and the thread that sends them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[tuple[date, str], list] = {}
        self.sender: threading.Thread | None = None

    def add(self, day: date, digest: str, language: str, shown: str) -> bool:
        """Count one; True when the caller must send it now (no sending interval is set)."""
        with self.lock:
            self.counts.setdefault((day, digest), [0, language, shown])[0] += 1
            seconds = settings.SEARCH_COUNT_SEND_SECONDS
            if seconds <= 0:
                return True
            # One thread per process, for its life (a forked process starts its own): it
            # keeps one connection to the shared cache.
            if self.sender is None or not self.sender.is_alive():
                self.sender = threading.Thread(
                    target=self._send_every, args=(seconds,), name="search-counts", daemon=True
                )
                self.sender.start()
            return False

    def take(self) -> dict[tuple[date, str], list]:
        with self.lock:
            counts, self.counts = self.counts, {}
        return counts

    @staticmethod
    def _send_every(seconds: float) -> None:
        while True:
            time.sleep(seconds)
            search_counts_send()


_unsent = _Unsent()


def search_count(*, language: str, query: str, day: date | None = None) -> None:
    shown = clean_query(query).lower()
    wanted = normalize(shown)
    if not wanted:
        return
    day = day or timezone.localdate()
    digest = hashlib.md5(f"{language}:{wanted}".encode()).hexdigest()
    if _unsent.add(day, digest, language, shown):
        search_counts_send()


def search_counts_send() -> None:
    """Add this process's unsent searches to the shared counters: one trip for the counts,
    and for each query the first time it is searched on a day, a numbered slot holding it."""
    counts = _unsent.take()
    if not counts:
        return
    try:
        values = _bump_many(
            {f"searchcount:{d}:q:{digest}": n for (d, digest), (n, *_) in counts.items()}
        )
        # Queries first searched today (no count before these) take numbered slots: one trip
        # for each day's new queries, however many.
        firsts: dict[date, list[tuple[str, str, str]]] = {}
        for (day, digest), (count, language, shown) in counts.items():
            if values[f"searchcount:{day}:q:{digest}"] == count:
                firsts.setdefault(day, []).append((language, shown, digest))
        for day, queries in firsts.items():
            taken = f"searchcount:{day}:slots"
            first = _bump_many({taken: len(queries)})[taken] - len(queries) + 1
            slots = {f"searchcount:{day}:slot:{first + n}": held for n, held in enumerate(queries)}
            cache.set_many(slots, COUNTER_SECONDS)
    except Exception:
        # The shared cache away: these searches go uncounted, the portal answers on.
        logger.exception("%d searches could not be counted", sum(n for n, *_ in counts.values()))


atexit.register(search_counts_send)


def search_counts_flush(*, days: int = COUNTER_DAYS) -> int:
    """Copy the counters of the last ``days`` days into SearchTally rows; returns rows written.

    A counter only grows, so a row takes the larger of its stored and counted value: flushing
    twice, or after the counter expired, never lowers a count.
    """
    search_counts_send()
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
