"""Conversations in the admin: the thread and the reply form on a request's or a return's page,
and the canned replies support keeps."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from conversations.forms import AgentReplyForm
from conversations.models import CannedReply
from conversations.selectors import message_thread
from conversations.services import MessageRefused, message_from_agent
from returns.services import ReturnTransitionError


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "language", "support_status", "return_status"]
    list_filter = ["language"]
    search_fields = ["title", "body"]
    fields = ["title", "language", "body", ("support_status", "return_status")]


class ConversationAdminMixin:
    """Adds the conversation to a ModelAdmin of support requests or returns: the thread on
    the change page, a reply form, and the view the form posts to."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/reply/",
                self.admin_site.admin_view(self.reply_view),
                name="{}_{}_reply".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        item = self.get_object(request, unquote(object_id))
        if item is not None:
            extra_context = {
                **(extra_context or {}),
                **self._conversation_context(request, item, AgentReplyForm(item=item)),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _conversation_context(self, request: HttpRequest, item, form: AgentReplyForm) -> dict:
        return {
            "thread": message_thread(item=item),
            "reply_form": form if self.has_change_permission(request, item) else None,
            "reply_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_reply", args=[item.pk]
            ),
        }

    def reply_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return _reply_view(request, model_admin=self, object_id=object_id)


@require_POST
def _reply_view(request: HttpRequest, *, model_admin, object_id: str) -> HttpResponse:
    """Send the agent's message (and take the chosen status step), or show the form again
    with what was typed and why it was not sent."""
    item = model_admin.get_object(request, unquote(object_id))
    if item is None:
        raise Http404
    if not model_admin.has_change_permission(request, item):
        raise PermissionDenied
    form = AgentReplyForm(request.POST, item=item)
    if form.is_valid():
        data = form.cleaned_data
        try:
            message_from_agent(
                item=item, author=request.user, body=data["body"], next_status=data["next_status"]
            )
        except (MessageRefused, ReturnTransitionError) as refused:
            form.add_error(None, gettext("Nothing was sent or changed: %(why)s") % {"why": refused})
        else:
            item.refresh_from_db()
            model_admin.log_change(request, item, gettext("Wrote to the merchant."))
            messages.success(
                request,
                gettext("Your message is on its way to the merchant, in %(language)s. ")
                % {"language": _language_name(item.language)}
                + gettext("Status: “%(status)s”.") % {"status": item.get_status_display()},
            )
            return HttpResponseRedirect(_change_url(model_admin, item))
    return TemplateResponse(
        request,
        "admin/conversations/reply.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": gettext("Write to the merchant: %(item)s") % {"item": item},
            "opts": model_admin.opts,
            "original": item,
            "media": model_admin.media,
            "change_url": _change_url(model_admin, item),
            **model_admin._conversation_context(request, item, form),
        },
        status=400,
    )


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def _change_url(model_admin, item) -> str:
    return reverse(
        f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_change", args=[item.pk]
    )
