from __future__ import annotations

import pytest

# A support request often ends a guide: the same loaded guides and clean state as its tests.
from tests.guides.conftest import _fresh_cache_and_english, load_guide  # noqa: F401


@pytest.fixture(autouse=True)
def _merchants_type_at_machine_speed(settings) -> None:
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.SUPPORT_RATE_LIMIT = "100000/h"


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
