"""Which address is the client's, with and without proxies in front."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from guard.client import client_ip, ratelimit_key
from tests.guard.conftest import MERCHANT_A, MERCHANT_B, PROXY
from tests.portal.test_settings import run_with_env


def request_from(remote_addr: str, forwarded_for: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


def test_without_proxies_the_connection_is_the_client_whatever_the_header_says(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request_from(MERCHANT_A)) == MERCHANT_A
    assert client_ip(request_from(MERCHANT_A, MERCHANT_B)) == MERCHANT_A
    assert client_ip(request_from(MERCHANT_A, f"{MERCHANT_B}, 192.0.2.1")) == MERCHANT_A


def test_behind_one_proxy_the_client_is_the_address_the_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from(PROXY, MERCHANT_A)) == MERCHANT_A
    # The proxy appends what it saw; whatever the client wrote stays on the left, unread.
    assert client_ip(request_from(PROXY, f"{MERCHANT_B}, {MERCHANT_A}")) == MERCHANT_A
    assert client_ip(request_from(PROXY, f"not-an-address, 192.0.2.1, {MERCHANT_A}")) == MERCHANT_A


def test_behind_two_proxies_the_client_is_what_the_outer_one_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    outer_proxy = "172.16.0.9"
    assert client_ip(request_from(PROXY, f"{MERCHANT_A}, {outer_proxy}")) == MERCHANT_A
    assert client_ip(request_from(PROXY, f"{MERCHANT_B}, {MERCHANT_A}, {outer_proxy}")) == (
        MERCHANT_A
    )


def test_a_request_the_proxies_did_not_vouch_for_counts_under_its_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from(PROXY)) == PROXY
    assert client_ip(request_from(PROXY, MERCHANT_A)) == PROXY

    # An unclosed quote swallows what the proxy appended: the whole line is unreadable.
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(PROXY, f'", {MERCHANT_A}')) == PROXY


def test_addresses_are_read_in_their_plain_form(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from(PROXY, "[2001:db8::7]:4711")) == "2001:db8::7"
    assert client_ip(request_from(PROXY, f"::ffff:{MERCHANT_A}")) == MERCHANT_A


def test_rate_limits_count_an_ipv6_client_by_its_64_block(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert ratelimit_key("returns:create", request_from(PROXY, MERCHANT_A)) == MERCHANT_A
    one = ratelimit_key("returns:create", request_from(PROXY, "2001:db8:1:2::1"))
    same_block = ratelimit_key("returns:create", request_from(PROXY, "2001:db8:1:2:ffff::9"))
    next_block = ratelimit_key("returns:create", request_from(PROXY, "2001:db8:1:3::1"))
    assert one == same_block == "2001:db8:1:2::"
    assert next_block != one


@pytest.mark.parametrize("value", ["one", "-1", "²"])
def test_a_proxy_count_that_is_not_a_whole_number_is_refused_at_start(value):
    result = run_with_env("check", TRUSTED_PROXY_COUNT=value)

    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be a whole number of proxies" in result.stderr


@pytest.mark.parametrize("header", ["HTTP_X_REAL_IP", "HTTP_CLIENT_IP", "HTTP_FORWARDED_FOR"])
def test_behind_a_proxy_only_x_forwarded_for_is_read_never_other_address_headers(settings, header):
    # The proxy writes X-Forwarded-For; any other header is whatever the client wrote.
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, **{header: MERCHANT_B})

    assert client_ip(request) == PROXY


def test_a_request_without_any_address_has_none_rather_than_a_made_up_one(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) == ""
