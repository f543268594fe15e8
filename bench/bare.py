"""The bare-Django floor: the article's own bytes from a Django with two middleware.

Only SecurityMiddleware and CommonMiddleware, no database, no templates: what Django itself
costs under the same gunicorn. bench/run.py saves the article page (as the portal sent it,
gzip-compressed when asked) and serves it from here at /article.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

BODY = Path(os.environ.get("BENCH_BARE_BODY", "var/bench/article.html"))

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-bare-floor-" + "x" * 40,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
    ],
    INSTALLED_APPS=[],
    DATABASES={},
    USE_I18N=False,
)

import django  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

django.setup()
CONTENT = BODY.read_bytes()


def article(request: HttpRequest) -> HttpResponse:
    return HttpResponse(CONTENT, content_type="text/html; charset=utf-8")


urlpatterns = [path("article", article)]
application = get_wsgi_application()
