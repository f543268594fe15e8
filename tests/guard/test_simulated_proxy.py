"""Behind a proxy, every consumer of the client's address sees the client, not the proxy.

The Django test client plays the proxy: every request comes from the proxy's address and
carries X-Forwarded-For, the client's own entries on the left and the proxy's on the right.
"""

from __future__ import annotations

import itertools

import pytest
from axes.models import AccessAttempt

from tests.guard.conftest import MERCHANT_A, MERCHANT_B, PROXY, hidden_fields
from tests.staff.factories import PASSWORD, AgentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_rate_limits")]

RETURN_URL = "/returns/new/"
SUPPORT_URL = "/support/new/"
serials = itertools.count(1)


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RETURNS_RATE_LIMIT = "2/h"
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def file_return(client, form_data):
    def file(forwarded_for: str, *, remote_addr: str = PROXY) -> int:
        headers = {"REMOTE_ADDR": remote_addr, "HTTP_X_FORWARDED_FOR": forwarded_for}
        page = client.get(RETURN_URL, **headers).content.decode()
        data = form_data(serial_number=f"GUARD{next(serials):05d}") | hidden_fields(page)
        return client.post(RETURN_URL, data, **headers).status_code

    return file


def send_support_request(client, forwarded_for: str) -> int:
    headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded_for}
    page = client.get(SUPPORT_URL, **headers).content.decode()
    data = hidden_fields(page) | {
        "account_id": "10012345",
        "serial_number": f"PB{next(serials):010d}",
        "description": "The terminal restarts during every payment.",
        "contact_name": "Sanne de Vries",
        "email": "sanne@bakkerij.example.nl",
        "phone": "",
        # As a browser with JavaScript sends it: the suggestions were shown beside the field.
        "suggestions_checked": "1",
    }
    return client.post(SUPPORT_URL, data, **headers).status_code


def test_two_clients_behind_the_proxy_have_a_return_limit_each(file_return):
    assert [file_return(MERCHANT_A) for _ in range(3)] == [302, 302, 429]

    assert file_return(MERCHANT_B) == 302


def test_a_client_cannot_escape_the_return_limit_by_writing_its_own_header(file_return):
    file_return(MERCHANT_A)
    file_return(MERCHANT_A)

    # A proxy that appends keeps the client's own entries to the left of what it saw.
    rotated = [f"192.0.2.{n}, {MERCHANT_A}" for n in range(1, 4)]
    prepended = [f"{MERCHANT_B}, 192.0.2.9, {MERCHANT_A}", f"unknown, {MERCHANT_A}"]
    assert [file_return(header) for header in rotated + prepended] == [429] * 5


def test_with_no_proxy_configured_the_header_is_ignored(file_return, settings):
    settings.TRUSTED_PROXY_COUNT = 0

    statuses = [
        file_return(forwarded_for, remote_addr=MERCHANT_A)
        for forwarded_for in (MERCHANT_B, "192.0.2.1", "192.0.2.2")
    ]

    assert statuses == [302, 302, 429]
    assert file_return(MERCHANT_A, remote_addr=MERCHANT_B) == 302


def test_two_clients_behind_the_proxy_have_a_support_request_limit_each(client):
    statuses = []
    while 429 not in statuses and len(statuses) < 30:
        statuses.append(send_support_request(client, MERCHANT_A))
    assert statuses[-1] == 429, "the support form never refused the busy client"
    assert set(statuses[:-1]) == {302}

    assert send_support_request(client, f"192.0.2.1, {MERCHANT_A}") == 429
    assert send_support_request(client, MERCHANT_B) == 302


def sign_in(client, username: str, password: str, forwarded_for: str):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_an_outsider_guessing_a_password_cannot_lock_the_agent_out(client):
    AgentFactory(username="sanne")
    outsider = MERCHANT_A
    for _attempt in range(5):
        sign_in(client, "sanne", "wrong", outsider)

    assert sign_in(client, "sanne", PASSWORD, outsider).status_code == 429
    assert sign_in(client, "sanne", PASSWORD, f"192.0.2.1, {outsider}").status_code == 429
    # The agent, signing in from the office through the same proxy, is let in.
    assert sign_in(client, "sanne", PASSWORD, MERCHANT_B).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {outsider}
