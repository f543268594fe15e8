"""Suggestions beside a form's description, and the recording redirect to what was opened."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from suggestions.models import SuggestionVisit
from suggestions.panel import visit_token
from suggestions.selectors import suggestions_for_text
from suggestions.services import suggestion_visit_opened, suggestion_visit_shown

SLUG = re.compile(r"[-a-z0-9_]{1,80}")
TARGETS = {"article": "troubleshooting:article_detail", "guide": "guides:guide_start"}


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@never_cache
@require_GET
def suggestion_list(request: HtmxHttpRequest) -> HttpResponse:
    """The best matches for the description typed so far (an htmx fragment beside the field)."""
    visit = visit_token(request.GET.get("visit"))
    form = request.GET.get("form", "")
    if form not in SuggestionVisit.Form.values:
        form = SuggestionVisit.Form.SUPPORT
    language = get_language() or "en"
    items = suggestions_for_text(text=request.GET.get("description", ""), language=language)
    if items and visit:
        suggestion_visit_shown(token=visit, form=form, language=language)
    template = "suggestions/suggestion_list.html"
    context = {"items": items, "visit": visit}
    return render(request, f"{template}#live" if request.htmx else template, context)


@never_cache
@require_GET
def suggestion_open(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """Count the opening for the visit, then go on to the article or guide."""
    if kind not in TARGETS or not SLUG.fullmatch(slug):
        raise Http404("No such suggestion")
    visit = visit_token(request.GET.get("visit"))
    if visit:
        suggestion_visit_opened(token=visit, opened=f"{kind}:{slug}")
    return redirect(reverse(TARGETS[kind], args=[slug]))
