"""Changes to the knowledge base: articles, topics, terminal messages, feedback, searches."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from troubleshooting import fts
from troubleshooting.markdown import Problem, render_readme
from troubleshooting.models import (
    Article,
    ArticleFeedback,
    TerminalMessage,
    Topic,
    ZeroResultSearch,
)

# PostgreSQL text search configurations: stemming gives "declined" for "decline" and so on.
SEARCH_CONFIGS = {"en": "english", "nl": "dutch", "fr": "french"}
FALLBACK_LANGUAGE = settings.LANGUAGE_CODE

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
COMPOUND_RE = re.compile(r"\b\w+(?:-\w+)+\b")


@dataclass
class ArticleResult:
    article: Article
    status: str
    problems: list[Problem] = field(default_factory=list)
    missing_links: list[str] = field(default_factory=list)


def article_link_resolver(*, language: str, known_slugs: Iterable[str] | None = None):
    """Resolve ``(doc:slug)`` to the article's address in ``language`` if the slug exists."""
    if known_slugs is None:
        known_slugs = Article.objects.filter(
            language__in={language, FALLBACK_LANGUAGE}
        ).values_list("slug", flat=True)
    known = set(known_slugs)

    def resolve(slug: str) -> str | None:
        if slug not in known:
            return None
        with translation.override(language):
            return reverse("troubleshooting:article_detail", kwargs={"slug": slug})

    return resolve


def article_render(
    *, article: Article, known_slugs: Iterable[str] | None = None, first_line: int = 1
) -> ArticleResult:
    """Fill the stored HTML, table of contents and search text from the Markdown source."""
    resolver = article_link_resolver(language=article.language, known_slugs=known_slugs)
    rendered = render_readme(article.source, link_resolver=resolver, first_line=first_line)
    article.html = rendered.html
    article.toc = rendered.toc
    # "Wi-Fi" is also typed "wifi": index the joined form of hyphenated words too.
    compounds = sorted({word.replace("-", "") for word in COMPOUND_RE.findall(rendered.text)})
    article.search_text = " ".join([rendered.text, *compounds])
    if not article.excerpt:
        article.excerpt = _excerpt(rendered.text)
    return ArticleResult(article, "", rendered.problems, rendered.missing_links)


def article_save(*, article: Article, known_slugs: Iterable[str] | None = None) -> ArticleResult:
    """Render and save an article edited by hand (the admin)."""
    result = article_render(article=article, known_slugs=known_slugs)
    with transaction.atomic():
        article.full_clean()
        article.save()
        _article_index(article)
    return result


def article_upsert(
    *,
    language: str,
    slug: str,
    title: str,
    source: str,
    topic: Topic | None = None,
    excerpt: str = "",
    keywords: str = "",
    order: int = 0,
    hidden: bool = False,
    parent_slug: str = "",
    source_path: str = "",
    known_slugs: Iterable[str] | None = None,
    first_line: int = 1,
    messages: list[dict] | None = None,
) -> ArticleResult:
    """Create or update the article (language, slug); saves nothing when nothing changed."""
    article = Article.objects.filter(language=language, slug=slug).first()
    status = UPDATED if article else CREATED
    article = article or Article(language=language, slug=slug)
    before = _article_state(article) if status == UPDATED else None
    article.title = title
    article.source = source
    article.topic = topic
    article.excerpt = excerpt
    article.keywords = keywords
    article.order = order
    article.hidden = hidden
    article.parent_slug = parent_slug
    article.source_path = source_path
    result = article_render(article=article, known_slugs=known_slugs, first_line=first_line)
    with transaction.atomic():
        article_changed = before != _article_state(article)
        if article_changed:
            article.full_clean()
            article.save()
        messages_changed = terminal_messages_sync(article=article, messages=messages or [])
        if article_changed or messages_changed:
            _article_index(article)
    if status == UPDATED and not (article_changed or messages_changed):
        status = UNCHANGED
    elif status == UPDATED and messages_changed and not article_changed:
        # Messages belong to the page: their change is a change of the page.
        Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())
    result.status = status
    return result


