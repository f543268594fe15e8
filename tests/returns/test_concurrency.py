"""Acceptance: many merchants filing at the same moment each get their own return."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from outbox.models import OutboxMessage
from returns.models import Return

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SUBMISSIONS = 50


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def submit(base_url: str, number: int, barrier: threading.Barrier) -> int:
    """One merchant's browser: load the form, wait for the others, then send it."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
    )
    page = opener.open(f"{base_url}/returns/new/", timeout=60).read().decode()
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    data = hidden | {
        "account_id": f"{20_000_000 + number}",
        "serial_number": f"CONC-{number:04d}",
        "ticket_reference": "172349",
        "reason": "battery",
        "contact_name": f"Merchant {number}",
        "company_name": "Shop",
        "email": f"shop{number}@example.nl",
        "street": "Markt",
        "house_number": str(number + 1),
        "postcode": "3511 AA",
        "city": "Utrecht",
        "country": "NL",
    }
    barrier.wait(timeout=60)
    request = urllib.request.Request(
        f"{base_url}/returns/new/",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Referer": f"{base_url}/returns/new/"},
    )
    try:
        return opener.open(request, timeout=60).status
    except urllib.error.HTTPError as response:
        return response.code


def test_fifty_simultaneous_returns_get_fifty_distinct_rma_numbers(portal_server):
    barrier = threading.Barrier(SUBMISSIONS)

    with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
        statuses = list(pool.map(lambda n: submit(portal_server, n, barrier), range(SUBMISSIONS)))

    assert statuses == [302] * SUBMISSIONS
    numbers = list(Return.objects.values_list("rma_number", flat=True))
    assert len(numbers) == SUBMISSIONS
    assert len(set(numbers)) == SUBMISSIONS
    assert all(number and number.startswith("RMA-") for number in numbers)
    assert OutboxMessage.objects.count() == 2 * SUBMISSIONS


def test_the_same_form_sent_many_times_at_once_makes_one_return(portal_server):
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
    )
    page = opener.open(f"{portal_server}/returns/new/", timeout=60).read().decode()
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    body = urllib.parse.urlencode(
        hidden
        | {
            "account_id": "30000000",
            "serial_number": "DOUBLECLICK1",
            "ticket_reference": "172349",
            "reason": "printer",
            "contact_name": "Impatient",
            "company_name": "Shop",
            "email": "click@example.be",
            "street": "Rue Neuve",
            "house_number": "1 bte 2",
            "postcode": "1000",
            "city": "Bruxelles",
            "country": "BE",
        }
    ).encode()
    barrier = threading.Barrier(8)

    def send(_: int) -> str:
        barrier.wait(timeout=60)
        request = urllib.request.Request(f"{portal_server}/returns/new/", data=body)
        try:
            opener.open(request, timeout=60)
        except urllib.error.HTTPError as response:
            return f"{response.code} {response.headers.get('Location', '')}"
        return "not redirected"

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = set(pool.map(send, range(8)))

    rma = Return.objects.get()
    assert answers == {f"302 /returns/submitted/{rma.tracking_token}/"}
    assert OutboxMessage.objects.count() == 2
