"""The merchant's side of a conversation (shared by the two tracking pages) and the files.

The tracking pages themselves belong to their apps (support, returns); they call these.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from conversations import services
from conversations.forms import MerchantReplyForm
from conversations.models import MessageAttachment
from conversations.selectors import Item, message_attachment_for_item, message_thread
from guard.forms import FormGuard
from support.attachments import attachment_response, staff_attachment_view

REPLY_GUARD = FormGuard(
    scope="conversations:reply",
    rate_setting="SUPPORT_RATE_LIMIT",
    limited_notice=gettext_lazy(
        "Many messages were sent from your connection in a short time, so we paused new ones. "
        "Please try again in an hour, or e-mail POS support."
    ),
)


def private_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page behind an unguessable link: never cached, never indexed, the link never leaked
    to another site through the Referer header.

    ``same-origin`` rather than ``no-referrer``: under ``no-referrer`` browsers send
    ``Origin: null`` with the page's own forms, which the CSRF check rightly refuses; other
    sites get no Referer either way.
    """

    @never_cache
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def conversation_context(
    *, item: Item, reply_form: MerchantReplyForm | None = None, notice: str = ""
) -> dict[str, object]:
    """What the tracking page's conversation section shows."""
    return {
        "thread": message_thread(item=item),
        "reply_form": reply_form or MerchantReplyForm(initial=MerchantReplyForm.guard_initial()),
        "reply_notice": notice,
    }


def merchant_reply(
    request: HttpRequest,
    *,
    item: Item,
    render_page: Callable[..., HttpResponse],
    track_url: str,
) -> HttpResponse:
    """The merchant's reply posted from a tracking page: stored whole, or the page again with
    a clear message and the typed text kept (files must be chosen again: browsers forget them)."""
    form = MerchantReplyForm(request.POST, request.FILES)
    refusal = REPLY_GUARD.refusal(request, form)
    if refusal is not None:
        return render_page(reply_form=form, notice=refusal.notice, status=refusal.status)
    if not form.is_valid():
        return render_page(reply_form=form, status=400)
    try:
        services.message_from_merchant(
            item=item,
            body=form.cleaned_data["body"],
            files=form.cleaned_data["files"],
            submission_key=form.cleaned_data["idempotency_key"] or None,
        )
    except services.MessageRefused as refused:
        form.add_error(None, str(refused))
        return render_page(reply_form=form, status=400)
    messages.success(request, _("Thank you. Support received your message."))
    return redirect(track_url)


def merchant_attachment(*, item: Item, pk: int, thumbnail: bool = False) -> FileResponse:
    """A file of this item's conversation, for whoever holds the item's link."""
    attachment = message_attachment_for_item(item=item, pk=pk)
    if attachment is None:
        raise Http404
    return attachment_response(attachment, thumbnail=thumbnail)


# A merchant's file in a conversation, for support staff allowed to see them only.
message_attachment = staff_attachment_view(MessageAttachment)
