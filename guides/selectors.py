"""Reads for guided troubleshooting: the guide graph, its validation, runs and the report."""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from guides.models import Guide, GuideRun, GuideStep
from pagecache.version import content_version, kept_for_version
from troubleshooting.markdown import render_markdown

# A run with no answer for this long is counted as abandoned by the report.
ABANDONED_AFTER = timedelta(minutes=30)
FALLBACK_LANGUAGE = "en"


def render_step_markdown(text: str) -> SafeString:
    # The portal's one Markdown helper, which sanitises its output.
    return mark_safe(render_markdown(text))  # noqa: S308


@dataclass(frozen=True)
class ChoiceNode:
    id: int
    label: str
    next_key: str | None


@dataclass(frozen=True)
class StepNode:
    key: str
    kind: str
    title: str
    body: str
    article_slug: str = ""
    return_reason: str = ""
    choices: tuple[ChoiceNode, ...] = ()
    body_html: SafeString = SafeString("")

    @property
    def is_outcome(self) -> bool:
        return self.kind in GuideStep.OUTCOMES


@dataclass
class GuideGraph:
    """A guide with all its steps, read once and cached until the guide changes."""

    pk: int | None
    slug: str
    language: str
    title: str
    steps: dict[str, StepNode]
    start_key: str | None
    depth: dict[str, int] = field(default_factory=dict)
    remaining: dict[str, int] = field(default_factory=dict)
    parent: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.depth, self.parent = _distances_from_start(self)
        self.remaining = _distances_to_outcome(self)


def _distances_from_start(graph: GuideGraph) -> tuple[dict[str, int], dict[str, str]]:
    depth: dict[str, int] = {}
    parent: dict[str, str] = {}
    if graph.start_key is None:
        return depth, parent
    depth[graph.start_key] = 0
    queue = deque([graph.start_key])
    while queue:
        key = queue.popleft()
        for choice in graph.steps[key].choices:
            target = choice.next_key
            if target in graph.steps and target not in depth:
                depth[target] = depth[key] + 1
                parent[target] = key
                queue.append(target)
    return depth, parent


def _distances_to_outcome(graph: GuideGraph) -> dict[str, int]:
    incoming: dict[str, list[str]] = {key: [] for key in graph.steps}
    for step in graph.steps.values():
        for choice in step.choices:
            if choice.next_key in incoming:
                incoming[choice.next_key].append(step.key)
    remaining = {key: 0 for key, step in graph.steps.items() if step.is_outcome}
    queue = deque(remaining)
    while queue:
        key = queue.popleft()
        for source in incoming[key]:
            if source not in remaining:
                remaining[source] = remaining[key] + 1
                queue.append(source)
    return remaining


def guide_problems(graph: GuideGraph) -> list[str]:
    """Everything that keeps a guide from being published, in words an editor understands."""
    problems: list[str] = []
    if not graph.steps:
        return [_("The guide has no steps yet: add a first question.")]
    for step in graph.steps.values():
        if step.is_outcome:
            if step.choices:
                problems.append(
                    _(
                        'Step "%(key)s" is an outcome but has answers; they would never be shown. '
                        "Remove them or make the step a question."
                    )
                    % {"key": step.key}
                )
            if step.kind == GuideStep.Kind.RETURN and not step.return_reason:
                problems.append(
                    _('Step "%(key)s" sends the terminal back but has no return reason.')
                    % {"key": step.key}
                )
            continue
        if not step.choices:
            problems.append(
                _(
                    'Step "%(key)s" is a dead end: it has no answers, so merchants would be stuck '
                    "there. Add answers or make it an outcome."
                )
                % {"key": step.key}
            )
        for choice in step.choices:
            if choice.next_key is None or choice.next_key not in graph.steps:
                problems.append(
                    _('The answer "%(label)s" of step "%(key)s" does not lead to any step.')
                    % {"label": choice.label, "key": step.key}
                )
    for key in graph.steps:
        if key not in graph.depth:
            problems.append(
                _(
                    'Step "%(key)s" cannot be reached from the first step "%(start)s": '
                    "no answer leads to it."
                )
                % {"key": key, "start": graph.start_key}
            )
        elif key not in graph.remaining and graph.steps[key].choices:
            problems.append(
                _(
                    'From step "%(key)s" no path ends in an outcome (resolved, contact support or '
                    "request a return): merchants would go round in circles."
                )
                % {"key": key}
            )
    return problems


