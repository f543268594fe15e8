"""Searches counted per process and sent to the shared Redis a second at a time."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from reports.models import SearchTally
from reports.search_counts import search_count, search_counts_flush

REDIS = "redis://127.0.0.1:6379/14"
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_redis(settings):
    prefix = f"test-send-{uuid.uuid4().hex[:12]}"
    settings.CACHES = settings.CACHES | {
        "default": {"BACKEND": "portal.cache.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": prefix}
    }
    yield prefix
    cache.clear()


def counted(query: str, language: str = "en") -> int | None:
    digest = hashlib.md5(f"{language}:{query}".encode()).hexdigest()
    return cache.get(f"searchcount:{timezone.localdate()}:q:{digest}")


def test_a_process_sends_its_searches_together_within_the_second(client, shared_redis, settings):
    settings.SEARCH_COUNT_SEND_SECONDS = 0.3
    for _ in range(5):
        assert client.get("/search/", {"q": "tampering alarm"}).status_code == 200
    client.get("/fr/search/", {"q": "alarme"})

    # Nothing has gone to Redis yet: no trip for each search.
    assert counted("tampering alarm") is None
    for _ in range(50):
        if counted("tampering alarm"):
            break
        time.sleep(0.05)

    assert counted("tampering alarm") == 5
    assert counted("alarme", "fr") == 1
    search_counts_flush()
    tallies = {(t.language, t.query): t.count for t in SearchTally.objects.all()}
    assert tallies == {("en", "tampering alarm"): 5, ("fr", "alarme"): 1}


def test_the_report_reads_this_processs_searches_at_once(shared_redis, settings):
    settings.SEARCH_COUNT_SEND_SECONDS = 60
    search_count(language="en", query="Card declined")
    search_count(language="en", query="card declined!")

    assert search_counts_flush() == 1
    # Counted once, as first typed; later searches of it add to the same counter.
    search_count(language="en", query="card declined")
    search_counts_flush()
    tally = SearchTally.objects.get()
    assert (tally.query, tally.count) == ("card declined", 3)


def test_searches_counted_just_before_the_process_ends_are_sent(shared_redis):
    script = (
        "import django; django.setup()\n"
        "from reports.search_counts import search_count\n"
        "for _ in range(3): search_count(language='nl', query='geen verbinding')\n"
    )
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "CACHE_URL": f"{REDIS}?key_prefix={shared_redis}",
    }
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, check=True)

    assert counted("geen verbinding", "nl") == 3


def test_with_redis_away_a_search_goes_uncounted_and_the_loss_is_logged(settings, caplog):
    settings.CACHES = settings.CACHES | {
        "default": {"BACKEND": "portal.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    search_count(language="en", query="printer")

    assert "1 searches could not be counted" in caplog.text
