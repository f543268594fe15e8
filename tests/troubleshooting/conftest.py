from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from portal.settings import BASE_DIR

CONTENT = BASE_DIR / "content" / "articles"
SEED = Path("/work/shared/seed/pos-troubleshooting.md")
if not SEED.exists():
    SEED = BASE_DIR.parent / "shared" / "seed" / "pos-troubleshooting.md"


@pytest.fixture(autouse=True)
def _english_to_start_with() -> None:
    # A request to /nl/ or /fr/ leaves that language active in the thread; start each test fresh.
    translation.activate("en")


@pytest.fixture
def seed_page() -> Path:
    if not SEED.exists():
        pytest.skip("the seed page ../shared/seed/pos-troubleshooting.md is not on this machine")
    return SEED


@pytest.fixture
def write_page(tmp_path):
    """Write a ReadMe page into a temporary folder and return its path."""

    def write(name: str, text: str, folder: str = "en") -> Path:
        path = tmp_path / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write
