from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


@require_GET
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse("")


@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse("")


@require_POST
def article_feedback(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse("")
