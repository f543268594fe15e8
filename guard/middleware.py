"""Refuses an oversize request before anything reads its body."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve


class RequestSizeLimitMiddleware:
    """A body over ``MAX_REQUEST_BYTES`` gets a clear 413 page and is never read.

    It must stand before anything that reads the body (CSRF reads the form). A refused upload
    to a guarded form counts against that form's limit, so sending huge files again and again
    is as limited as sending forms.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= settings.MAX_REQUEST_BYTES:
            return self.get_response(request)
        try:
            form_guard = getattr(resolve(request.path_info).func, "form_guard", None)
        except Resolver404:
            form_guard = None
        if form_guard is not None:
            form_guard.count(request)
        response = render(
            request,
            "413.html",
            {"limit_mb": settings.MAX_REQUEST_BYTES // (1024 * 1024)},
            status=413,
        )
        # The unread body is still on the connection: close it rather than read it.
        response["Connection"] = "close"
        return response
