from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils import translation


def language_links(request: HttpRequest | None) -> list[dict[str, object]]:
    """The current page in each language, so the switcher keeps the merchant where they are."""
    current = translation.get_language()
    # One leading slash: "//host/..." is another site to a browser, never a page of ours.
    path = "/" + request.get_full_path().lstrip("/") if request is not None else "/"
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
        if url == path and code != current:
            with translation.override(code):
                url = reverse("home")
        with translation.override(code):
            native_name = translation.gettext(str(name))
        links.append({"code": code, "name": native_name, "url": url, "current": code == current})
    return links


def site(request: HttpRequest | None) -> dict[str, object]:
    return {
        "support_email": settings.SUPPORT_EMAIL,
        "sales_email": settings.SALES_EMAIL,
        "language_links": language_links(request),
    }
