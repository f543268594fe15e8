"""Support's side of returns: the queue, one return's page with its workflow, bulk actions.

Status changes go only through ``returns.services.return_transition``: the admin offers
the steps the workflow allows from the current status, and the service refuses any other.
"""

from __future__ import annotations

import re

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from conversations.admin import ConversationAdminMixin
from returns.admin_forms import ReturnAdminForm, ReturnTransitionForm
from returns.admin_queue import QueueFilter, identifier_lookup, is_overdue
from returns.admin_selectors import (
    return_history,
    return_outbox_messages,
    return_related,
)
from returns.models import (
    Return,
    ReturnNote,
    normalise_serial,
)
from returns.services import (
    ReturnTransitionError,
    ReturnTransitionIncomplete,
    return_note_add,
    return_transition,
)
from staff.queue import (
    AssigneeChoicesMixin,
    AssigneeFilter,
    EstimatedCountPaginator,
    QuickRowsMixin,
    assign_to_me,
    choice_label,
    csv_response,
)

S = Return.Status
IDENTIFIER = re.compile(r"[A-Z0-9]{4,32}")

CSV_COLUMNS = [
    ("rma_number", _("RMA number")),
    ("get_status_display", _("status")),
    ("get_reason_display", _("reason")),
    ("serial_number", _("serial number")),
    ("get_terminal_model_display", _("terminal model")),
    ("account_id", _("account ID")),
    ("ticket_reference", _("support ticket reference")),
    ("company_name", _("company name")),
    ("contact_name", _("contact name")),
    ("email", _("e-mail address")),
    ("phone", _("phone number")),
    ("street", _("street")),
    ("house_number", _("house number")),
    ("postcode", _("postcode")),
    ("city", _("city")),
    ("country", _("country")),
    ("language", _("merchant's language")),
    ("created_at", _("submitted")),
    ("status_changed_at", _("status changed")),
    ("assignee", _("assignee")),
    ("replacement_tracking_code", _("replacement tracking code")),
]


class ReturnNoteInline(admin.TabularInline):
    """Internal notes: added, never rewritten, never shown to the merchant."""

    model = ReturnNote
    extra = 1
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    can_delete = False
    verbose_name_plural = _("internal notes (never shown to the merchant)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReturnNote]:
        return super().get_queryset(request).select_related("author")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Return)
