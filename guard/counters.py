"""Anonymous counters (votes, missed searches, guide runs) that one client cannot inflate."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from guard.client import ratelimit_key


def count_allowed(request: HttpRequest, *, counter: str) -> bool:
    """Whether this client's action may still be counted; the page works the same either way.

    A cookie is no identity (dropping it makes a new visitor), so the limit is per client
    address: ``COUNTER_RATE_LIMIT`` actions of each kind an hour.
    """
    return not is_ratelimited(
        request,
        group=f"counter:{counter}",
        key=ratelimit_key,
        rate=settings.COUNTER_RATE_LIMIT,
        increment=True,
    )