def terminal_messages_sync(*, article: Article, messages: list[dict]) -> bool:
    """Make the article's terminal messages exactly ``messages``; True when anything changed."""
    existing = {message.text: message for message in article.terminal_messages.all()}
    changed = False
    wanted = set()
    for position, data in enumerate(messages):
        text = str(data["text"]).strip()
        wanted.add(text)
        message = existing.get(text) or TerminalMessage(article=article, text=text)
        values = {
            "language": article.language,
            "code": str(data.get("code") or "").strip(),
            "aliases": [str(alias).strip() for alias in data.get("aliases") or []],
            "cause": str(data.get("cause") or "").strip(),
            "fix": str(data.get("fix") or "").strip(),
            "order": int(data.get("order", (position + 1) * 10)),
        }
        if message.pk and all(getattr(message, key) == value for key, value in values.items()):
            continue
        for key, value in values.items():
            setattr(message, key, value)
        message.full_clean()
        message.save()
        changed = True
    stale = [message.pk for text, message in existing.items() if text not in wanted]
    if stale:
        TerminalMessage.objects.filter(pk__in=stale).delete()
        changed = True
    return changed


def topic_upsert(
    *, language: str, slug: str, title: str, description: str = "", order: int = 0
) -> tuple[Topic, str]:
    topic = Topic.objects.filter(language=language, slug=slug).first()
    values = {"title": title, "description": description, "order": order}
    if topic and all(getattr(topic, key) == value for key, value in values.items()):
        return topic, UNCHANGED
    status = UPDATED if topic else CREATED
    topic = topic or Topic(language=language, slug=slug)
    for key, value in values.items():
        setattr(topic, key, value)
    topic.full_clean()
    topic.save()
    return topic, status


def article_feedback_record(
    *, article: Article, voter: str, helpful: bool, reason: str = ""
) -> ArticleFeedback:
    """One answer per browser and article: answering again replaces the earlier answer."""
    with transaction.atomic():
        feedback = ArticleFeedback.objects.filter(article=article, voter=voter).first()
        feedback = feedback or ArticleFeedback(article=article, voter=voter)
        feedback.language = article.language
        feedback.helpful = helpful
        feedback.reason = "" if helpful else reason.strip()[:1000]
        feedback.full_clean()
        feedback.save()
    return feedback


def zero_result_search_record(*, language: str, query: str) -> None:
    query = " ".join(query.split())[:200]
    if not query:
        return
    same = ZeroResultSearch.objects.filter(language=language, query=query)
    if same.update(count=F("count") + 1, last_searched_at=timezone.now()):
        return
    try:
        with transaction.atomic():
            ZeroResultSearch.objects.create(language=language, query=query)
    except IntegrityError:
        # Another shop's search stored it between the two steps (an outage brings many at
        # once): count this one on that row.
        same.update(count=F("count") + 1, last_searched_at=timezone.now())


def _article_index(article: Article) -> None:
    """Refresh the full-text index: PostgreSQL's vector, or SQLite's FTS5 table."""
    if fts.available():
        fts.article_fts_update(article=article)
    if connection.vendor != "postgresql":
        return
    config = SEARCH_CONFIGS.get(article.language, "simple")
    Article.objects.filter(pk=article.pk).update(
        search_vector=SearchVector("title", weight="A", config=config)
        + SearchVector("keywords", weight="A", config=config)
        + SearchVector("excerpt", weight="B", config=config)
        + SearchVector("search_text", weight="C", config=config)
    )


def _article_state(article: Article) -> tuple:
    return (
        article.title,
        article.source,
        article.topic_id,
        article.excerpt,
        article.keywords,
        article.order,
        article.hidden,
        article.parent_slug,
        article.html,
        article.toc,
        article.search_text,
    )


def _excerpt(text: str, length: int = 200) -> str:
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"
