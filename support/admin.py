"""Support requests in the admin: the agents' queue, with the merchant's photos and guide path."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from conversations.admin import ConversationAdminMixin
from staff.queue import (
    AssigneeChoicesMixin,
    AssigneeFilter,
    QuickRowsMixin,
    assign_to_me,
    status_action,
)
from support.models import SupportAttachment, SupportRequest


class SupportAttachmentInline(admin.TabularInline):
    model = SupportAttachment
    extra = 0
    fields = ["preview", "download", "kind", "content_type", "size"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("file"))
    def download(self, attachment: SupportAttachment):
        url = reverse("support:support_attachment", args=[attachment.pk])
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)

    @admin.display(description=_("preview"))
    def preview(self, attachment: SupportAttachment):
        if not attachment.thumbnail:
            return "—"
        url = reverse("support:support_attachment", args=[attachment.pk])
        thumbnail = reverse("support:support_attachment_thumbnail", args=[attachment.pk])
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" class="attachment-thumbnail" loading="lazy"></a>',
            url,
            thumbnail,
            attachment.original_name,
        )


@admin.register(SupportRequest)
class SupportRequestAdmin(
    ConversationAdminMixin, QuickRowsMixin, AssigneeChoicesMixin, admin.ModelAdmin
):
    list_display = [
        "reference",
        "queued_at",
        "created_at",
        "status",
        "assignee",
        "contact_name",
        "account_id",
        "serial_number",
        "guide",
        "path_summary",
    ]
    list_editable = ["status", "assignee"]
    list_filter = ["status", AssigneeFilter, "language", "guide_run__guide_slug"]
    list_select_related = ["assignee", "guide_run"]
    actions = [
        assign_to_me,
        *(status_action(status) for status in SupportRequest.Status),
    ]
    search_fields = ["account_id", "serial_number", "contact_name", "email", "description"]
    date_hierarchy = "created_at"
    # A merchant's reply puts the request back at the top.
    ordering = ["-queued_at"]
    inlines = [SupportAttachmentInline]
    readonly_fields = [
        "reference",
        "created_at",
        "account_id",
        "serial_number",
        "contact_name",
        "email",
        "phone",
        "language",
        "description",
        "path",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("reference", "created_at"),
                    ("status", "assignee"),
                    ("account_id", "serial_number"),
                    ("contact_name", "email", "phone", "language"),
                    "description",
                    "path",
                ]
            },
        ),
        (_("Internal notes (never shown to the merchant)"), {"fields": ["notes"]}),
    ]

    class Media:
        css = {"all": ["admin-portal/support.css"]}

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("reference"))
    def reference(self, request: SupportRequest) -> str:
        return request.reference

    @admin.display(description=_("guide"), ordering="guide_run__guide_slug")
    def guide(self, request: SupportRequest) -> str:
        if request.guide_run is None:
            return "—"
        return request.guide_run.guide_slug

    @admin.display(description=_("answers"))
    def path_summary(self, request: SupportRequest) -> str:
        if request.guide_run is None:
            return "—"
        return " · ".join(f"{e['title']} → {e['answer']}" for e in request.guide_run.path)

    @admin.display(description=_("guide path"))
    def path(self, request: SupportRequest):
        return format_html('<pre class="guide-path">{}</pre>', request.guide_path_text or "—")
