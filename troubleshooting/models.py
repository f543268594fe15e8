from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = settings.LANGUAGES


class Topic(models.Model):
    """A group of articles a merchant recognises ("Connection", "Payment errors"), per language."""

    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    slug = models.SlugField(_("slug"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.IntegerField(_("order"), default=0)
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["language", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="topic_unique_slug_language")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    def get_absolute_url(self) -> str:
        with translation.override(self.language):
            return reverse("troubleshooting:topic_detail", kwargs={"slug": self.slug})


class Article(models.Model):
    """One help page in one language; the same slug in another language is its translation."""

    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    slug = models.SlugField(_("slug"), max_length=150)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    title = models.CharField(_("title"), max_length=200)
    excerpt = models.CharField(_("excerpt"), max_length=500, blank=True)
    keywords = models.CharField(
        _("search keywords"),
        max_length=500,
        blank=True,
        help_text=_("Other words merchants use for this problem, separated by commas."),
    )
    source = models.TextField(
        _("Markdown source"), help_text=_("ReadMe-flavoured Markdown, as written by the team.")
    )
    html = models.TextField(_("rendered HTML"), blank=True, editable=False)
    toc = models.JSONField(_("table of contents"), default=list, blank=True, editable=False)
    search_text = models.TextField(_("plain text for search"), blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    parent_slug = models.SlugField(_("parent article"), max_length=150, blank=True)
    order = models.IntegerField(_("order"), default=0)
    hidden = models.BooleanField(
        _("hidden"),
        default=False,
        help_text=_("Left out of topics, listings and search; still opens at its address."),
    )
    source_path = models.CharField(_("imported from"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["language", "order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"], name="article_unique_slug_language"
            )
        ]
        indexes = [models.Index(fields=["language", "hidden", "order"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    def get_absolute_url(self) -> str:
        with translation.override(self.language):
            return reverse("troubleshooting:article_detail", kwargs={"slug": self.slug})


class TerminalMessage(models.Model):
    """The exact words a terminal shows, so a merchant who types them lands on the fix."""

    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="terminal_messages",
    )
    text = models.CharField(_("text on the screen"), max_length=300)
    code = models.CharField(_("code"), max_length=50, blank=True)
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_("Other ways merchants describe or misspell this message."),
    )
    cause = models.TextField(_("cause"), blank=True)
    fix = models.TextField(_("fix"), blank=True)
    order = models.IntegerField(
        _("order"), default=100, help_text=_("Lower numbers are shown first on the home page.")
    )

    class Meta:
        verbose_name = _("terminal message")
        verbose_name_plural = _("terminal messages")
        ordering = ["language", "order", "text"]
        constraints = [
            models.UniqueConstraint(fields=["article", "text"], name="message_unique_per_article")
        ]

    def __str__(self) -> str:
        return self.text


class ArticleFeedback(models.Model):
    """One anonymous "Was this helpful?" answer per browser and article."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="feedback"
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    voter = models.CharField(_("browser token"), max_length=64, editable=False)
    helpful = models.BooleanField(_("helpful"))
    reason = models.TextField(_("reason"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("article feedback")
        verbose_name_plural = _("article feedback")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["article", "voter"], name="feedback_one_per_browser")
        ]

    def __str__(self) -> str:
        return f"{self.article.slug}: {'yes' if self.helpful else 'no'}"


class ZeroResultSearch(models.Model):
    """A search that found nothing: the content team's to-do list."""

    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    query = models.CharField(_("search"), max_length=200)
    count = models.PositiveIntegerField(_("times searched"), default=1)
    first_searched_at = models.DateTimeField(_("first searched"), auto_now_add=True)
    last_searched_at = models.DateTimeField(_("last searched"), auto_now=True)

    class Meta:
        verbose_name = _("search with no results")
        verbose_name_plural = _("searches with no results")
        ordering = ["-count", "-last_searched_at"]
        constraints = [
            models.UniqueConstraint(fields=["language", "query"], name="zero_result_unique_query")
        ]

    def __str__(self) -> str:
        return self.query
