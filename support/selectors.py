"""Reads of support requests for staff pages."""

from __future__ import annotations

from django.db.models import Count, Q

from support.models import WAITING_ON_SUPPORT, SupportRequest


def support_request_queue_summary(*, user) -> dict[str, object]:
    """For the admin home: open requests (all, unassigned, this user's) and the oldest ones."""
    open_requests = SupportRequest.objects.filter(status__in=WAITING_ON_SUPPORT)
    return {
        "support_requests": open_requests.aggregate(
            open=Count("pk"),
            unassigned=Count("pk", filter=Q(assignee__isnull=True)),
            mine=Count("pk", filter=Q(assignee=user)),
        ),
        "oldest_requests": list(
            open_requests.order_by("created_at").only(
                "pk", "created_at", "contact_name", "account_id"
            )[:5]
        ),
    }
