"""Pages that differ by a header the page cache does not key by, for its tests."""

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


urlpatterns = [path("by-browser/", by_browser), path("plain/", plain), *portal_urlpatterns]
