"""Reads for the admin home: what is waiting, across returns, support requests and mail."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from outbox.models import OutboxMessage
from returns.admin_selectors import OVERDUE_AFTER, return_oldest_waiting
from returns.models import OPEN_STATUS_VALUES, Return
from troubleshooting.guide_models import SupportRequest


def support_summary(*, user) -> dict[str, object]:
    """What the admin home shows this user; each part only with the permission to see it."""
    summary: dict[str, object] = {}
    if user.has_perm("returns.view_return"):
        counts = dict(
            Return.objects.filter(status__in=OPEN_STATUS_VALUES)
            .values_list("status")
            .annotate(count=Count("pk"))
            .order_by()
        )
        summary["open_returns"] = [
            (Return.Status(value), counts.get(value, 0)) for value in OPEN_STATUS_VALUES
        ]
        summary["open_returns_total"] = sum(counts.values())
        summary["oldest_waiting"] = list(return_oldest_waiting())
        summary["overdue_before"] = timezone.now() - OVERDUE_AFTER
    if user.has_perm("troubleshooting.view_supportrequest"):
        open_requests = SupportRequest.objects.filter(status=SupportRequest.Status.OPEN)
        summary["support_requests"] = open_requests.aggregate(
            open=Count("pk"),
            unassigned=Count("pk", filter=Q(assignee__isnull=True)),
            mine=Count("pk", filter=Q(assignee=user)),
        )
        summary["oldest_requests"] = list(
            open_requests.order_by("created_at").only(
                "pk", "created_at", "contact_name", "account_id"
            )[:5]
        )
    if user.has_perm("outbox.view_outboxmessage"):
        failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED)
        summary["failed_mail_count"] = failed.count()
        summary["failed_mail"] = list(
            failed.order_by("-updated_at").only(
                "pk", "to", "subject", "reference", "updated_at", "last_error"
            )[:5]
        )
    return summary
