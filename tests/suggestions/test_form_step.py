"""Without JavaScript: "Did one of these solve it?" before a request is stored, losing nothing."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guard.forms import GuardedForm
from returns.models import Return
from suggestions.models import SuggestionVisit
from support.models import SupportRequest
from tests.support.helpers import jpeg_bytes, support_form

pytestmark = pytest.mark.django_db

ATTACKED = "The screen says Attacked! and the terminal takes no payments any more"
SUPPORT_URL = "/support/new/"


def visit_token(page: str) -> str:
    return re.search(r'name="suggestion_visit" value="([^"]+)"', page).group(1)


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("screen.jpg", jpeg_bytes(), content_type="image/jpeg")


def test_without_javascript_the_form_offers_photos_on_the_next_step(client, content):
    page = client.get(SUPPORT_URL).text

    # Inside <noscript>: a browser with JavaScript neither loads the sheet nor shows the note.
    assert re.search(r"<noscript><link[^>]+suggestions/nojs[^>]*\.css", page)
    assert 'class="field suggestions-later"' in page
    assert "You can add photos or a short video on the next step." in page


def test_the_step_shows_the_suggestions_before_anything_is_stored(client, content):
    token = visit_token(client.get(SUPPORT_URL).text)
    details = support_form(description=ATTACKED, suggestion_visit=token)

    step = client.post(SUPPORT_URL, details)

    assert step.status_code == 200
    assert not SupportRequest.objects.exists()
    assert "Did one of these solve it?" in step.text
    assert f'href="/suggestions/open/article/tampering-alarm/?visit={token}"' in step.text
    assert 'target="_blank"' in step.text
    assert ">No, send my request</button>" in step.text
    # Everything typed is still in the form, and the files are asked for now.
    for value in ["10012345", "pb0123456789", "Sanne de Vries", "sanne@bakkerij.example"]:
        assert f'value="{value}"' in step.text
    assert ATTACKED in step.text
    assert "suggestions-later" not in step.text and 'type="file"' in step.text
    assert 'name="suggestions_checked" value="1"' in step.text
    assert SuggestionVisit.objects.get(token=token).shown_count == 1


def test_no_send_my_request_stores_it_with_its_photo_and_links_the_visit(client, content):
    token = visit_token(client.get(SUPPORT_URL).text)
    details = support_form(description=ATTACKED, suggestion_visit=token)
    client.post(SUPPORT_URL, details)

    sent = client.post(SUPPORT_URL, details | {"suggestions_checked": "1", "files": [photo()]})

    assert sent.status_code == 302
    request = SupportRequest.objects.get()
    assert request.description == ATTACKED and request.attachments.count() == 1
    visit = SuggestionVisit.objects.get(token=token)
    assert visit.support_request == request and visit.sent_at is not None


def test_files_chosen_on_the_first_page_skip_the_step_so_they_are_never_lost(client, content):
    token = visit_token(client.get(SUPPORT_URL).text)

    sent = client.post(
        SUPPORT_URL, support_form(description=ATTACKED, suggestion_visit=token, files=[photo()])
    )

    assert sent.status_code == 302
    assert SupportRequest.objects.get().attachments.count() == 1


def test_a_step_with_nothing_to_suggest_still_asks_for_photos(client, content):
    token = visit_token(client.get(SUPPORT_URL).text)

    step = client.post(
        SUPPORT_URL, support_form(description="Qwxz plorf blabber", suggestion_visit=token)
    )

    assert step.status_code == 200 and "Almost sent" in step.text
    assert not SupportRequest.objects.exists()
    assert not SuggestionVisit.objects.exists()  # nothing was shown


def test_errors_come_before_the_step_and_keep_what_was_typed(client, content):
    token = visit_token(client.get(SUPPORT_URL).text)

    page = client.post(
        SUPPORT_URL, support_form(description=ATTACKED, suggestion_visit=token, email="nope")
    )

    assert page.status_code == 400
    assert "Did one of these solve it?" not in page.text
    assert ATTACKED in page.text


def test_with_javascript_the_suggestions_were_beside_the_field_so_no_step(client, content):
    token = visit_token(client.get(SUPPORT_URL).text)

    sent = client.post(
        SUPPORT_URL,
        support_form(description=ATTACKED, suggestion_visit=token, suggestions_checked="1"),
    )

    assert sent.status_code == 302


def test_contact_support_from_a_search_remembers_the_query(client, content):
    results = client.get("/search/", {"q": "attacked"}).text
    assert 'href="/support/new/?q=attacked"' in results

    page = client.get(SUPPORT_URL, {"q": "attacked"}).text
    token = visit_token(page)
    client.post(
        SUPPORT_URL,
        support_form(
            description=ATTACKED,
            suggestion_visit=token,
            suggestions_checked="1",
            search_query="attacked",
        ),
    )

    assert SuggestionVisit.objects.get(token=token).search_query == "attacked"


def return_details(**overrides: str) -> dict[str, str]:
    return (
        {
            "account_id": "10012345",
            "serial_number": "P2-0123-4567",
            "terminal_model": "p2_smartpad",
            "ticket_reference": "172349",
            "reason": "display",
            "description": ATTACKED,
            "contact_name": "Sanne de Vries",
            "company_name": "Bakkerij De Vries",
            "email": "sanne@bakkerij.example.nl",
            "phone": "+31 20 123 4567",
            "street": "Damrak",
            "house_number": "12A",
            "postcode": "1012 LG",
            "city": "Amsterdam",
            "country": "NL",
        }
        | GuardedForm.guard_initial()
        | overrides
    )


def test_a_return_shows_the_step_in_dutch_and_is_filed_after_no(client, content):
    url = "/nl/returns/new/"
    token = visit_token(client.get(url).text)

    step = client.post(url, return_details(suggestion_visit=token))
    assert step.status_code == 200 and not Return.objects.exists()
    assert "Heeft een van deze het opgelost?" in step.text
    assert 'href="/nl/suggestions/open/article/tampering-alarm/' in step.text

    filed = client.post(url, return_details(suggestion_visit=token, suggestions_checked="1"))

    assert filed.status_code == 302
    rma = Return.objects.get()
    assert SuggestionVisit.objects.get(token=token).return_request == rma


def test_a_return_without_matching_articles_is_filed_at_once(client, content):
    url = reverse("returns:return_create")
    token = visit_token(client.get(url).text)

    filed = client.post(url, return_details(suggestion_visit=token, description=""))

    assert filed.status_code == 302
