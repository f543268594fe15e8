"""Forms on shared pages carry no token: the browser's own word on where a post comes from."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from guides.loader import guide_load_file
from guides.models import Guide, GuideRun
from guides.selectors import guide_graph
from portal.settings import BASE_DIR

pytestmark = pytest.mark.django_db

STEP = "/guides/no-connection/wifi/"


@pytest.fixture
def first_answer() -> dict[str, str]:
    guide_load_file(path=Path(BASE_DIR / "content" / "guides" / "no-connection.yaml"))
    graph = guide_graph(guide=Guide.objects.get(slug="no-connection", language="en"))
    return {"choice": str(graph.steps["wifi"].choices[0].id), "run": ""}


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"origin": "https://evil.example"},
        {"origin": "null"},
    ],
)
def test_a_guide_answer_sent_from_another_site_is_refused(first_answer, headers):
    response = Client(enforce_csrf_checks=True).post(STEP, first_answer, headers=headers)

    assert response.status_code == 403
    assert not GuideRun.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "same-origin", "origin": "http://testserver"},
        {"origin": "http://testserver"},
        {},  # no browser: nobody's browser can be made to send it
    ],
)
def test_a_guide_answer_from_the_portal_itself_needs_no_token(first_answer, headers):
    response = Client(enforce_csrf_checks=True).post(STEP, first_answer, headers=headers)

    assert response.status_code == 302
    assert response["Location"].startswith("/guides/no-connection/icon/?run=")
    assert GuideRun.objects.count() == 1


def test_the_personal_forms_keep_their_csrf_token():
    response = Client(enforce_csrf_checks=True).post(
        "/returns/new/", {}, headers={"origin": "http://testserver"}
    )

    assert response.status_code == 403
