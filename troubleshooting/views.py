from __future__ import annotations

import secrets
from dataclasses import dataclass

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from guard.counters import count_allowed
from guard.origin import same_origin_only
from troubleshooting import search as search_engine
from troubleshooting import selectors, services

VOTER_COOKIE = "kb_voter"
VOTER_COOKIE_AGE = 365 * 24 * 3600
LIVE_RESULTS_TARGET = "search-live"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class FeedbackForm(forms.Form):
    helpful = forms.ChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        error_messages={"required": _("Choose Yes or No.")},
    )
    reason = forms.CharField(
        label=_("What was missing or unclear? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        error_messages={
            "max_length": _("Please keep it under 1000 characters (you wrote %(show_value)d).")
        },
    )


def _language() -> str:
    return get_language() or "en"


@require_GET
def search(request: HtmxHttpRequest) -> HttpResponse:
    query = search_engine.clean_query(request.GET.get("q", ""))
    live = bool(request.htmx) and request.htmx.target == LIVE_RESULTS_TARGET
    # The drop-down under the search box stays short; Enter shows the full list.
    result = search_engine.search(query=query, language=_language(), limit=5 if live else 10)
    # Live results arrive on every pause in typing: only a submitted search is a real miss.
    missed = bool(query) and not result.hits and not request.htmx
    if missed and count_allowed(request, counter="zero-result-search"):
        services.zero_result_search_record(language=_language(), query=query)
    context = {
        "query": query,
        "result": result,
        "live": live,
        "in_english": _show_translations(result, _language()),
        "topics": selectors.topic_list(language=_language()) if query and not result.hits else [],
    }
    template = "troubleshooting/search.html"
    response = render(request, f"{template}#results" if request.htmx else template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    if missed:
        # Each submitted miss must reach the portal to be counted: no shared copy.
        response["Cache-Control"] = "no-cache"
    return response


def _show_translations(result: search_engine.SearchResult, language: str) -> bool:
    """English hits shown in the merchant's language where a translation exists; True when
    some stay in English, so the page says so only then."""
    if not result.fallback_language:
        return False
    slugs = [hit.article.slug for hit in result.hits]
    translated = selectors.articles_in_language(slugs=slugs, language=language)
    for hit in result.hits:
        hit.article = translated.get(hit.article.slug, hit.article)
    return any(hit.article.language != language for hit in result.hits)


@require_GET
def topic_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    found = selectors.topic_get(language=_language(), slug=slug)
    if found is None:
        raise Http404("No such topic")
    context = {
        "topic": found.item,
        "is_fallback": found.is_fallback,
        "articles": selectors.topic_articles(topic=found.item),
    }
    return render(request, "troubleshooting/topic_detail.html", context)


@require_GET
def article_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    found = selectors.article_get(language=_language(), slug=slug)
    if found is None:
        raise Http404("No such article")
    return _render_article(request, found)


@require_POST
@same_origin_only
def article_feedback(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """A vote, then once the optional reason for a "no"; the article page itself stays shared.

    Without JavaScript the answer is a redirect to the article with the state in the address
    (``?voted=yes``, ``?reason=1``, ``?voted=no``): those are shared pages too. The browser is
    told apart by a cookie that only this endpoint reads and sets.
    """
    found = selectors.article_get(language=_language(), slug=slug)
    if found is None:
        raise Http404("No such article")
    article = found.item
    voter = request.COOKIES.get(VOTER_COOKIE, "")
    if not (16 <= len(voter) <= 64):
        voter = secrets.token_urlsafe(24)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        helpful = form.cleaned_data["helpful"] == "yes"
        if count_allowed(request, counter="article-feedback"):
            services.article_feedback_record(
                article=article, voter=voter, helpful=helpful, reason=form.cleaned_data["reason"]
            )
        # A "no" is followed once by the optional question what was missing.
        ask_reason = not helpful and "reason" not in request.POST
        if request.htmx:
            state = Voted(helpful=helpful, reason=form.cleaned_data["reason"])
            response = _render_article(
                request, found, feedback=state, partial="feedback", ask_reason=ask_reason
            )
        else:
            query = "?reason=1" if ask_reason else f"?voted={'yes' if helpful else 'no'}"
            response = redirect(f"{article.get_absolute_url()}{query}#feedback")
    else:
        response = _render_article(
            request,
            found,
            feedback=Voted(helpful=False) if "reason" in request.POST else None,
            form=form,
            partial="feedback" if request.htmx else None,
            ask_reason=True,
        )
        if not request.htmx:
            response.status_code = 400
    response.set_cookie(
        VOTER_COOKIE,
        voter,
        max_age=VOTER_COOKIE_AGE,
        # Sent back only here: the shared pages never see it.
        path=request.path,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    response["Cache-Control"] = "no-store"
    return response


@dataclass(frozen=True)
class Voted:
    """What the merchant answered, as far as the page needs to know."""

    helpful: bool
    reason: str = ""


def _feedback_from_address(request: HttpRequest) -> Voted | None:
    voted = request.GET.get("voted")
    if voted in {"yes", "no"}:
        return Voted(helpful=voted == "yes")
    if request.GET.get("reason") == "1":
        return Voted(helpful=False)
    return None


def _render_article(
    request: HtmxHttpRequest,
    found: selectors.InLanguage,
    *,
    feedback: Voted | None = None,
    form: FeedbackForm | None = None,
    partial: str | None = None,
    ask_reason: bool | None = None,
) -> HttpResponse:
    article = found.item
    context = {
        "article": article,
        "is_fallback": found.is_fallback,
        "feedback": feedback or _feedback_from_address(request),
        "form": form or FeedbackForm(),
        "ask_reason": request.GET.get("reason") == "1" if ask_reason is None else ask_reason,
    }
    if partial:
        return render(request, f"troubleshooting/article_detail.html#{partial}", context)
    context["related"] = selectors.article_related(article=article)
    context["terminal_messages"] = selectors.article_terminal_messages(article=article)
    return render(request, "troubleshooting/article_detail.html", context)
