"""Reads of the outbox for staff pages."""

from __future__ import annotations

from outbox.models import OutboxMessage


def outbox_failed_summary() -> dict[str, object]:
    """For the admin home: how many e-mails failed for good, and the latest of them."""
    failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED)
    return {
        "failed_mail_count": failed.count(),
        "failed_mail": list(
            failed.order_by("-updated_at").only(
                "pk", "to", "subject", "reference", "updated_at", "last_error"
            )[:5]
        ),
    }
