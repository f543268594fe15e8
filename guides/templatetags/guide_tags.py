"""`{% guide_suggestions article_slug=... %}` or `{% guide_suggestions query=... %}`.

Articles and search results use it to point at the step-by-step guide that fits.
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from guides.selectors import guide_search, guides_for_article

register = template.Library()


@register.inclusion_tag("guides/_guide_suggestions.html")
def guide_suggestions(article_slug: str = "", query: str = "") -> dict[str, object]:
    language = get_language()
    if article_slug:
        guides = guides_for_article(article_slug=article_slug, language=language)
    else:
        guides = guide_search(query=query, language=language)
    return {"guides": guides}
