"""The site-wide pages in sitemap.xml; articles and guides come from their own apps."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class PageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self) -> list[str]:
        return ["home", "guides:guide_list"]

    def location(self, item: str) -> str:
        return reverse(item)
