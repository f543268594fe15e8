"""Guided troubleshooting pages: one question at a time, as a whole page or an htmx step."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.middleware import HtmxDetails

from guard.counters import count_allowed
from guard.origin import same_origin_only
from guides import services
from guides.models import GuideRun
from guides.selectors import (
    GuideGraph,
    StepNode,
    article_url,
    guide_get_published,
    guide_graph,
    guide_list_published,
    guide_run_get,
    return_form_url,
)

STEP_TEMPLATE = "guides/guide_step.html"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _partial_wanted(request: HtmxHttpRequest) -> bool:
    # A history restore asks for the whole page, since htmx swaps it into <body>.
    return bool(request.htmx) and not request.htmx.history_restore_request


def _graph_or_404(slug: str) -> GuideGraph:
    guide = guide_get_published(slug=slug, language=get_language())
    if guide is None:
        raise Http404(_("There is no guide at this address."))
    graph = guide_graph(guide=guide)
    if graph.start_key is None:
        raise Http404(_("There is no guide at this address."))
    return graph


def _step_url(graph: GuideGraph, key: str, run_token: str = "") -> str:
    url = reverse("guides:guide_step", args=[graph.slug, key])
    return f"{url}?{urlencode({'run': run_token})}" if run_token else url


def _back_key(graph: GuideGraph, step: StepNode, run: GuideRun | None) -> str | None:
    if run is not None:
        for entry in reversed(run.path):
            if entry["next"] == step.key and entry["step"] in graph.steps:
                return entry["step"]
    return graph.parent.get(step.key)


def _render_step(
    request: HtmxHttpRequest,
    graph: GuideGraph,
    step: StepNode,
    run: GuideRun | None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    run_token = run.token if run else ""
    back_key = _back_key(graph, step, run)
    depth = graph.depth.get(step.key, 0)
    remaining = graph.remaining.get(step.key, 0)
    context = {
        "graph": graph,
        "step": step,
        "run_token": run_token,
        "step_url": reverse("guides:guide_step", args=[graph.slug, step.key]),
        "start_url": reverse("guides:guide_start", args=[graph.slug]),
        "back_url": _step_url(graph, back_key, run_token) if back_key else "",
        "step_number": depth + 1,
        "steps_total": depth + 1 + remaining,
        "remaining": remaining,
        "article_url": article_url(step.article_slug) if step.article_slug else "",
        "support_url": reverse("support:support_request_create")
        + (f"?{urlencode({'run': run_token})}" if run_token else ""),
        "return_url": return_form_url(),
        "other_language": graph.language != get_language(),
        "error": error,
    }
    # htmx takes a <title> at the root of a partial as the new page title.
    context["partial"] = _partial_wanted(request)
    template = f"{STEP_TEMPLATE}#step" if context["partial"] else STEP_TEMPLATE
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    if run is not None:
        # Its back link follows this merchant's answers, which change as they go on.
        response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def guide_list(request: HtmxHttpRequest) -> HttpResponse:
    return render(
        request,
        "guides/guide_list.html",
        {"guides": guide_list_published(language=get_language())},
    )


@require_http_methods(["GET", "POST"])
@same_origin_only
def guide_start(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The first step; a POST here is "start over", which ends the current run as abandoned."""
    graph = _graph_or_404(slug)
    if request.method == "POST":
        services.guide_run_abandon(run_token=request.POST.get("run", ""))
        if not _partial_wanted(request):
            return redirect("guides:guide_start", slug=graph.slug, permanent=False)
        response = _render_step(request, graph, graph.steps[graph.start_key], None)
        response["HX-Push-Url"] = reverse("guides:guide_start", args=[graph.slug])
        return response
    return _render_step(request, graph, graph.steps[graph.start_key], None)


@require_http_methods(["GET", "POST"])
@same_origin_only
def guide_step(request: HtmxHttpRequest, slug: str, step_key: str) -> HttpResponse:
    graph = _graph_or_404(slug)
    step = graph.steps.get(step_key)
    if step is None:
        raise Http404(_("This step is not part of the guide any more."))
    if request.method == "GET":
        return _render_step(request, graph, step, guide_run_get(token=request.GET.get("run", "")))

    run_token = request.POST.get("run", "")
    choices = {str(choice.id): choice for choice in step.choices}
    choice = choices.get(request.POST.get("choice", ""))
    if choice is None or choice.next_key not in graph.steps:
        return _render_step(
            request,
            graph,
            step,
            guide_run_get(token=run_token),
            error=_("Please choose one of the answers below."),
            status=400,
        )
    run = services.guide_run_record_answer(
        graph=graph,
        step=step,
        choice=choice,
        run_token=run_token,
        may_start_run=lambda: count_allowed(request, counter="guide-run"),
    )
    next_url = _step_url(graph, choice.next_key, run.token if run else "")
    if not _partial_wanted(request):
        return redirect(next_url)
    response = _render_step(request, graph, graph.steps[choice.next_key], run)
    response["HX-Push-Url"] = next_url
    return response
