from __future__ import annotations

import pytest
from django.core.cache import caches

from tests.support_admin.factories import AgentFactory


@pytest.fixture(autouse=True)
def _support_settings(settings) -> None:
    settings.SITE_URL = "https://help.example.com"
    settings.SUPPORT_EMAIL = "pos-support@example.com"
    # Hashing a real password costs a second on this machine; these tests make many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_rate_limit_counts(django_db_setup, django_db_blocker) -> None:
    with django_db_blocker.unblock():
        caches["ratelimit"].clear()


@pytest.fixture
def agent(db):
    return AgentFactory(username="sanne", first_name="Sanne")


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client
