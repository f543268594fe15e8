"""Every bundled guide, in every language, through every path, as a merchant would click it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from guides.models import GuideRun, GuideStep
from guides.selectors import GuideGraph, guide_graph

from .conftest import BUNDLED_SLUGS

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def every_path(graph: GuideGraph) -> list[list[tuple[str, int]]]:
    """All walks from the start to an outcome that use no answer twice (so loops end)."""
    paths: list[list[tuple[str, int]]] = []

    def walk(key: str, taken: list[tuple[str, int]]) -> None:
        step = graph.steps[key]
        if step.is_outcome:
            paths.append(taken)
            return
        for choice in step.choices:
            if (key, choice.id) not in taken:
                walk(choice.next_key, [*taken, (key, choice.id)])

    walk(graph.start_key, [])
    return paths


def run_token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["run"][0]


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("language", ["en", "nl", "fr"])
@pytest.mark.parametrize("slug", BUNDLED_SLUGS)
def test_every_path_of_every_bundled_guide_ends_in_a_valid_outcome(
    client, load_guide, slug, language, htmx
):
    guide = load_guide(slug)[language]
    graph = guide_graph(guide=guide)
    headers = HTMX if htmx else {}
    paths = every_path(graph)
    assert paths, "a bundled guide must have at least one path"
    outcomes_seen = set()

    for path in paths:
        with translation.override(language):
            start_url = reverse("guides:guide_start", args=[slug])
        page = client.get(start_url, **headers)
        assert page.status_code == 200
        assert escape(graph.steps[graph.start_key].title) in page.text
        token = ""
        for key, choice_id in path:
            with translation.override(language):
                step_url = reverse("guides:guide_step", args=[slug, key])
            answer = client.post(step_url, {"choice": choice_id, "run": token}, **headers)
            if htmx:
                # The next step comes back in place: the partial alone, with its URL to push.
                assert answer.status_code == 200
                assert "<html" not in answer.text
                assert answer.text.lstrip().startswith("<title>")
                assert '<section id="guide-step"' in answer.text
                next_url = answer["HX-Push-Url"]
            else:
                assert answer.status_code == 302
                next_url = answer["Location"]
                answer = client.get(next_url)
                assert answer.status_code == 200
                assert "<html" in answer.text
            assert next_url.startswith("/" if language == "en" else f"/{language}/guides/")
            token = run_token_of(next_url)

        final = graph.steps[path[-1][0]].choices
        last_key = next(c.next_key for c in final if c.id == path[-1][1])
        outcome = graph.steps[last_key]
        assert outcome.is_outcome
        assert escape(outcome.title) in answer.text
        run = GuideRun.objects.get(token=token)
        assert [entry["step"] for entry in run.path] == [key for key, _ in path]
        assert run.language == language
        assert run.finished_at is not None
        if outcome.kind == GuideStep.Kind.RESOLVED:
            assert run.outcome == GuideRun.Outcome.RESOLVED
        else:
            assert run.outcome == GuideRun.Outcome.ESCALATED
        if outcome.kind == GuideStep.Kind.SUPPORT:
            assert f"/support/new/?run={token}" in answer.text
        if outcome.kind == GuideStep.Kind.RETURN:
            assert "returns/new/" in answer.text
            assert f'name="reason" value="{outcome.return_reason}"' in answer.text
            assert 'name="ticket_reference" required' in answer.text
        outcomes_seen.add(outcome.kind)

    assert GuideStep.Kind.SUPPORT in outcomes_seen  # every guide can hand over to support
