"""Pieces both support queues (returns, support requests) share in the admin."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connection, models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from staff.roles import SUPPORT_AGENT

# Below this many rows an exact count is cheap and exact numbers are nicer.
ESTIMATE_ABOVE = 10_000


def support_staff() -> QuerySet:
    """The people a return or support request can be assigned to."""
    return (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=SUPPORT_AGENT), is_active=True)
        .filter(is_staff=True)
        .distinct()
        .order_by("username")
    )


class QuickRowsMixin:
    """A long queue's rows made quickly: the cells by staff.rows, worked out once per column
    (two fifths of the page's time before), and the row checkbox written directly (rendered
    through the form widget templates it took a fifth)."""

    change_list_template = "admin/queue_change_list.html"

    def action_checkbox(self, obj) -> str:
        # The same element Django's widget renders, so the admin's action script finds it.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )


def choice_label(choices: type[models.Choices], value: str) -> str:
    """A stored choice's label in the active language, or the value itself if it is no longer
    a choice. Django's own display of a field with choices hashes every choice's translated
    label for each cell: in a queue of 50 rows that was a tenth of the page's time."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class AssigneeChoicesMixin:
    """Offers support staff only as assignees, fetched once per request.

    With ``list_editable`` every row of the list has an assignee menu: without the
    shared choices each would query the users again.
    """

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name != "assignee":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        kwargs["queryset"] = support_staff()
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if not hasattr(request, "_assignee_choices"):
            request._assignee_choices = list(field.choices)
        field.choices = request._assignee_choices
        return field


class AssigneeFilter(admin.SimpleListFilter):
    """Filter on the `assignee` field: mine, unassigned, or one colleague."""

    title = _("assignee")
    parameter_name = "assignee"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        colleagues = support_staff()
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


@admin.action(description=_("Assign to me"), permissions=["change"])
def assign_to_me(model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    count = queryset.update(assignee=request.user)
    model_admin.message_user(
        request,
        ngettext(
            "%(count)d %(name)s is now assigned to you.",
            "%(count)d %(name)s are now assigned to you.",
            count,
        )
        % {
            "count": count,
            "name": queryset.model._meta.verbose_name
            if count == 1
            else queryset.model._meta.verbose_name_plural,
        },
        messages.SUCCESS,
    )


def status_action(status):
    """A bulk action setting a plain status field (not for returns: they have a workflow)."""

    @admin.action(
        description=format_lazy(_("Mark as “{status}”"), status=status.label),
        permissions=["change"],
    )
    def action(model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(status=status.value)
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d marked as “%(status)s”.", "%(count)d marked as “%(status)s”.", count
            )
            % {"count": count, "status": status.label},
            messages.SUCCESS,
        )

    action.__name__ = f"mark_{status.value}"
    return action


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


class EstimatedCountPaginator(Paginator):
    """Counts a whole table from PostgreSQL's statistics instead of reading every row.

    The unfiltered queue over a hundred thousand returns is the page support opens most;
    "about 100,000" pages is as useful as the exact number there. Filtered lists (a status,
    a search) are counted exactly, through their indexes.
    """

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > ESTIMATE_ABOVE:
                return int(row[0])
        return super().count
