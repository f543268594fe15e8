from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from guard.forms import FormGuard
from guard.origin import same_origin_only
from photosearch import ocr
from photosearch.forms import TOO_LARGE, PhotoForm
from photosearch.selectors import photo_search as photo_search_run
from photosearch.uploads import InMemoryUploadHandler
from support.attachments import MAX_IMAGE_BYTES

PHOTO_FORM_GUARD = FormGuard(
    scope="photosearch",
    rate_setting="PHOTOSEARCH_RATE_LIMIT",
    limited_notice=_(
        "Many photos were sent from your connection in a short time, so we paused reading "
        "them. Please type the message on the screen into the search box instead."
    ),
)
# The form's own fields and boundaries beside one photo of at most MAX_IMAGE_BYTES.
MAX_PHOTO_REQUEST_BYTES = MAX_IMAGE_BYTES + 64 * 1024
ENGINE_MISSING = _(
    "Reading photos is not available right now. Please type the message on the screen into "
    "the search box."
)
TEMPLATE = "photosearch/photo_search.html"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_POST
@same_origin_only
@PHOTO_FORM_GUARD
def photo_search(request: HtmxHttpRequest) -> HttpResponse:
    """Read the photo of the terminal's screen and show the fix for the message on it.

    The form sits on shared, cached pages, so it carries no CSRF token: the same-origin check
    and the per-client limit protect it, and it changes nothing that belongs to anyone.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if not ocr.engine_available():
        return _page(request, error=ENGINE_MISSING, status=503)
    if PHOTO_FORM_GUARD.count(request):
        return _page(request, error=PHOTO_FORM_GUARD.limited_notice, status=429)
    if length > MAX_PHOTO_REQUEST_BYTES:
        # Refused unread: a photo this large is not taken of a terminal's screen.
        response = _page(request, error=TOO_LARGE % {"size": filesizeformat(length)}, status=413)
        response["Connection"] = "close"
        return response
    request.upload_handlers = [InMemoryUploadHandler(request)]
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, error=form.errors["photo"][0], status=400)
    try:
        found = photo_search_run(image=form.cleaned_data["photo"], language=get_language() or "en")
    except ocr.EngineUnavailable:
        return _page(request, error=ENGINE_MISSING, status=503)
    return _page(request, found=found)


def _page(request: HtmxHttpRequest, *, status: int = 200, **context: object) -> HttpResponse:
    template = f"{TEMPLATE}#result" if request.htmx else TEMPLATE
    # An htmx error is still swapped in: the message belongs where the result would be.
    response = render(request, template, context, status=200 if request.htmx else status)
    response["Cache-Control"] = "no-store"
    return response
