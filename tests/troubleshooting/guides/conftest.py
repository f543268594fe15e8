from __future__ import annotations

from pathlib import Path

import pytest

from portal.settings import BASE_DIR
from troubleshooting.guide_models import Guide
from troubleshooting.guide_services import guide_load_file

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
def _fresh_cache() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def load_guide():
    """Load one bundled guide file (every language) into the test database."""

    def load(slug: str) -> dict[str, Guide]:
        guide_load_file(path=Path(GUIDES_DIR / f"{slug}.yaml"))
        return {guide.language: guide for guide in Guide.objects.filter(slug=slug)}

    return load
