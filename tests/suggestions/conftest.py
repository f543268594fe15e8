from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(autouse=True)
def _fresh_state(settings, tmp_path) -> Iterator[None]:
    # Merchants here type at machine speed, from one address, and attach real photos.
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.SUPPORT_RATE_LIMIT = settings.RETURNS_RATE_LIMIT = "100000/h"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RETURNS_SHIP_TO = "POS Returns, Teststraat 1, 1011 AA Amsterdam"
    for cache in caches.all():
        cache.clear()
    with translation.override("en"):
        yield


@pytest.fixture
def content(bundled_content) -> None:
    """The bundled articles and guides, the tampering alarm among them."""
    call_command("load_guides", "content/guides", stdout=io.StringIO())
