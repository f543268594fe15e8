from __future__ import annotations

import re

import pytest
from django.core.cache import caches

from tests.returns.conftest import form_data  # noqa: F401 (the fixture: a valid return)

# Addresses from the documentation ranges: two merchants, and the proxy in front.
MERCHANT_A = "203.0.113.10"
MERCHANT_B = "198.51.100.20"
PROXY = "10.0.0.2"


@pytest.fixture
def empty_rate_limits(django_db_setup, django_db_blocker) -> None:
    # The counts live in a cache table that transactional tests do not empty.
    with django_db_blocker.unblock():
        caches["ratelimit"].clear()


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden inputs of a form page, as a browser would send them back."""
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
