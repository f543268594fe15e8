"""The return queue in the admin: which returns wait on whom, and finding one by what a
merchant reads out on the phone."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from returns.admin_selectors import OVERDUE_AFTER, WAITING_ON_SUPPORT
from returns.models import OPEN_STATUS_VALUES, Return, rma_number_for

S = Return.Status


def identifier_lookup(*, term: str, code: str) -> Q:
    """Exact or prefix matches on the identifying fields; ``code`` is the normalised term."""
    lookup = (
        Q(serial_number__startswith=code)
        | Q(account_id__startswith=code)
        | Q(ticket_reference__startswith=term)
        | Q(ticket_reference__startswith=term.upper())
        | Q(postcode__startswith=term.upper())
    )
    number = code.removeprefix("RMA")
    if number.isdigit():
        lookup |= Q(rma_number=rma_number_for(int(number)))
    return lookup


def is_overdue(rma: Return, now=None) -> bool:
    now = now or timezone.now()
    return rma.status in WAITING_ON_SUPPORT and rma.status_changed_at < now - OVERDUE_AFTER


class QueueFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [
            ("support", _("Waiting on support")),
            ("overdue", _("Waiting on support for more than 2 days")),
            ("merchant", _("Waiting on the merchant")),
            ("open", _("All open")),
            ("done", _("Finished")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value == "support":
            return queryset.filter(status__in=WAITING_ON_SUPPORT)
        if value == "overdue":
            return queryset.filter(
                status__in=WAITING_ON_SUPPORT,
                status_changed_at__lt=timezone.now() - OVERDUE_AFTER,
            )
        if value == "merchant":
            return queryset.filter(status__in=[S.NEEDS_INFO, S.APPROVED, S.AWAITING_DEVICE])
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUS_VALUES)
        if value == "done":
            return queryset.exclude(status__in=OPEN_STATUS_VALUES)
        return queryset
