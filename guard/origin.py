"""Cross-site protection without a per-visitor token, for forms on shared, cached pages.

Article feedback and guide answers sit on pages that every anonymous visitor gets as the
same bytes (so the portal and a CDN can share them), which leaves no room for a CSRF token.
They need none: browsers say where a request comes from. A POST is refused when
``Sec-Fetch-Site`` says another site sent it, or when its ``Origin`` is not the portal's own;
a request that carries neither header does not come from a modern browser, so no visitor's
browser can be made to send it, and it is let through (such a client can post as itself).

These forms are anonymous: they change nothing that belongs to a signed-in person. Forms
that do (the admin) and the personal forms (support, returns) keep Django's CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

SAME_SITE_FETCH = {"same-origin", "none"}


def request_from_elsewhere(request: HttpRequest) -> bool:
    """Did a page of another origin make the visitor's browser send this request?"""
    # META names are exact: a misspelt name fails the tests (request.headers takes any case).
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE", "").lower()
    if fetch_site and fetch_site not in SAME_SITE_FETCH:
        return True
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        return False
    own = f"{request.scheme}://{request.get_host()}"
    return origin not in {own, *settings.CSRF_TRUSTED_ORIGINS}


def same_origin_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse a changing request that another site's page made a browser send."""

    @csrf_exempt
    @wraps(view)
    def checked(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.method not in {"GET", "HEAD", "OPTIONS"} and request_from_elsewhere(request):
            return HttpResponseForbidden(
                _("This form can only be sent from the help portal itself."),
                content_type="text/plain; charset=utf-8",
            )
        return view(request, *args, **kwargs)

    return checked
