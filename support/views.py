"""The support request form, its confirmation, and the attachments support staff open."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.middleware import HtmxDetails

from guard.forms import FormGuard
from guides.models import GuideRun
from guides.selectors import guide_run_get, guide_run_path_text
from suggestions.models import SuggestionVisit
from suggestions.panel import SuggestionPanel, suggestion_panel
from support import services
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


@require_GET
def support_request_sent(request: HtmxHttpRequest, token: str) -> HttpResponse:
    support_request = get_object_or_404(SupportRequest, public_token=token)
    return render(
        request, "support/support_request_sent.html", {"support_request": support_request}
    )


@staff_member_required
@require_GET
def support_attachment(request: HtmxHttpRequest, pk: int, thumbnail: bool = False) -> FileResponse:
    """A merchant's photo or video, for support staff allowed to see attachments only.

    Served as something no browser can run: a fixed type the server derived, no sniffing, a
    sandbox without any source, never stored by a cache, and downloaded unless it is a
    picture Pillow re-encoded.
    """
    if not request.user.has_perm("support.view_supportattachment"):
        raise PermissionDenied
    attachment = get_object_or_404(SupportAttachment, pk=pk)
    if thumbnail:
        if not attachment.thumbnail:
            raise Http404
        stored, content_type = attachment.thumbnail, "image/jpeg"
    else:
        stored, content_type = attachment.file, attachment.content_type
    inline = attachment.is_reencoded
    response = FileResponse(
        stored.open("rb"),
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=content_type if inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
