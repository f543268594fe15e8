"""Votes, missed searches and guide runs: one client dropping its cookie cannot inflate them."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from guides.models import GuideRun
from tests.guides.factories import GuideChoiceFactory, GuideStepFactory
from tests.troubleshooting.factories import ArticleFactory
from troubleshooting.models import ArticleFeedback, ZeroResultSearch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _three_an_hour(settings, django_db_blocker):
    settings.COUNTER_RATE_LIMIT = "3/h"
    with django_db_blocker.unblock():
        caches["ratelimit"].clear()


def test_votes_from_one_client_count_three_times_however_many_cookies_it_drops(client):
    article = ArticleFactory()
    for _ in range(6):
        client.cookies.clear()
        response = client.post(f"/articles/{article.slug}/feedback/", {"helpful": "yes"})
        assert response.status_code == 302

    assert ArticleFeedback.objects.count() == 3


def test_missed_searches_from_one_client_are_counted_three_times(client):
    for number in range(6):
        assert client.get("/search/", {"q": f"zzqx{number}"}).status_code == 200

    assert ZeroResultSearch.objects.count() == 3


def test_guide_runs_from_one_client_start_three_times_and_the_guide_still_works(client):
    start = GuideStepFactory(guide__slug="no-connection", key="start")
    end = GuideStepFactory(guide=start.guide, key="done", kind="resolved")
    choice = GuideChoiceFactory(step=start, next_step=end)
    for _ in range(6):
        response = client.post("/guides/no-connection/start/", {"choice": choice.pk})
        assert response.status_code == 302
        assert "/guides/no-connection/done/" in response["Location"]

    assert GuideRun.objects.count() == 3
