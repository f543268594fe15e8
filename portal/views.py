from __future__ import annotations

import sys

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal.context_processors import site
from troubleshooting import selectors as kb_selectors

DATABASE_UNREACHABLE = (DatabaseError,)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    language = get_language() or "en"
    context = {
        "topics": kb_selectors.topic_list(language=language),
        "common_messages": kb_selectors.common_terminal_messages(language=language),
    }
    return render(request, "portal/home.html", context)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Search engines index the help pages, not the forms, searches, tracking pages or admin."""
    lines = ["User-agent: *"]
    for language in ("", "/nl", "/fr"):
        for private in ("search/", "returns/", "support/"):
            lines.append(f"Disallow: {language}/{private}")
    lines += [
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('django.contrib.sitemaps.views.sitemap'))}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers and bots ask for /favicon.ico whatever the page says: send them the icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@require_safe
def moved_admin_page(request: HttpRequest, model: str, rest: str) -> HttpResponse:
    """Guides and support requests once had their admin pages under the knowledge base."""
    app_label = "support" if model.startswith("support") else "guides"
    query = f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""
    return HttpResponsePermanentRedirect(f"/admin/{app_label}/{model}/{rest}{query}")


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and compose health checks: 200 only when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def service_unavailable(request: HttpRequest | None) -> HttpResponse:
    # Rendered without context processors: they may need the database that is down.
    html = render_to_string("503.html", site(request))
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if isinstance(sys.exc_info()[1], DATABASE_UNREACHABLE):
        return service_unavailable(request)
    return HttpResponse(render_to_string("500.html", site(request)), status=500)


@never_cache
@require_safe
def bench_floor(request: HttpRequest) -> HttpResponse:
    """The benchmark's floor: the full middleware stack and nothing else (PORTAL_BENCH=1 only).

    Never stored, so every request runs the whole stack the pages are compared with.
    """
    return HttpResponse("ok", content_type="text/plain")
