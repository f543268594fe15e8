"""The support request form, its confirmation, and the attachments support staff open."""

from __future__ import annotations

from functools import partial

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from conversations.forms import MerchantReplyForm
from conversations.views import (
    REPLY_GUARD,
    conversation_context,
    merchant_attachment,
    merchant_reply,
    private_page,
)
from guard.forms import FormGuard
from guides.models import GuideRun
from guides.selectors import guide_run_get, guide_run_path_text
from suggestions.models import SuggestionVisit
from suggestions.panel import SuggestionPanel, suggestion_panel
from support import services
from support.attachments import staff_attachment_view
from support.forms import SupportRequestForm
from support.models import SupportAttachment, SupportRequest

SUPPORT_FORM_GUARD = FormGuard(
    scope="support:create",
    rate_setting="SUPPORT_RATE_LIMIT",
    limited_notice=gettext_lazy(
        "Many requests were sent from your connection in a short time, so we paused new ones. "
        "Please try again in an hour, or e-mail POS support."
    ),
)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@SUPPORT_FORM_GUARD
@require_http_methods(["GET", "POST"])
def support_request_create(request: HtmxHttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    run = guide_run_get(token=source.get("run", ""))
    suggestions = suggestion_panel(request, form=SuggestionVisit.Form.SUPPORT, offers_files=True)
    if request.method == "GET":
        initial = {"run": run.token if run else ""} | SupportRequestForm.guard_initial()
        form = SupportRequestForm(initial=initial, has_guide_path=run is not None)
        return _render_form(request, form, run, suggestions)

    form = SupportRequestForm(request.POST, request.FILES, has_guide_path=run is not None)
    # Without JavaScript, a valid request first gets the "Did one of these solve it?" step.
    if (
        not form.honeypot_filled
        and form.is_valid()
        and suggestions.step_needed(
            text=form.cleaned_data["description"], has_files=bool(request.FILES)
        )
    ):
        return _render_form(request, form, run, suggestions)
    refusal = SUPPORT_FORM_GUARD.refusal(request, form)
    if refusal is not None:
        return _render_form(
            request, form, run, suggestions, status=refusal.status, notice=refusal.notice
        )
    if not form.is_valid():
        return _render_form(request, form, run, suggestions, status=400)
    data = form.cleaned_data
    support_request = services.support_request_create(
        account_id=data["account_id"],
        serial_number=data["serial_number"],
        description=data["description"],
        contact_name=data["contact_name"],
        email=data["email"],
        phone=data["phone"],
        language=get_language(),
        guide_run=run,
        attachments=data["files"],
        submission_key=data["idempotency_key"],
    )
    suggestions.record_sent(support_request=support_request)
    return redirect("support:support_request_sent", token=support_request.public_token)


def _render_form(
    request: HttpRequest,
    form: SupportRequestForm,
    run: GuideRun | None,
    suggestions: SuggestionPanel,
    *,
    status: int = 200,
    notice: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "suggestions": suggestions,
        "run": run,
        "path_text": guide_run_path_text(run=run),
        "notice": notice,
    }
    return render(request, "support/support_request_form.html", context, status=status)


@private_page
@require_GET
def support_request_sent(request: HtmxHttpRequest, token: str) -> HttpResponse:
    support_request = get_object_or_404(SupportRequest, public_token=token)
    return render(
        request,
        "support/support_request_sent.html",
        {"support_request": support_request, "track_url": _track_path(support_request)},
    )


def _track_path(support_request: SupportRequest) -> str:
    return reverse("support:support_request_track", kwargs={"token": support_request.public_token})


def _render_track(
    request: HttpRequest,
    support_request: SupportRequest,
    *,
    reply_form: MerchantReplyForm | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "support_request": support_request,
        "reply_url": reverse(
            "support:support_request_reply", kwargs={"token": support_request.public_token}
        ),
        "file_url": "support:support_request_file",
        "token": support_request.public_token,
        **conversation_context(item=support_request, reply_form=reply_form, notice=notice),
    }
    return render(request, "support/support_request_track.html", context, status=status)


@private_page
@require_GET
def support_request_track(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The merchant's page for one request: its status, the conversation and a reply box."""
    return _render_track(request, get_object_or_404(SupportRequest, public_token=token))


@REPLY_GUARD
@private_page
@require_POST
def support_request_reply(request: HtmxHttpRequest, token: str) -> HttpResponse:
    support_request = get_object_or_404(SupportRequest, public_token=token)
    return merchant_reply(
        request,
        item=support_request,
        render_page=partial(_render_track, request, support_request),
        track_url=_track_path(support_request),
    )


@private_page
@require_GET
def support_request_file(
    request: HtmxHttpRequest, token: str, pk: int, thumbnail: bool = False
) -> FileResponse:
    support_request = get_object_or_404(SupportRequest, public_token=token)
    return merchant_attachment(item=support_request, pk=pk, thumbnail=thumbnail)


# A merchant's photo or video, for support staff allowed to see attachments only.
support_attachment = staff_attachment_view(SupportAttachment)
