from __future__ import annotations

import uuid

import pytest
from django.core.cache import caches

from returns.forms import started_stamp


@pytest.fixture(autouse=True)
def _returns_settings(settings) -> None:
    # Tests submit at machine speed and many times from one address.
    settings.RETURNS_MIN_FILL_SECONDS = 0
    settings.RETURNS_RATE_LIMIT = "1000/h"
    settings.SITE_URL = "https://help.example.com"
    settings.SUPPORT_EMAIL = "pos-support@example.com"


@pytest.fixture(autouse=True)
def _empty_rate_limit_counts(django_db_setup, django_db_blocker) -> None:
    # The counts live in a cache table that transactional tests do not empty.
    with django_db_blocker.unblock():
        caches["ratelimit"].clear()


@pytest.fixture
def form_data():
    """A complete, valid return as a merchant would post it; override any field."""

    def build(**overrides: str) -> dict[str, str]:
        return {
            "account_id": "10012345",
            "serial_number": "p2-0123 4567",
            "terminal_model": "p2_smartpad",
            "ticket_reference": "172349",
            "reason": "display",
            "description": "The screen stays black after charging.",
            "contact_name": "Sanne de Vries",
            "company_name": "Bakkerij De Vries",
            "email": "sanne@bakkerij.example.nl",
            "phone": "+31 20 123 4567",
            "street": "Damrak",
            "house_number": "12A",
            "postcode": "1012lg",
            "city": "Amsterdam",
            "country": "NL",
            "idempotency_key": str(uuid.uuid4()),
            "started": started_stamp(),
        } | overrides

    return build
