"""The step pages: one URL per step, htmx partials, going back, starting over, few queries."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from guides.models import Guide, GuideRun
from guides.selectors import guide_graph

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def choice_id(graph, key: str, label: str) -> int:
    return next(c.id for c in graph.steps[key].choices if c.label == label)


@pytest.fixture
def graph(load_guide):
    return guide_graph(guide=load_guide("no-connection")["en"])


def answer(client, graph, key, label, token="", **headers):
    return client.post(
        f"/guides/no-connection/{key}/",
        {"choice": choice_id(graph, key, label), "run": token},
        **headers,
    )


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["run"][0]


def test_the_list_shows_every_published_guide_in_the_merchants_language(client, load_guide):
    load_guide("no-connection")
    load_guide("developer-mode")

    page = client.get("/fr/guides/")

    assert "Le terminal n&#x27;a pas de connexion ou une connexion instable" in page.text
    assert 'href="/fr/guides/developer-mode/"' in page.text


def test_a_guide_not_yet_translated_is_shown_in_english(client, load_guide):
    load_guide("no-connection")
    Guide.objects.filter(slug="no-connection", language="nl").update(is_published=False)

    page = client.get("/nl/guides/no-connection/")

    assert "Is the terminal connected to Wi-Fi?" in page.text
    assert "Deze gids is nog niet vertaald" in page.text


def test_a_step_page_needs_two_queries_and_its_htmx_version_is_the_partial_alone(
    client, graph, django_assert_num_queries
):
    token = token_of(answer(client, graph, "wifi", "Yes, it is connected")["Location"])
    url = f"/guides/no-connection/icon/?run={token}"
    client.get(url)  # the guide's steps are read once and cached

    with django_assert_num_queries(2):  # the guide, the merchant's run
        full = client.get(url)
    with django_assert_num_queries(2):
        partial = client.get(url, **HTMX)

    assert "<html" in full.text
    assert 'id="guide-step"' in full.text
    assert partial.text.lstrip().startswith("<title>What colour is the internet icon")
    assert '<section id="guide-step"' in partial.text
    assert "<html" not in partial.text and "site-header" not in partial.text
    assert "<title>What colour is the internet icon on the terminal?" in partial.text
    assert "HX-Request" in partial["Vary"]


def test_a_cold_step_page_still_needs_few_queries(client, graph, django_assert_max_num_queries):
    cache.clear()

    with django_assert_max_num_queries(5):
        page = client.get("/guides/no-connection/icon/")

    assert page.status_code == 200


def test_answering_takes_a_fixed_number_of_queries(client, graph, django_assert_max_num_queries):
    client.get("/guides/no-connection/")

    # The first answer starts a run: 6 queries, and 5 more for the per-client count of new
    # runs in the database cache that rate limits share.
    with django_assert_max_num_queries(11):
        response = answer(client, graph, "wifi", "Yes, it is connected", **HTMX)

    assert response.status_code == 200


def test_htmx_history_restore_gets_the_whole_page(client, graph):
    page = client.get("/guides/no-connection/icon/", **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true")

    assert "<html" in page.text


def test_every_step_has_its_own_url_that_works_on_reload(client, graph):
    redirect = answer(client, graph, "wifi", "Yes, it is connected")

    assert redirect.status_code == 302
    assert redirect["Location"].startswith("/guides/no-connection/icon/?run=")
    reloaded = client.get(redirect["Location"])
    again = client.get(redirect["Location"])
    assert reloaded.status_code == again.status_code == 200
    assert GuideRun.objects.get().path[0]["answer"] == "Yes, it is connected"


def test_going_back_and_answering_differently_keeps_the_path_that_was_followed(client, graph):
    token = token_of(answer(client, graph, "wifi", "Yes, it is connected")["Location"])
    answer(client, graph, "icon", "Red", token)
    at_terminal_type = client.get(f"/guides/no-connection/terminal-type/?run={token}")
    assert f'href="/guides/no-connection/icon/?run={token}"' in at_terminal_type.text

    answer(client, graph, "icon", "Green", token)

    run = GuideRun.objects.get()
    assert [(e["step"], e["answer"]) for e in run.path] == [
        ("wifi", "Yes, it is connected"),
        ("icon", "Green"),
    ]
    assert run.current_step_key == "green"


def test_a_try_again_loop_is_recorded_in_order(client, graph):
    token = ""
    for key, label in [
        ("wifi", "Yes, it is connected"),
        ("icon", "Red"),
        ("terminal-type", "Another terminal"),
        ("improve-network", "Still not working"),
        ("still-failing", "Let me check the icon again"),
        ("icon", "Green"),
        ("green", "No, it works now"),
    ]:
        token = token_of(answer(client, graph, key, label, token)["Location"]) or token

    run = GuideRun.objects.get()
    assert [e["step"] for e in run.path] == [
        "wifi", "icon", "terminal-type", "improve-network", "still-failing", "icon", "green"
    ]  # fmt: skip
    assert run.outcome == GuideRun.Outcome.RESOLVED


def test_start_over_ends_the_run_as_abandoned_and_shows_the_first_question(client, graph):
    token = token_of(answer(client, graph, "wifi", "Yes, it is connected")["Location"])

    restarted = client.post("/guides/no-connection/", {"run": token}, **HTMX)

    assert restarted["HX-Push-Url"] == "/guides/no-connection/"
    assert "Is the terminal connected to Wi-Fi?" in restarted.text
    run = GuideRun.objects.get()
    assert run.outcome == GuideRun.Outcome.ABANDONED
    assert run.current_step_key == "icon"


def test_an_answer_that_is_not_offered_is_answered_in_words(client, graph):
    response = client.post("/guides/no-connection/wifi/", {"choice": "999999", "run": ""})

    assert response.status_code == 400
    assert "Please choose one of the answers below." in response.text
    assert GuideRun.objects.count() == 0


def test_unknown_guides_and_steps_are_not_found(client, graph):
    assert client.get("/guides/no-such-guide/").status_code == 404
    assert client.get("/guides/no-connection/no-such-step/").status_code == 404


def test_the_developer_mode_guide_warns_before_it_shows_any_steps(client, load_guide):
    load_guide("developer-mode")

    first = client.get("/guides/developer-mode/")

    assert "cannot be reverted" in first.text
    assert "no longer be PCI compliant" in first.text
    assert "TUSN" not in first.text


def test_a_step_links_its_article(client, graph):
    page = client.get("/nl/guides/no-connection/connect-wifi/")

    assert 'href="/nl/articles/connect-to-wifi/"' in page.text