def _graph_from_database(guide: Guide) -> GuideGraph:
    steps = list(guide.steps.prefetch_related("choices__next_step").order_by("position", "pk"))
    nodes = {
        step.key: StepNode(
            key=step.key,
            kind=step.kind,
            title=step.title,
            body=step.body,
            body_html=render_step_markdown(step.body),
            article_slug=step.article_slug,
            return_reason=step.return_reason,
            choices=tuple(
                ChoiceNode(
                    id=choice.pk,
                    label=choice.label,
                    next_key=choice.next_step.key
                    if choice.next_step and choice.next_step.guide_id == guide.pk
                    else None,
                )
                for choice in step.choices.all()
            ),
        )
        for step in steps
    }
    return GuideGraph(
        pk=guide.pk,
        slug=guide.slug,
        language=guide.language,
        title=guide.title,
        steps=nodes,
        start_key=steps[0].key if steps else None,
    )


def guide_graph(*, guide: Guide) -> GuideGraph:
    # Kept under the content version: any change to a guide, step or answer shows at once.
    key = f"guide-graph:{content_version()}:{guide.pk}"
    graph = cache.get(key)
    if graph is None:
        graph = _graph_from_database(guide)
        cache.set(key, graph, 3600)
    return graph


def guide_problems_for(*, guide: Guide, fresh: bool = False) -> list[str]:
    """``fresh`` reads the steps again, for the check right after they were saved."""
    return guide_problems(_graph_from_database(guide) if fresh else guide_graph(guide=guide))


def guide_get_published(*, slug: str, language: str) -> Guide | None:
    """The guide in the merchant's language, or in English when it is not translated."""
    candidates = Guide.objects.filter(
        slug=slug, language__in={language, FALLBACK_LANGUAGE}, is_published=True
    )
    by_language = {guide.language: guide for guide in candidates}
    return by_language.get(language) or by_language.get(FALLBACK_LANGUAGE)


def _in_language(guides, language: str) -> list[Guide]:
    """One guide per slug: the merchant's language where translated, else English."""
    by_slug: dict[str, Guide] = {}
    for guide in guides.filter(language__in={language, FALLBACK_LANGUAGE}, is_published=True):
        if guide.slug not in by_slug or guide.language == language:
            by_slug[guide.slug] = guide
    return list(by_slug.values())


def guide_list_published(*, language: str) -> list[Guide]:
    return _in_language(Guide.objects.order_by("position", "slug"), language)


@dataclass(frozen=True)
class GuideSuggestion:
    slug: str
    title: str
    summary: str
    words: str
    article_slugs: frozenset[str]


def guide_suggestion_index(*, language: str) -> list[GuideSuggestion]:
    """The published guides in one language: article pages and search ask on every view.

    Kept in each process for the content version, so a guide change shows on the very next
    page, and no trip to the shared cache is made for it.
    """
    return kept_for_version(f"guide-suggestions:{language}", lambda: _suggestions(language))


def _suggestions(language: str) -> list[GuideSuggestion]:
    guides = _in_language(Guide.objects.prefetch_related("steps").order_by("position"), language)
    return [
        GuideSuggestion(
            slug=guide.slug,
            title=guide.title,
            summary=guide.summary,
            words=f"{guide.title} {guide.summary} {guide.keywords}".lower(),
            article_slugs=frozenset(s.article_slug for s in guide.steps.all() if s.article_slug),
        )
        for guide in guides
    ]


def guide_search(*, query: str, language: str, limit: int = 2) -> list[GuideSuggestion]:
    """Guides whose title, summary or keywords hold every word searched for."""
    words = query.lower().split()
    if not words:
        return []
    found = [
        g for g in guide_suggestion_index(language=language) if all(w in g.words for w in words)
    ]
    return found[:limit]


