"""The help articles in sitemap.xml, each with its translations as hreflang alternates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from troubleshooting.models import Article


class TranslatedSitemap(Sitemap):
    """Pages that exist per slug and language; each is listed in the languages it exists in."""

    i18n = True
    alternates = True
    x_default = True
    url_name = ""

    def rows(self) -> Iterable[tuple[str, str, datetime | None]]:
        """(slug, language, last modified) of every published page."""
        raise NotImplementedError

    def items(self) -> list[str]:
        self.languages: dict[str, list[str]] = defaultdict(list)
        self.updated: dict[str, datetime] = {}
        for slug, language, updated_at in self.rows():
            self.languages[slug].append(language)
            if updated_at is not None:
                self.updated[slug] = max(updated_at, self.updated.get(slug, updated_at))
        return list(self.languages)

    def get_languages_for_item(self, item: str) -> list[str]:
        # An untranslated page is shown in English with a note and is not indexed there.
        return self.languages[item]

    def location(self, item: str) -> str:
        return reverse(self.url_name, kwargs={"slug": item})

    def lastmod(self, item: str) -> datetime | None:
        return self.updated.get(item)


class ArticleSitemap(TranslatedSitemap):
    url_name = "troubleshooting:article_detail"

    def rows(self) -> Iterable[tuple[str, str, datetime | None]]:
        visible = Article.objects.filter(hidden=False).order_by("order", "slug", "language")
        return visible.values_list("slug", "language", "updated_at")
