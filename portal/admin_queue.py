"""Pieces both support queues (returns, support requests) share in the admin."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from portal.roles import SUPPORT_AGENT


class AssigneeFilter(admin.SimpleListFilter):
    """Filter on the `assignee` field: mine, unassigned, or one colleague."""

    title = _("assignee")
    parameter_name = "assignee"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        colleagues = (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name=SUPPORT_AGENT), is_active=True)
            .filter(is_staff=True)
            .distinct()
            .order_by("username")
        )
        return [
            ("mine", _("Assigned to me")),
            ("none", _("Unassigned")),
            *((str(user.pk), user.get_full_name() or user.get_username()) for user in colleagues),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value == "mine":
            return queryset.filter(assignee=request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assignee_id=int(value))
        return queryset


class _Echo:
    def write(self, value: str) -> str:
        return value


def _spreadsheet_safe(value: object) -> str:
    # A cell starting with = + - @ is run as a formula by spreadsheet programs.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def csv_response(
    *, filename: str, header: list[str], rows: Iterable[Iterable[object]]
) -> StreamingHttpResponse:
    """A CSV download written row by row, so a large selection never sits in memory."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        # A byte-order mark, so Excel reads the accents in names and cities right.
        yield "\ufeff" + writer.writerow([str(title) for title in header])
        for row in rows:
            yield writer.writerow([_spreadsheet_safe(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
