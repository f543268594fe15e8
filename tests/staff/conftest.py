from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _support_settings(support_settings) -> None:
    pass
