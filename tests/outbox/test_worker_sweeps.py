"""The worker's sweeps: the jobs it runs besides its queue, each at its own interval."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache
from django.utils import timezone

from outbox.management.commands.run_worker import _sweep_forever
from reports.models import SearchTally
from reports.search_counts import search_count

pytestmark = pytest.mark.django_db(transaction=True)


def failing_job() -> None:
    raise ConnectionError("the database is away")


def test_searches_counted_in_the_cache_reach_the_report_without_anyone_opening_it(settings):
    cache.clear()
    search_count(language="en", query="Attacked!")
    search_count(language="en", query="attacked")
    settings.WORKER_SWEEPS = {
        # A job that fails (the database away, say) must not stop the others.
        "tests.outbox.test_worker_sweeps.failing_job": 0.05,
        "reports.search_counts.search_counts_flush": 0.05,
    }
    stop = threading.Event()
    sweeper = threading.Thread(target=_sweep_forever, args=(stop,))
    sweeper.start()
    try:
        for _ in range(100):
            if SearchTally.objects.exists():
                break
            stop.wait(0.05)
    finally:
        stop.set()
        sweeper.join()

    tally = SearchTally.objects.get(day=timezone.localdate())
    # Counted as one search, shown as first typed.
    assert (tally.language, tally.query, tally.count) == ("en", "attacked!", 2)
