"""Guided troubleshooting: guides as graphs of steps, and the merchants' runs through them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from returns.models import Return


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Guide(models.Model):
    """One guide in one language; the same slug in another language is its translation."""

    slug = models.SlugField(_("slug"), max_length=80)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences shown in the list of guides.")
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=300,
        blank=True,
        help_text=_("Words merchants search for, so search results can suggest this guide."),
    )
    position = models.PositiveSmallIntegerField(_("position in the list"), default=0)
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only a guide without problems can be published."),
    )
    source_checksum = models.CharField(max_length=64, blank=True, editable=False)
    edited_in_admin = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        ordering = ["position", "slug", "language"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="guide_unique_slug_language")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    def get_absolute_url(self) -> str:
        with translation.override(self.language):
            return reverse("guides:guide_start", args=[self.slug])


class GuideStep(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        INSTRUCTION = "instruction", _("Instruction (fixed it / still not working)")
        RESOLVED = "resolved", _("Outcome: resolved")
        SUPPORT = "support", _("Outcome: contact support")
        RETURN = "return", _("Outcome: request a return")

    OUTCOMES = frozenset({Kind.RESOLVED, Kind.SUPPORT, Kind.RETURN})

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="steps")
    key = models.SlugField(
        _("key"), max_length=80, help_text=_("Part of the step's web address; keep it stable.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("The first step is where the guide starts.")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.QUESTION)
    title = models.CharField(_("question or heading"), max_length=200)
    body = models.TextField(_("text (Markdown)"), blank=True)
    article_slug = models.SlugField(
        _("related article"), max_length=120, blank=True, help_text=_("Slug of an article.")
    )
    return_reason = models.CharField(
        _("return reason"),
        max_length=20,
        choices=Return.Reason,
        blank=True,
        help_text=_("Only for 'request a return' outcomes."),
    )

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["guide", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "key"], name="guide_step_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.title}"


class GuideChoice(models.Model):
    step = models.ForeignKey(GuideStep, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(_("answer"), max_length=200)
    # Null means the choice points nowhere: the validator reports it instead of crashing.
    next_step = models.ForeignKey(
        GuideStep,
        verbose_name=_("leads to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["step", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class GuideRun(models.Model):
    """One anonymous walk through a guide: what was asked, what was answered, how it ended."""

    class Outcome(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        ESCALATED = "escalated", _("Escalated")
        ABANDONED = "abandoned", _("Abandoned")

    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    guide = models.ForeignKey(
        Guide, verbose_name=_("guide"), on_delete=models.SET_NULL, null=True, related_name="runs"
    )
    # Copied from the guide so the report survives a deleted or renamed guide.
    guide_slug = models.SlugField(_("guide"), max_length=80)
    language = models.CharField(_("language"), max_length=8)
    path = models.JSONField(_("path"), default=list, blank=True)
    current_step_key = models.CharField(_("current step"), max_length=80, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome, default=Outcome.IN_PROGRESS
    )
    outcome_kind = models.CharField(_("ending"), max_length=12, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("last answer"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("guide run")
        verbose_name_plural = _("guide runs")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["guide_slug", "language", "outcome"], name="guide_run_report_idx")
        ]

    def __str__(self) -> str:
        return f"{self.guide_slug} ({self.language}) {self.started_at:%Y-%m-%d %H:%M}"