class ReturnAdmin(ConversationAdminMixin, QuickRowsMixin, AssigneeChoicesMixin, admin.ModelAdmin):
    form = ReturnAdminForm
    list_display = [
        "rma_number",
        "status_label",
        "company_name",
        "reason_label",
        "serial_number",
        "account_id",
        "ticket_reference",
        "country_label",
        "age",
        "assignee",
    ]
    list_display_links = ["rma_number"]
    list_filter = [
        QueueFilter,
        "status",
        "reason",
        "country",
        AssigneeFilter,
        "created_at",
    ]
    list_select_related = ["assignee"]
    list_per_page = 50
    # At a hundred thousand returns: no exact count of the whole table on every view, and no
    # date drill-down (it reads every row's date); the "created" filter narrows by date.
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    search_fields = [
        "rma_number",
        "serial_number",
        "account_id",
        "ticket_reference",
        "email",
        "postcode",
        "contact_name",
        "company_name",
    ]
    search_help_text = _(
        "RMA number, serial number, account ID, ticket reference, e-mail, postcode, contact name "
        "or company name."
    )
    actions = [assign_to_me, "approve", "mark_received", "export_csv"]
    inlines = [ReturnNoteInline]
    readonly_fields = [
        "rma_number",
        "status",
        "created_at",
        "status_changed_at",
        "updated_at",
        "replacement_tracking_code",
        "tracking_page",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("rma_number", "status", "assignee"),
                    ("created_at", "status_changed_at", "updated_at"),
                    "tracking_page",
                ]
            },
        ),
        (
            _("Terminal"),
            {
                "fields": [
                    ("serial_number", "terminal_model"),
                    ("reason", "ticket_reference"),
                    "description",
                    "replacement_tracking_code",
                ]
            },
        ),
        (
            _("Merchant"),
            {
                "fields": [
                    ("account_id", "company_name"),
                    ("contact_name", "email", "phone"),
                    "language",
                ]
            },
        ),
        (
            _("Address for the new terminal"),
            {"fields": [("street", "house_number"), ("postcode", "city", "country")]},
        ),
    ]
    change_form_template = "admin/returns/return/change_form.html"

    class Media:
        css = {"all": ["admin-portal/support.css"]}

    # --- the queue ---------------------------------------------------------------

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, rma: Return) -> str:
        return format_html(
            '<span class="rma-status rma-status-{}">{}</span>',
            rma.status,
            choice_label(Return.Status, rma.status),
        )

    @admin.display(description=_("reason"), ordering="reason")
    def reason_label(self, rma: Return) -> str:
        return choice_label(Return.Reason, rma.reason)

    @admin.display(description=_("country"), ordering="country")
    def country_label(self, rma: Return) -> str:
        return choice_label(Return.Country, rma.country)

    @admin.display(description=_("age"), ordering="created_at")
    def age(self, rma: Return) -> str:
        overdue = is_overdue(rma)
        return format_html(
            '<span class="rma-age{}" title="{}">{}</span>',
            " rma-overdue" if overdue else "",
            gettext("Waiting on support for more than 2 days") if overdue else "",
            timesince(rma.created_at, depth=1),
        )

    @admin.display(description=_("merchant's tracking page"))
    def tracking_page(self, rma: Return) -> str:
        if not rma.pk:
            return "—"
        url = reverse("returns:return_track", kwargs={"token": rma.tracking_token})
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            url,
            gettext("Open the tracking page"),
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """Find a return by what the merchant reads out on the phone.

        A code with digits (serial, RMA number, account ID, ticket, postcode) is looked
        up exactly or by its start, each through a B-tree index, so it stays instant with
        any number of returns; serials are compared without spaces or dashes, as stored.
        Anything else, or a code found that way in no return, gets Django's search for
        the words anywhere in the searched fields (served by trigram indexes on PostgreSQL).
        """
        term = search_term.strip()
        code = normalise_serial(term)
        if IDENTIFIER.fullmatch(code) and any(c.isdigit() for c in code) and "@" not in term:
            found = queryset.filter(identifier_lookup(term=term, code=code))
            if found.exists():
                return found, False
        return super().get_search_results(request, queryset, search_term)

    # --- permissions ---------------------------------------------------------------

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Returns are filed through the merchant's form, which numbers and announces them.
        return False

    # --- one return ----------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="returns_return_transition",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        rma = self.get_object(request, unquote(object_id))
        if rma is not None:
            can_change = self.has_change_permission(request, rma)
            extra_context = {
                **(extra_context or {}),
                "transition_forms": (
                    ReturnTransitionForm.for_each_next_step(rma=rma) if can_change else []
                ),
                "history": return_history(rma=rma),
                "outbox_messages": return_outbox_messages(rma=rma),
                "related_returns": return_related(rma=rma),
                "overdue": is_overdue(rma),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not ReturnNote:
            return super().save_formset(request, form, formset, change)
        for note in formset.save(commit=False):
            return_note_add(rma=form.instance, author=request.user, text=note.text)

    def transition_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return _transition_view(request, model_admin=self, object_id=object_id)

    # --- bulk actions -------------------------------------------------------------

    @admin.action(description=_("Approve (e-mails each merchant)"), permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Return]) -> None:
        self._bulk_transition(request, queryset, steps=[S.APPROVED])

    @admin.action(
        description=_("Mark terminal received (e-mails each merchant)"), permissions=["change"]
    )
    def mark_received(self, request: HttpRequest, queryset: QuerySet[Return]) -> None:
        # A parcel can arrive before anyone marked the return as waiting for it: both
        # steps are taken and recorded, each one a step the workflow allows.
        self._bulk_transition(request, queryset, steps=[S.AWAITING_DEVICE, S.RECEIVED])

    def _bulk_transition(
        self, request: HttpRequest, queryset: QuerySet[Return], *, steps: list[str]
    ) -> None:
        target = steps[-1]
        moved, refused = [], []
        for rma in queryset.order_by("created_at"):
            started_as = rma.status
            try:
                for step in steps:
                    if step in rma.allowed_transitions():
                        return_transition(rma=rma, to_status=step, by_user=request.user)
            except ReturnTransitionError:
                pass
            if rma.status == target and started_as != target:
                moved.append(rma.rma_number)
                self.log_change(request, rma, _status_log_message(rma))
            else:
                refused.append(f"{rma.rma_number} ({rma.get_status_display()})")
        label = Return.Status(target).label
        if moved:
            self.message_user(
                request,
                ngettext(
                    "%(count)d return is now “%(status)s”: %(numbers)s.",
                    "%(count)d returns are now “%(status)s”: %(numbers)s.",
                    len(moved),
                )
                % {"count": len(moved), "status": label, "numbers": ", ".join(moved)},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d return could not become “%(status)s” from its status and "
                    "was left as it was: %(numbers)s.",
                    "%(count)d returns could not become “%(status)s” from their status and "
                    "were left as they were: %(numbers)s.",
                    len(refused),
                )
                % {"count": len(refused), "status": label, "numbers": ", ".join(refused)},
                messages.WARNING,
            )

    @admin.action(description=_("Export the selection as CSV"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Return]) -> HttpResponse:
        rows = (
            [
                getattr(rma, name)() if name.startswith("get_") else getattr(rma, name)
                for name, _title in CSV_COLUMNS
            ]
            for rma in queryset.select_related("assignee").order_by("created_at").iterator(2000)
        )
        filename = f"returns-{timezone.localdate():%Y-%m-%d}.csv"
        return csv_response(
            filename=filename, header=[title for _name, title in CSV_COLUMNS], rows=rows
        )


