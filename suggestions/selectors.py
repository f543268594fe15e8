"""What to suggest for a description being written: the search's best articles and the guides
that lead through them, both read from caches kept under the content version."""

from __future__ import annotations

from dataclasses import dataclass

from guides.selectors import guide_search, guides_for_article
from troubleshooting.search import clean_query, normalize, search

LIMIT = 3
# Fewer letters than this say too little to search with ("my", "help").
MIN_LETTERS = 6


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "article" or "guide"
    slug: str
    title: str
    summary: str


def suggestions_for_text(*, text: str, language: str, limit: int = LIMIT) -> list[Suggestion]:
    """The best articles for ``text``, with the guide that fits the best one among them.

    The search takes the first 200 characters: a description starts with what matters.
    """
    query = clean_query(text)
    if len(normalize(query).replace(" ", "")) < MIN_LETTERS:
        return []
    hits = search(query=query, language=language, limit=limit).hits
    articles = [
        Suggestion("article", hit.article.slug, hit.article.title, hit.article.excerpt)
        for hit in hits
    ]
    guides = guide_search(query=query, language=language, limit=1)
    if not guides and hits:
        guides = guides_for_article(article_slug=hits[0].article.slug, language=language)[:1]
    found = [Suggestion("guide", g.slug, g.title, g.summary) for g in guides]
    # The best article first, then the guide, then the other articles.
    return (articles[:1] + found + articles[1:])[:limit]