def guides_for_article(*, article_slug: str, language: str) -> list[GuideSuggestion]:
    """Guides with a step that links the article, for the article page."""
    return [g for g in guide_suggestion_index(language=language) if article_slug in g.article_slugs]


def guide_run_get(*, token: str) -> GuideRun | None:
    if not token:
        return None
    return GuideRun.objects.filter(token=token).first()


def language_prefixed(path: str) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


def article_url(slug: str) -> str:
    try:
        return reverse("troubleshooting:article_detail", args=[slug])
    except NoReverseMatch:  # The knowledge base is not merged yet.
        return language_prefixed(f"/articles/{slug}/")


def return_form_url() -> str:
    try:
        return reverse("returns:return_create")
    except NoReverseMatch:  # The returns app is not merged yet.
        return language_prefixed("/returns/new/")


def guide_run_path_text(*, run: GuideRun | None) -> str:
    """The one place that turns a guide path into text for support (form, e-mail and admin)."""
    if run is None:
        return ""
    outcome = GuideRun.Outcome(run.outcome).label
    lines = [
        _("Guide: %(title)s (%(slug)s, %(language)s)")
        % {
            "title": run.guide.title if run.guide else run.guide_slug,
            "slug": run.guide_slug,
            "language": run.language,
        },
        _("Started: %(when)s")
        % {"when": date_format(timezone.localtime(run.started_at), "DATETIME_FORMAT")},
        _("Outcome: %(outcome)s") % {"outcome": outcome},
        _("Answers given:"),
    ]
    for number, entry in enumerate(run.path, start=1):
        lines.append(f"{number}. {entry['title']}")
        lines.append(f"   → {entry['answer']}")
    tried = [entry["title"] for entry in run.path if entry.get("kind") == "instruction"]
    if tried:
        lines.append(_("Fixes tried without success:"))
        lines.extend(f"- {title}" for title in tried if title)
    return "\n".join(lines)


@dataclass(frozen=True)
class ReportRow:
    guide_slug: str
    language: str
    started: int
    resolved: int
    escalated: int
    abandoned: int
    in_progress: int
    abandon_step: str
    abandon_step_count: int


def guide_report(
    *, started_from: datetime | None = None, started_before: datetime | None = None
) -> list[ReportRow]:
    """Per guide and language: how runs ended, and where abandoned runs stopped most.

    With ``started_from``/``started_before``, only the runs started in that time.
    """
    idle_since = timezone.now() - ABANDONED_AFTER
    abandoned = Q(outcome=GuideRun.Outcome.ABANDONED) | Q(
        outcome=GuideRun.Outcome.IN_PROGRESS, updated_at__lt=idle_since
    )
    runs = GuideRun.objects.all()
    if started_from is not None:
        runs = runs.filter(started_at__gte=started_from)
    if started_before is not None:
        runs = runs.filter(started_at__lt=started_before)
    totals = (
        runs.values("guide_slug", "language")
        .annotate(
            started=Count("pk"),
            resolved=Count("pk", filter=Q(outcome=GuideRun.Outcome.RESOLVED)),
            escalated=Count("pk", filter=Q(outcome=GuideRun.Outcome.ESCALATED)),
            abandoned=Count("pk", filter=abandoned),
        )
        .order_by("guide_slug", "language")
    )
    stops = (
        runs.filter(abandoned)
        .values("guide_slug", "language", "current_step_key")
        .annotate(count=Count("pk"))
    )
    most: dict[tuple[str, str], Counter[str]] = {}
    for stop in stops:
        counter = most.setdefault((stop["guide_slug"], stop["language"]), Counter())
        counter[stop["current_step_key"]] += stop["count"]
    rows = []
    for total in totals:
        counter = most.get((total["guide_slug"], total["language"]))
        step, count = counter.most_common(1)[0] if counter else ("", 0)
        rows.append(
            ReportRow(
                guide_slug=total["guide_slug"],
                language=total["language"],
                started=total["started"],
                resolved=total["resolved"],
                escalated=total["escalated"],
                abandoned=total["abandoned"],
                in_progress=total["started"]
                - total["resolved"]
                - total["escalated"]
                - total["abandoned"],
                abandon_step=step,
                abandon_step_count=count,
            )
        )
    return rows