@require_http_methods(["GET", "POST"])
def _transition_view(request: HttpRequest, *, model_admin: ReturnAdmin, object_id: str):
    """GET: the step's form on a page of its own; POST: take the step."""
    rma = model_admin.get_object(request, unquote(object_id))
    if rma is None:
        raise Http404(gettext("This return does not exist."))
    if not model_admin.has_change_permission(request, rma):
        raise PermissionDenied
    change_url = reverse("admin:returns_return_change", args=[rma.pk])
    if request.method == "POST":
        form = ReturnTransitionForm(request.POST, rma=rma)
    else:
        form = ReturnTransitionForm(rma=rma, to_status=request.GET.get("to", ""))
        if not form.is_allowed:
            messages.error(request, _not_allowed_message(rma, form.step))
            return HttpResponseRedirect(change_url)
    if request.method == "POST":
        if not form.is_valid() and "to_status" in form.errors:
            messages.error(request, _not_allowed_message(rma, form.step))
            return HttpResponseRedirect(change_url)
        if form.is_valid():
            try:
                return_transition(
                    rma=rma,
                    to_status=form.cleaned_data["to_status"],
                    by_user=request.user,
                    note=form.cleaned_data["note"],
                    reason=form.cleaned_data["reason"],
                    tracking_code=form.cleaned_data["tracking_code"],
                )
            except ReturnTransitionIncomplete as error:
                form.add_error(None, str(error))
            except ReturnTransitionError as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(change_url)
            else:
                model_admin.log_change(request, rma, _status_log_message(rma))
                messages.success(request, _done_message(rma, emailed=form.emails_merchant))
                return HttpResponseRedirect(change_url)
    return TemplateResponse(
        request,
        "admin/returns/return/transition.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": f"{form.action}: {rma.rma_number}",
            "opts": model_admin.model._meta,
            "original": rma,
            "form": form,
            "change_url": change_url,
            "media": model_admin.media,
        },
        status=400 if form.is_bound else 200,
    )


def _not_allowed_message(rma: Return, to_status: str) -> str:
    target = Return.Status(to_status).label if to_status in Return.Status.values else to_status
    return gettext(
        "%(rma)s is “%(status)s” and cannot become “%(target)s”; nothing was changed."
    ) % {"rma": rma.rma_number, "status": rma.get_status_display(), "target": target}


def _done_message(rma: Return, *, emailed: bool) -> str:
    if emailed:
        return gettext(
            "%(rma)s is now “%(status)s”. The merchant gets an e-mail in %(language)s."
        ) % {
            "rma": rma.rma_number,
            "status": rma.get_status_display(),
            "language": rma.get_language_display(),
        }
    return gettext("%(rma)s is now “%(status)s”.") % {
        "rma": rma.rma_number,
        "status": rma.get_status_display(),
    }


def _status_log_message(rma: Return) -> str:
    return gettext("Status changed to “%(status)s”.") % {"status": rma.get_status_display()}
