from __future__ import annotations

import pytest
from django.urls import reverse

from tests.staff.factories import PASSWORD, AgentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("support_settings")]

LOGIN = reverse("admin:login")


def sign_in(client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_the_right_password_signs_an_agent_in(client) -> None:
    AgentFactory(username="sanne")

    response = sign_in(client, "sanne", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_five_wrong_passwords_lock_the_username_for_that_address(client) -> None:
    AgentFactory(username="sanne")
    for _attempt in range(4):
        assert sign_in(client, "sanne", "wrong").status_code == 200

    fifth = sign_in(client, "sanne", "wrong")
    even_right = sign_in(client, "sanne", PASSWORD)

    for locked in (fifth, even_right):
        page = locked.content.decode()
        assert locked.status_code == 429
        assert "Sign-in locked for a while" in page
        assert "Try again in 15 minutes" in page
        assert 'class="site-header"' in page  # the site's own layout
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_one_username_at_one_address_only(client) -> None:
    AgentFactory(username="sanne")
    AgentFactory(username="joost")
    for _attempt in range(5):
        sign_in(client, "sanne", "wrong")

    assert sign_in(client, "joost", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "sanne", PASSWORD, address="198.51.100.20").status_code == 302


def test_a_successful_sign_in_forgets_earlier_mistakes(client) -> None:
    AgentFactory(username="sanne")
    for _attempt in range(4):
        sign_in(client, "sanne", "wrong")
    assert sign_in(client, "sanne", PASSWORD).status_code == 302
    client.logout()

    for _attempt in range(4):
        assert sign_in(client, "sanne", "wrong").status_code == 200
