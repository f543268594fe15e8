from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
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
from returns import selectors, services
from returns.forms import ReturnCancelForm, ReturnForm, guide_url
from returns.models import Return
from suggestions.models import SuggestionVisit
from suggestions.panel import SuggestionPanel, suggestion_panel

FORM_TEMPLATE = "returns/return_form.html"
PREFILL_FIELDS = frozenset(ReturnForm.Meta.fields)
RETURN_FORM_GUARD = FormGuard(
    scope="returns:create",
    rate_setting="RETURNS_RATE_LIMIT",
    limited_notice=gettext_lazy(
        "Many returns were sent from your connection in a short time, so we paused new ones. "
        "Please try again in an hour, or e-mail support with these details."
    ),
)
DUPLICATE = gettext_lazy(
    "This terminal already has an open return: %(rma_number)s. Please follow that return with "
    "the link in its e-mail, or contact support."
)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _suggestions(request: HttpRequest) -> SuggestionPanel:
    return suggestion_panel(request, form=SuggestionVisit.Form.RETURN, offers_files=False)


def _render_form(
    request: HttpRequest,
    form: ReturnForm,
    *,
    status: int = 200,
    notice: str = "",
    suggestions: SuggestionPanel | None = None,
) -> HttpResponse:
    context = {"form": form, "notice": notice, "suggestions": suggestions or _suggestions(request)}
    return render(request, FORM_TEMPLATE, context, status=status)


def _validate_one_field(request: HtmxHttpRequest, name: str) -> HttpResponse:
    form = ReturnForm(request.POST, validate_url=request.path)
    form.is_valid()
    partial = "reason" if name == "reason" else "field"
    return render(
        request,
        f"{FORM_TEMPLATE}#{partial}",
        {"form": form, "field": form[name], "inline": True},
    )


@RETURN_FORM_GUARD
@never_cache
@require_http_methods(["GET", "POST"])
def return_create(request: HtmxHttpRequest) -> HttpResponse:
    if request.method == "GET":
        initial = {
            name: value[:2000] for name, value in request.GET.items() if name in PREFILL_FIELDS
        }
        if "country" in initial:
            initial["country"] = initial["country"].upper()
        form = ReturnForm(initial=initial | ReturnForm.guard_initial(), validate_url=request.path)
        return _render_form(request, form)
    if request.htmx and request.htmx.trigger_name in ReturnForm.inline_fields:
        return _validate_one_field(request, request.htmx.trigger_name)

    form = ReturnForm(request.POST, validate_url=request.path)
    # A repeated submission (double click, reload, retry) lands on the first result.
    earlier = form.is_valid() and selectors.return_get_by_idempotency_key(
        key=form.cleaned_data["idempotency_key"]
    )
    if earlier:
        return redirect("returns:return_submitted", token=earlier.tracking_token)
    # Without JavaScript, a return whose description matches articles shows them first.
    suggestions = _suggestions(request)
    if (
        not form.honeypot_filled
        and form.is_valid()
        and suggestions.step_needed(text=form.cleaned_data["description"], has_files=False)
    ):
        return _render_form(request, form, suggestions=suggestions)
    refusal = RETURN_FORM_GUARD.refusal(request, form)
    if refusal is not None:
        return _render_form(request, form, status=refusal.status, notice=refusal.notice)
    if not form.is_valid():
        return _render_form(request, form)
    try:
        rma, _created = services.return_create(
            **{name: form.cleaned_data[name] for name in ReturnForm.Meta.fields},
            language=get_language() or settings.LANGUAGE_CODE,
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except services.ReturnDuplicate as duplicate:
        form.add_error("serial_number", DUPLICATE % {"rma_number": duplicate.rma_number})
        return _render_form(request, form, status=409)
    suggestions.record_sent(return_request=rma)
    return redirect("returns:return_submitted", token=rma.tracking_token)


def _return_or_404(token: str) -> Return:
    rma = selectors.return_get_for_tracking(token=token)
    if rma is None:
        raise Http404("No return with this tracking link.")
    return rma


@never_cache
@require_GET
def return_submitted(request: HttpRequest, token: str) -> HttpResponse:
    rma = _return_or_404(token)
    return render(
        request,
        "returns/return_submitted.html",
        {"rma": rma, "track_url": request.build_absolute_uri(_track_path(rma))},
    )


def _track_path(rma: Return) -> str:
    return reverse("returns:return_track", kwargs={"token": rma.tracking_token})


def _render_track(
    request: HttpRequest,
    rma: Return,
    *,
    reply_form: MerchantReplyForm | None = None,
    notice: str = "",
    cancel_form: ReturnCancelForm | None = None,
    status: int = 200,
) -> HttpResponse:
    history = list(rma.status_changes.all())
    context = {
        "rma": rma,
        "history": history,
        "question": history[-1].note if history and rma.status == rma.Status.NEEDS_INFO else "",
        "ship_to": settings.RETURNS_SHIP_TO,
        "cancel_form": cancel_form or ReturnCancelForm(),
        "can_cancel": rma.status in services.MERCHANT_CANCELLABLE,
        "activation_guide_url": guide_url("activate-terminal"),
        "reply_url": (
            reverse("returns:return_answer", kwargs={"token": rma.tracking_token})
            if rma.is_open
            else ""
        ),
        "file_url": "returns:return_file",
        "token": rma.tracking_token,
        **conversation_context(item=rma, reply_form=reply_form, notice=notice),
    }
    return render(request, "returns/return_track.html", context, status=status)


@private_page
@require_GET
def return_track(request: HttpRequest, token: str) -> HttpResponse:
    return _render_track(request, _return_or_404(token))


@REPLY_GUARD
@private_page
@require_POST
def return_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The merchant's message on the tracking page (it was once a text-only answer to a
    question, hence the address); a return waiting for information goes back to support."""
    rma = _return_or_404(token)
    return merchant_reply(
        request,
        item=rma,
        render_page=partial(_render_track, request, rma),
        track_url=_track_path(rma),
    )


@private_page
@require_GET
def return_file(request: HttpRequest, token: str, pk: int, thumbnail: bool = False):
    return merchant_attachment(item=_return_or_404(token), pk=pk, thumbnail=thumbnail)


@private_page
@require_POST
def return_cancel(request: HttpRequest, token: str) -> HttpResponse:
    rma = _return_or_404(token)
    form = ReturnCancelForm(request.POST)
    if not form.is_valid():
        return _render_track(request, rma, cancel_form=form, status=400)
    try:
        services.return_merchant_cancel(rma=rma)
    except services.ReturnTransitionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Your return is cancelled. Please do not send the terminal."))
    return redirect("returns:return_track", token=token)
