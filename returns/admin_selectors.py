"""Reads for support's pages in the admin: a return's history, its mail, its relatives."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from outbox.models import OutboxMessage
from returns.models import OPEN_STATUS_VALUES, Return, ReturnStatusChange

# The statuses in which the next move is support's, not the merchant's.
WAITING_ON_SUPPORT = (Return.Status.SUBMITTED, Return.Status.RECEIVED)
# Waiting on support longer than this is highlighted in the queue and on the admin home.
OVERDUE_AFTER = timedelta(days=2)


def return_history(*, rma: Return) -> QuerySet[ReturnStatusChange]:
    return rma.status_changes.select_related("changed_by")


def return_outbox_messages(*, rma: Return) -> QuerySet[OutboxMessage]:
    # Every message about a return carries its RMA number as the reference.
    return OutboxMessage.objects.filter(reference=rma.rma_number).only(
        "pk", "to", "subject", "status", "language", "created_at", "sent_at", "last_error"
    )


def return_related(*, rma: Return, limit: int = 20) -> QuerySet[Return]:
    """Other returns for the same terminal or the same merchant account, newest first."""
    return (
        Return.objects.filter(Q(serial_number=rma.serial_number) | Q(account_id=rma.account_id))
        .exclude(pk=rma.pk)
        .only("pk", "rma_number", "status", "serial_number", "account_id", "reason", "created_at")
        .order_by("-created_at")[:limit]
    )


def return_oldest_waiting(*, limit: int = 8) -> QuerySet[Return]:
    """The returns that have waited longest for support's next move."""
    return (
        Return.objects.filter(status__in=WAITING_ON_SUPPORT)
        .select_related("assignee")
        .only(
            "pk",
            "rma_number",
            "status",
            "status_changed_at",
            "serial_number",
            "assignee__username",
            "assignee__first_name",
            "assignee__last_name",
        )  # fmt: skip
        .order_by("status_changed_at")[:limit]
    )


def return_queue_summary() -> dict[str, object]:
    """For the admin home: open returns per status and the ones waiting longest."""
    counts = dict(
        Return.objects.filter(status__in=OPEN_STATUS_VALUES)
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {
        "open_returns": [
            (Return.Status(value), counts.get(value, 0)) for value in OPEN_STATUS_VALUES
        ],
        "open_returns_total": sum(counts.values()),
        "oldest_waiting": list(return_oldest_waiting()),
        "overdue_before": timezone.now() - OVERDUE_AFTER,
    }
