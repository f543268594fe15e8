"""Reads of returns for the merchant-facing pages."""

from __future__ import annotations

import uuid

from django.db.models import Prefetch

from returns.models import Return, ReturnStatusChange


def return_get_for_tracking(*, token: str) -> Return | None:
    """The return behind a tracking link, with its public history, in two queries."""
    history = ReturnStatusChange.objects.only(
        "rma_id", "from_status", "to_status", "changed_at", "note", "reason", "tracking_code"
    )
    return (
        Return.objects.filter(tracking_token=token)
        .prefetch_related(Prefetch("status_changes", queryset=history))
        .first()
    )


def return_get_by_idempotency_key(*, key: uuid.UUID | None) -> Return | None:
    if key is None:
        return None
    return Return.objects.filter(idempotency_key=key).only("tracking_token").first()
