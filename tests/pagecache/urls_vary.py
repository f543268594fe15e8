"""Pages the portal does not have, for the page cache's tests: one that differs by a header
the page cache does not key by, and a staff page that calls itself public."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def by_browser(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(f"Made for {request.headers.get('User-Agent', 'no browser')}")
    response["Vary"] = "User-Agent"
    return response


def plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("The same for everyone")


def public_admin_page(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("A staff page")
    response["Cache-Control"] = "public, max-age=60"
    return response


urlpatterns = [
    path("by-browser/", by_browser),
    path("plain/", plain),
    path("admin/public/", public_admin_page),
    *portal_urlpatterns,
]
