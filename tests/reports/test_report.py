"""The report support acts on, against known data: a period, the one before, bad dates."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guides.models import GuideRun
from reports.models import SearchTally
from reports.search_counts import search_counts_flush
from reports.selectors import Period, report_figures
from suggestions.models import SuggestionVisit
from tests.guides.factories import GuideRunFactory
from troubleshooting.models import ZeroResultSearch

pytestmark = pytest.mark.django_db

Outcome = GuideRun.Outcome
NOVEMBER = {"start": "2026-11-01", "end": "2026-11-10"}


def at(day: date) -> datetime:
    return datetime.combine(day, time(12), timezone.get_current_timezone())


def run(day: date, outcome: str = Outcome.IN_PROGRESS, step: str = "icon", **extra) -> None:
    GuideRunFactory(
        started_at=at(day), updated_at=at(day), outcome=outcome, current_step_key=step, **extra
    )


def visit(day: date, *, shown=0, opened=0, sent=False, query="") -> None:
    SuggestionVisit.objects.create(
        token=f"t{SuggestionVisit.objects.count():023d}",
        form="support",
        language="en",
        created_at=at(day),
        shown_count=shown,
        opened_count=opened,
        sent_at=at(day) if sent else None,
        search_query=query,
    )


def zero(query: str, day: date, count: int) -> None:
    found = ZeroResultSearch.objects.create(language="en", query=query, count=count)
    ZeroResultSearch.objects.filter(pk=found.pk).update(last_searched_at=at(day))


@pytest.fixture
def known_data() -> None:
    nov, octo = date(2026, 11, 3), date(2026, 10, 25)
    # This period: 6 runs of no-connection in English; two give up at "icon", silently.
    for outcome in [Outcome.RESOLVED, Outcome.RESOLVED, Outcome.ESCALATED]:
        run(nov, outcome)
    run(nov, Outcome.ABANDONED, step="wifi")
    run(nov, step="icon")
    run(date(2026, 11, 10), step="icon")
    run(nov, Outcome.RESOLVED, language="nl")
    # The ten days before: one resolved, one abandoned.
    run(octo, Outcome.RESOLVED)
    run(octo, Outcome.ABANDONED, step="wifi")
    run(date(2026, 9, 1), Outcome.ESCALATED)  # in neither period
    SearchTally.objects.create(day=date(2026, 11, 2), language="en", query="attacked", count=5)
    SearchTally.objects.create(day=date(2026, 11, 9), language="en", query="attacked", count=3)
    SearchTally.objects.create(day=date(2026, 11, 9), language="en", query="wifi", count=4)
    SearchTally.objects.create(day=date(2026, 10, 30), language="en", query="printer", count=7)
    zero("printer on fire", nov, 3)
    zero("bon kwijt", octo, 2)
    for _ in range(3):
        visit(nov, shown=1, opened=1)  # opened a suggestion and sent nothing: deflected
    visit(nov, shown=2, opened=1, sent=True)
    visit(nov, shown=1, sent=True)
    visit(nov, sent=True, query="attacked")
    visit(nov, sent=True, query="attacked")
    visit(nov, sent=True, query="wifi")
    visit(octo, shown=1, opened=1, sent=True)
    visit(octo, shown=1)


def test_the_figures_of_a_period_and_the_one_before(known_data):
    period = Period(date(2026, 11, 1), date(2026, 11, 10))
    now, before = report_figures(period=period), report_figures(period=period.previous())

    assert before.period == Period(date(2026, 10, 22), date(2026, 10, 31))
    english = now.guides[("no-connection", "en")]
    assert english.started == 6
    assert (english.resolved.percent, english.escalated.percent) == (33, 17)
    assert (english.abandoned.part, english.abandoned.percent) == (3, 50)
    assert (english.give_up_step, english.give_up_count) == ("icon", 2)
    assert now.guides[("no-connection", "nl")].resolved.percent == 100
    earlier = before.guides[("no-connection", "en")]
    assert (earlier.started, earlier.resolved.percent, earlier.give_up_step) == (2, 50, "wifi")
    assert [(q["query"], q["count"]) for q in now.top_queries] == [("attacked", 8), ("wifi", 4)]
    assert now.searches == 12 and before.searches == 7
    assert [q["query"] for q in now.zero_queries] == ["printer on fire"]
    assert [q["query"] for q in before.zero_queries] == ["bon kwijt"]
    assert [(q["query"], q["count"]) for q in now.support_after_search] == [
        ("attacked", 2),
        ("wifi", 1),
    ]
    assert (now.deflection.shown, now.deflection.opened) == (5, 4)
    assert (now.deflection.sent, now.deflection.deflected) == (2, 3)
    assert now.deflection.rate.percent == 60
    assert before.deflection.rate.percent == 0


def test_the_report_page_shows_both_periods_in_the_admins_language(admin_client, known_data):
    page = admin_client.get(
        reverse("admin:reports_report_changelist"), NOVEMBER, HTTP_ACCEPT_LANGUAGE="nl"
    )

    assert page.status_code == 200
    assert "Van 1 november 2026 tot 10 november 2026" in page.text
    assert "vergeleken met 22 oktober 2026 tot 31 oktober 2026" in page.text
    assert "60%" in page.text  # deflection rate
    assert "icon (2)" in page.text
    assert "<q>printer on fire</q>" in page.text


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "From 1 November 2026 to 10 November 2026"), ("fr", "Du 1 novembre 2026 au 10")],
)
def test_the_dates_follow_the_admins_language(admin_client, language, expected):
    page = admin_client.get(
        reverse("admin:reports_report_changelist"), NOVEMBER, HTTP_ACCEPT_LANGUAGE=language
    )

    assert expected in page.text


def test_without_dates_the_report_shows_the_last_four_weeks(admin_client):
    page = admin_client.get(reverse("admin:reports_report_changelist"))

    today = timezone.localdate()
    assert page.status_code == 200
    assert f'value="{today:%Y-%m-%d}"' in page.text


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ({"start": "2026-11-10", "end": "2026-11-01"}, "The last day is before the first day"),
        ({"start": "31-31-2026", "end": "2026-11-01"}, "Enter a date like 2026-03-31."),
        ({"start": "yesterday';--", "end": "\x00"}, "Enter a date like 2026-03-31."),
        ({"start": "2020-01-01", "end": "2026-11-01"}, "Choose at most 366 days"),
        ({"start": "0001-01-01", "end": "0001-01-02"}, "Choose a date between 2000 and next year."),
        ({"start": "2026-11-01"}, "Choose the last day."),
    ],
)
def test_bad_dates_get_a_clear_message_and_keep_what_was_typed(admin_client, dates, message):
    page = admin_client.get(reverse("admin:reports_report_changelist"), dates)

    assert page.status_code == 400
    assert message in page.text
    if "yesterday" not in dates["start"]:
        assert f'value="{dates["start"]}"' in page.text
    assert 'id="report-deflection"' not in page.text


@pytest.fixture(params=["memory", "redis"])
def counting_cache(request, settings):
    """The tests' own cache, and the shared Redis that production counts in."""
    if request.param == "redis":
        settings.CACHES = settings.CACHES | {
            "default": {
                "BACKEND": "portal.cache.RedisCache",
                # A database of its own: clearing the cache empties the whole database.
                "LOCATION": "redis://127.0.0.1:6379/14",
                "KEY_PREFIX": f"test-counts-{uuid.uuid4().hex[:12]}",
            }
        }
    yield
    cache.clear()


