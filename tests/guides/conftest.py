from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import translation

from guides.loader import guide_load_file
from guides.models import Guide
from portal.settings import BASE_DIR

GUIDES_DIR = BASE_DIR / "content" / "guides"
BUNDLED_SLUGS = [
    "no-connection",
    "activate-terminal",
    "payment-declined",
    "tampering-alarm",
    "developer-mode",
    "collect-logs",
    "send-back-terminal",
]


@pytest.fixture(autouse=True)
def _fresh_cache_and_english() -> Iterator[None]:
    # A request in another language leaves that language active in the thread, and
    # reverse() would then build that language's URLs in the next test.
    cache.clear()
    with translation.override("en"):
        yield


@pytest.fixture
def load_guide():
    """Load one bundled guide file (every language) into the test database."""

    def load(slug: str) -> dict[str, Guide]:
        guide_load_file(path=Path(GUIDES_DIR / f"{slug}.yaml"))
        return {guide.language: guide for guide in Guide.objects.filter(slug=slug)}

    return load
