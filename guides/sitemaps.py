"""The published guides in sitemap.xml, each with its translations as hreflang alternates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from guides.models import Guide
from troubleshooting.sitemaps import TranslatedSitemap


class GuideSitemap(TranslatedSitemap):
    url_name = "guides:guide_start"

    def rows(self) -> Iterable[tuple[str, str, datetime | None]]:
        published = Guide.objects.filter(is_published=True).order_by("position", "slug")
        return (
            (slug, language, None) for slug, language in published.values_list("slug", "language")
        )