def test_searches_are_counted_even_when_the_page_cache_answers(
    client, bundled_content, counting_cache
):
    cache.clear()
    first = client.get("/search/", {"q": "attacked"})
    second = Client().get("/search/", {"q": "attacked"})  # another visitor
    client.get("/search/", {"q": "Attacked!"})  # the same search, written otherwise
    client.get("/nl/search/", {"q": "sabotage"})
    # Live results while typing are not searches yet.
    client.get("/search/", {"q": "attac"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-live")

    # The shared page is the same bytes for everyone, the way to support with its query too.
    assert second.content == first.content
    assert b'href="/support/new/?q=attacked"' in first.content
    assert second.get("X-Page-Cache") == "hit"
    assert search_counts_flush() == 2
    assert search_counts_flush() == 0  # nothing new: nothing written
    today = timezone.localdate()
    counts = {(t.language, t.query): t.count for t in SearchTally.objects.filter(day=today)}
    assert counts == {("en", "attacked"): 3, ("nl", "sabotage"): 1}


def test_the_report_takes_the_same_few_queries_however_much_data(
    admin_client, known_data, django_assert_num_queries
):
    for day in range(1, 11):
        run(date(2026, 11, day), Outcome.RESOLVED, guide_slug=f"guide-{day}")
        visit(date(2026, 11, day), shown=1, opened=1, query=f"query {day}", sent=True)

    # The session and the user, then six for each period.
    with django_assert_num_queries(14):
        page = admin_client.get(reverse("admin:reports_report_changelist"), NOVEMBER)

    assert page.status_code == 200 and "guide-10" in page.text
