"""Reads for the knowledge base pages; each returns in one query whatever the content size."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from troubleshooting.models import Article, ArticleFeedback, TerminalMessage, Topic

FALLBACK_LANGUAGE = settings.LANGUAGE_CODE


@dataclass
class InLanguage[T]:
    """A page found in the merchant's language, or in English when it is not translated yet."""

    item: T
    is_fallback: bool


def _languages(language: str) -> list[str]:
    return [language] if language == FALLBACK_LANGUAGE else [language, FALLBACK_LANGUAGE]


def _prefer(items: list, language: str) -> InLanguage | None:
    for item in items:
        if item.language == language:
            return InLanguage(item, False)
    return InLanguage(items[0], True) if items else None


def visible_articles(*, language: str) -> QuerySet[Article]:
    return Article.objects.filter(language=language, hidden=False)


def topic_list(*, language: str) -> list[Topic]:
    """Topics with at least one visible article, in the merchant's language (else English)."""
    for code in _languages(language):
        topics = list(
            Topic.objects.filter(language=code, hidden=False)
            .annotate(article_count=Count("articles", filter=Q(articles__hidden=False)))
            .filter(article_count__gt=0)
            .order_by("order", "title")
        )
        if topics:
            return topics
    return []


def topic_get(*, language: str, slug: str) -> InLanguage[Topic] | None:
    topics = list(Topic.objects.filter(slug=slug, language__in=_languages(language)))
    return _prefer(topics, language)


def topic_articles(*, topic: Topic) -> list[Article]:
    return list(
        topic.articles.filter(hidden=False)
        .only("slug", "title", "excerpt", "language", "order", "updated_at")
        .order_by("order", "title")
    )


def article_get(*, language: str, slug: str) -> InLanguage[Article] | None:
    """Hidden articles open at their address too: they are only left out of listings."""
    articles = list(
        Article.objects.filter(slug=slug, language__in=_languages(language))
        .select_related("topic")
        .defer("source", "search_text", "search_vector")
    )
    return _prefer(articles, language)


def article_related(*, article: Article, limit: int = 5) -> list[Article]:
    """Articles of the same topic, the parent page and its children: what to read next."""
    related = Q(slug=article.parent_slug) | Q(parent_slug=article.slug)
    if article.topic_id:
        related |= Q(topic_id=article.topic_id)
    return list(
        visible_articles(language=article.language)
        .filter(related)
        .exclude(pk=article.pk)
        .only("slug", "title", "excerpt", "language")
        .order_by("order", "title")[:limit]
    )


def article_terminal_messages(*, article: Article) -> list[TerminalMessage]:
    return list(article.terminal_messages.order_by("order", "text"))


def article_feedback_get(*, article: Article, voter: str) -> ArticleFeedback | None:
    if not voter:
        return None
    return ArticleFeedback.objects.filter(article=article, voter=voter).first()


def common_terminal_messages(*, language: str, limit: int = 6) -> list[TerminalMessage]:
    """The messages merchants meet most, for the home page (the editors' order decides)."""
    for code in _languages(language):
        messages = list(
            TerminalMessage.objects.filter(language=code, article__hidden=False)
            .select_related("article")
            .only("text", "code", "fix", "article__slug", "article__language", "article__title")
            .order_by("order", "text")[:limit]
        )
        if messages:
            return messages
    return []


def articles_in_language(*, slugs: list[str], language: str) -> dict[str, Article]:
    """The visible translations of these articles in ``language``, by slug, in one query."""
    found = visible_articles(language=language).filter(slug__in=slugs)
    return {article.slug: article for article in found.only("slug", "title", "excerpt", "language")}
