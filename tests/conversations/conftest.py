from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _conversation_settings(settings, tmp_path, support_settings) -> None:
    # Merchants here answer at machine speed; the robot checks are the guard's tests.
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.SUPPORT_RATE_LIMIT = "100000/h"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english_first() -> None:
    # A request in Dutch or French leaves its language active in the test's thread.
    from django.utils import translation

    translation.activate("en")
