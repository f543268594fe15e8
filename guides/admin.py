"""Editing guides and reading how merchants got on with them (runs and the report)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from guides.models import Guide, GuideChoice, GuideRun, GuideStep
from guides.selectors import (
    guide_problems_for,
    guide_report,
    guide_run_path_text,
)
from pagecache.version import content_changed


def _problems_html(problems: list[str]):
    if not problems:
        return format_html("<p>{}</p>", _("No problems: this guide can be published."))
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p,) for p in problems)))


def _refuse_broken_publication(request: HttpRequest, guide: Guide) -> None:
    """Checked after the steps are saved, since the graph is only complete then."""
    problems = guide_problems_for(guide=guide, fresh=True)
    if problems and guide.is_published:
        Guide.objects.filter(pk=guide.pk).update(is_published=False)
        content_changed()
        messages.error(
            request,
            _("The guide was saved but not published, because: %(problems)s")
            % {"problems": " ".join(problems)},
        )


class GuideStepInline(admin.StackedInline):
    model = GuideStep
    extra = 0
    fields = [("position", "key", "kind"), "title", "body", ("article_slug", "return_reason")]
    show_change_link = True


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "language", "is_published", "problem_count", "updated_at"]
    list_filter = ["language", "is_published"]
    search_fields = ["title", "slug", "keywords"]
    readonly_fields = ["problems"]
    fields = [
        ("slug", "language"),
        "title",
        "summary",
        "keywords",
        ("position", "is_published"),
        "problems",
    ]
    inlines = [GuideStepInline]

    @admin.display(description=_("problems"))
    def problem_count(self, guide: Guide) -> int:
        return len(guide_problems_for(guide=guide))

    @admin.display(description=_("problems that keep it from being published"))
    def problems(self, guide: Guide):
        if guide.pk is None:
            return _("Save the guide first.")
        return format_html(
            "{}<p>{}</p>",
            _problems_html(guide_problems_for(guide=guide, fresh=True)),
            _("Edit a step's answers with the link beside the step."),
        )

    def save_model(self, request, obj, form, change) -> None:
        # Keeps the loader from overwriting the edit with the bundled file.
        obj.edited_in_admin = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        _refuse_broken_publication(request, form.instance)


class GuideChoiceInline(admin.TabularInline):
    model = GuideChoice
    fk_name = "step"
    extra = 1
    fields = ["position", "label", "next_step"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "next_step":
            guide_id = getattr(request, "_guide_step_guide_id", None)
            kwargs["queryset"] = GuideStep.objects.filter(guide_id=guide_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(GuideStep)
class GuideStepAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "kind", "guide"]
    list_filter = ["guide__language", "kind"]
    search_fields = ["key", "title", "guide__slug"]
    list_select_related = ["guide"]
    inlines = [GuideChoiceInline]
    fields = [
        "guide",
        ("position", "key", "kind"),
        "title",
        "body",
        ("article_slug", "return_reason"),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The answers' "leads to" may only offer steps of the same guide.
        request._guide_step_guide_id = obj.guide_id if obj else None
        return super().get_form(request, obj, change=change, **kwargs)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        guide = form.instance.guide
        guide.edited_in_admin = True
        guide.save()  # A new updated_at shows the change on the site at once.
        _refuse_broken_publication(request, guide)


@admin.register(GuideRun)
class GuideRunAdmin(admin.ModelAdmin):
    list_display = ["guide_slug", "language", "outcome", "current_step_key", "started_at"]
    list_filter = ["outcome", "language", "guide_slug"]
    readonly_fields = [
        "guide",
        "guide_slug",
        "language",
        "outcome",
        "outcome_kind",
        "current_step_key",
        "started_at",
        "updated_at",
        "finished_at",
        "path_text",
    ]
    exclude = ["path"]
    change_list_template = "guides/guide_run_change_list.html"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("path"))
    def path_text(self, run: GuideRun):
        return format_html('<pre class="guide-path">{}</pre>', guide_run_path_text(run=run))

    def get_urls(self):
        return [
            path(
                "report/",
                self.admin_site.admin_view(self.report_view),
                name="guides_guiderun_report",
            ),
            *super().get_urls(),
        ]

    def report_view(self, request: HttpRequest) -> HttpResponse:
        # admin_view only checks for staff; the report is for those who may read the runs.
        if not self.has_view_permission(request):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "guides/guide_report.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Guide report"),
                "rows": guide_report(),
                "opts": self.model._meta,
            },
        )
