"""The report support acts on: one admin page, for a chosen period and the one before it."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from reports.forms import ReportPeriodForm
from reports.models import Report
from reports.search_counts import search_counts_flush
from reports.selectors import report_figures


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """No rows to list: the model's one page is the report."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        return [
            path(
                "",
                self.admin_site.admin_view(self.report_view),
                name="reports_report_changelist",
            )
        ]

    def report_view(self, request: HttpRequest) -> HttpResponse:
        # admin_view only checks for staff; the report needs its own permission.
        if not self.has_view_permission(request):
            raise PermissionDenied
        # The admin's addresses carry no language, so Django shows them in English; the
        # report, dates included, is read in the language the admin's browser asks for.
        with translation.override(translation.get_language_from_request(request)):
            return self._report(request).render()

    def _report(self, request: HttpRequest) -> TemplateResponse:
        bound = "start" in request.GET or "end" in request.GET
        form = ReportPeriodForm(request.GET if bound else None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Report"),
            "opts": self.model._meta,
            "form": form,
        }
        if bound and not form.is_valid():
            return TemplateResponse(request, "reports/report.html", context, status=400)
        period = form.period() if bound else ReportPeriodForm.default_period()
        if not bound:
            form = ReportPeriodForm(initial={"start": period.start, "end": period.end})
        search_counts_flush()
        current = report_figures(period=period)
        previous = report_figures(period=period.previous())
        keys = sorted(current.guides.keys() | previous.guides.keys())
        context |= {
            "form": form,
            "current": current,
            "previous": previous,
            "guide_rows": [
                (current.guides.get(key), previous.guides.get(key), key) for key in keys
            ],
        }
        return TemplateResponse(request, "reports/report.html", context)
