"""Articles suggested beside the description while a merchant writes, and what is recorded."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from suggestions.models import SuggestionVisit
from suggestions.selectors import suggestions_for_text

pytestmark = pytest.mark.django_db

ATTACKED = "The screen says Attacked! and the terminal takes no payments any more"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "suggestions-live"}


def visit_token(page: str) -> str:
    return re.search(r'name="suggestion_visit" value="([^"]+)"', page).group(1)


def test_a_description_about_the_attacked_screen_suggests_the_tampering_alarm(content):
    found = suggestions_for_text(text=ATTACKED, language="en")

    assert found[0].kind == "article" and found[0].slug == "tampering-alarm"
    assert ("guide", "tampering-alarm") in [(s.kind, s.slug) for s in found]
    assert len(found) <= 3


def test_a_few_letters_suggest_nothing_yet(content):
    assert suggestions_for_text(text="my t", language="en") == []


def test_the_form_page_asks_for_suggestions_as_the_merchant_types(client, content):
    page = client.get(reverse("support:support_request_create")).text

    live = re.search(r'<div id="suggestions-live"[^>]*>', page, re.S).group(0)
    assert 'hx-get="/suggestions/?form=support&amp;visit=' in live
    assert "keyup changed delay:500ms from:#id_description" in live
    assert 'hx-sync="this:replace"' in live and 'hx-include="#id_description"' in live
    # Each visit of the form has its own token; the page is private.
    again = client.get(reverse("support:support_request_create"))
    assert visit_token(page) != visit_token(again.text)
    assert "private" in again["Cache-Control"]


def test_the_fragment_shows_three_matches_and_records_that_they_were_shown(client, content):
    url = reverse("suggestions:suggestion_list")
    params = {"form": "support", "visit": "v" * 24, "description": ATTACKED}

    fragment = client.get(url, params, **HTMX)
    client.get(url, params, **HTMX)

    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert 'href="/suggestions/open/article/tampering-alarm/?visit=vvvvvvvvvvvvvvvvvvvvvvvv"' in (
        fragment.text
    )
    assert fragment.text.count("<li>") == 3
    assert 'name="suggestions_checked"' in fragment.text
    assert "no-cache" in fragment["Cache-Control"]
    visit = SuggestionVisit.objects.get()
    assert (visit.form, visit.shown_count, visit.sent_at) == ("support", 2, None)


def test_the_fragment_is_a_whole_page_without_htmx(client, content):
    page = client.get(
        reverse("suggestions:suggestion_list"), {"description": ATTACKED, "visit": "x" * 24}
    )

    assert "<html" in page.text and "Tampering alarm" in page.text


def test_the_suggestions_endpoint_makes_a_fixed_number_of_queries(
    client, content, django_assert_num_queries
):
    url = reverse("suggestions:suggestion_list")
    params = {"form": "return", "visit": "q" * 24, "description": ATTACKED}
    client.get(url, params, **HTMX)  # search results and guides are cached from here on

    # One update of the visit's count; a new visit adds its insert (in a savepoint).
    with django_assert_num_queries(1):
        client.get(url, params, **HTMX)
    with django_assert_num_queries(4):
        client.get(url, params | {"visit": "n" * 24}, **HTMX)
    with django_assert_num_queries(0):
        client.get(url, params | {"description": "help"}, **HTMX)


def test_opening_a_suggestion_is_recorded_and_leads_to_the_article(client, content):
    SuggestionVisit.objects.create(token="o" * 24, form="support", language="en", shown_count=1)

    opened = client.get("/suggestions/open/article/tampering-alarm/", {"visit": "o" * 24})
    guide = client.get("/nl/suggestions/open/guide/tampering-alarm/", {"visit": "o" * 24})

    assert opened.status_code == 302 and opened["Location"] == "/articles/tampering-alarm/"
    assert guide["Location"] == "/nl/guides/tampering-alarm/"
    visit = SuggestionVisit.objects.get()
    assert (visit.opened_count, visit.opened) == (2, "guide:tampering-alarm")


@pytest.mark.parametrize(
    "path", ["/suggestions/open/page/x/", "/suggestions/open/article/..%2Fadmin/"]
)
def test_the_redirect_only_leads_to_articles_and_guides(client, path):
    assert client.get(path, {"visit": "o" * 24}).status_code == 404


def test_garbage_tokens_and_forms_record_nothing_and_never_fail(client, content):
    url = reverse("suggestions:suggestion_list")

    answer = client.get(url, {"form": "<x>", "visit": "'; drop", "description": ATTACKED}, **HTMX)

    assert answer.status_code == 200 and "Tampering alarm" in answer.text
    assert not SuggestionVisit.objects.exists()
