"""Reads of returns for the merchant-facing pages."""

from __future__ import annotations

import uuid

from django.db.models import Prefetch, QuerySet

from outbox.models import OutboxMessage
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


def return_outbox_messages(*, rma: Return) -> QuerySet[OutboxMessage]:
    """Every e-mail sent about this return, newest first (they carry its RMA number)."""
    return OutboxMessage.objects.filter(reference=rma.rma_number).order_by("-created_at")
