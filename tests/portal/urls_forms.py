"""A page with a form, for the caching tests: the real forms live in other apps."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

FORM = engines["django"].from_string(
    '<form method="post">{% csrf_token %}<button>Send</button></form>'
)


def page_with_form(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FORM.render(request=request))


urlpatterns = [path("with-form/", page_with_form), *portal_urlpatterns]
