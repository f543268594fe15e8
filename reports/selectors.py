"""The figures of the report for one period: guides, searches and suggested articles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from guides.selectors import ReportRow, guide_report
from reports.models import SearchTally
from suggestions.models import SuggestionVisit
from troubleshooting.models import ZeroResultSearch

TOP = 10


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # the last day, included

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def bounds(self) -> tuple[datetime, datetime]:
        """From the first day's midnight to the midnight after the last, in the portal's time."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, zone),
            datetime.combine(self.end + timedelta(days=1), time.min, zone),
        )


@dataclass(frozen=True)
class Rate:
    part: int
    whole: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.part / self.whole) if self.whole else None


@dataclass(frozen=True)
class GuideLine:
    guide_slug: str
    language: str
    started: int
    resolved: Rate
    escalated: Rate
    abandoned: Rate
    give_up_step: str
    give_up_count: int


@dataclass(frozen=True)
class Deflection:
    shown: int
    opened: int
    sent: int
    deflected: int

    @property
    def rate(self) -> Rate:
        return Rate(self.deflected, self.shown)


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    guides: dict[tuple[str, str], GuideLine]
    searches: int
    top_queries: list[dict]
    zero_queries: list[dict]
    support_after_search: list[dict]
    deflection: Deflection


def _guide_line(row: ReportRow) -> GuideLine:
    return GuideLine(
        guide_slug=row.guide_slug,
        language=row.language,
        started=row.started,
        resolved=Rate(row.resolved, row.started),
        escalated=Rate(row.escalated, row.started),
        abandoned=Rate(row.abandoned, row.started),
        give_up_step=row.abandon_step,
        give_up_count=row.abandon_step_count,
    )


def report_figures(*, period: Period) -> PeriodFigures:
    since, before = period.bounds()
    rows = guide_report(started_from=since, started_before=before)
    tallies = SearchTally.objects.filter(day__gte=period.start, day__lte=period.end)
    top = list(
        tallies.values("query", "language").annotate(count=Sum("count")).order_by("-count", "query")
    )
    zero = list(
        ZeroResultSearch.objects.filter(last_searched_at__gte=since, last_searched_at__lt=before)
        .values("query", "language", "count")
        .order_by("-count", "query")[:TOP]
    )
    visits = SuggestionVisit.objects.filter(created_at__gte=since, created_at__lt=before)
    contacted = list(
        visits.exclude(search_query="")
        .filter(sent_at__isnull=False)
        .values("search_query", "language")
        .annotate(query=F("search_query"), count=Count("pk"))
        .order_by("-count", "search_query")[:TOP]
    )
    shown = Q(shown_count__gt=0)
    counts = visits.aggregate(
        shown=Count("pk", filter=shown),
        opened=Count("pk", filter=shown & Q(opened_count__gt=0)),
        sent=Count("pk", filter=shown & Q(sent_at__isnull=False)),
        deflected=Count("pk", filter=shown & Q(opened_count__gt=0, sent_at__isnull=True)),
    )
    return PeriodFigures(
        period=period,
        guides={(row.guide_slug, row.language): _guide_line(row) for row in rows},
        searches=sum(row["count"] for row in top),
        top_queries=top[:TOP],
        zero_queries=zero,
        support_after_search=contacted,
        deflection=Deflection(**counts),
    )
