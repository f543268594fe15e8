"""The admin home, composed from each app's summary of what waits on support."""

from __future__ import annotations

from outbox.selectors import outbox_failed_summary
from returns.admin_selectors import return_queue_summary
from support.selectors import support_request_queue_summary


def support_summary(*, user) -> dict[str, object]:
    """What the admin home shows this user; each part only with the permission to see it."""
    summary: dict[str, object] = {}
    if user.has_perm("returns.view_return"):
        summary |= return_queue_summary()
    if user.has_perm("support.view_supportrequest"):
        summary |= support_request_queue_summary(user=user)
    if user.has_perm("outbox.view_outboxmessage"):
        summary |= outbox_failed_summary()
    return summary
