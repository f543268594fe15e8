"""Search on the SQLite default with 5,000 articles: one client, the burst's query mix.

Run by bench/run.py: a SQLite database in var/bench (made once, kept with --reuse), the
bundled content and the generated articles, then each search of the mix through the whole
portal in-process (middleware, page cache, view), timed. Prints one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
DATABASE = REPO / "var" / "bench" / "search.sqlite3"
sys.path.insert(0, str(REPO))
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ["CACHE_URL"] = f"file://{REPO / 'var' / 'bench' / 'search-cache'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from bench.searches import query_mix  # noqa: E402
from troubleshooting.models import Article  # noqa: E402


def prepare(reuse: bool) -> None:
    if not (reuse and DATABASE.exists()):
        for path in DATABASE.parent.glob(DATABASE.name + "*"):
            path.unlink()
        call_command("migrate", verbosity=0)
        with open(os.devnull, "w") as quiet:
            call_command("load_content", stdout=quiet)
        from bench.seed import seed_articles

        seed_articles()
    cache.clear()


def main() -> None:
    prepare("--reuse" in sys.argv)
    client = Client()
    client.get("/search/?q=warm+up")
    timings = []
    for query in query_mix(300):
        started = time.perf_counter()
        response = client.get("/search/?" + urlencode({"q": query}))
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    print(
        json.dumps(
            {
                "articles": Article.objects.count(),
                "searches": len(timings),
                "p50_ms": timings[len(timings) // 2],
                "p95_ms": timings[int(len(timings) * 0.95) - 1],
                "p99_ms": timings[int(len(timings) * 0.99) - 1],
            }
        )
    )


if __name__ == "__main__":
    main()
