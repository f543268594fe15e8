from __future__ import annotations

import re

import pytest
from django.urls import reverse

from conversations.forms import MerchantReplyForm
from outbox.models import OutboxMessage
from returns.models import Return
from returns.services import return_transition
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db

CREATE_URL = "/returns/new/"
FIELD_NAMES = [
    "account_id",
    "serial_number",
    "ticket_reference",
    "reason",
    "description",
    "contact_name",
    "company_name",
    "email",
    "phone",
    "street",
    "house_number",
    "postcode",
    "city",
    "country",
]


def test_the_form_has_every_agreed_field_and_reason(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get(reverse("returns:return_create"))

    page = response.content.decode()
    assert response.status_code == 200
    for name in FIELD_NAMES:
        assert f'name="{name}"' in page
    for value in Return.Reason.values:
        assert f'value="{value}"' in page
    assert 'value="NL"' in page and 'value="BE"' in page
    assert 'name="idempotency_key"' in page


@pytest.mark.parametrize("prefix", ["", "/nl", "/fr"])
def test_the_form_is_served_in_each_language(client, prefix):
    response = client.get(f"{prefix}/returns/new/")
    assert response.status_code == 200


def test_query_parameters_fill_in_the_form(client):
    response = client.get(
        CREATE_URL,
        {"serial_number": "P2ABC123456", "reason": "printer", "country": "BE", "unknown": "x"},
    )

    form = response.context["form"]
    assert form["serial_number"].value() == "P2ABC123456"
    assert form["reason"].value() == "printer"
    assert 'value="P2ABC123456"' in response.content.decode()


def test_a_complete_return_is_stored_mailed_and_confirmed(client, form_data):
    response = client.post("/nl/returns/new/", form_data())

    rma = Return.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/nl/returns/submitted/{rma.tracking_token}/"
    assert rma.serial_number == "P201234567"
    assert rma.postcode == "1012 LG"
    assert rma.language == "nl"
    assert OutboxMessage.objects.filter(reference=rma.rma_number).count() == 2

    confirmation = client.get(response["Location"]).content.decode()
    assert rma.rma_number in confirmation
    assert f"/nl/returns/track/{rma.tracking_token}/" in confirmation


def test_filing_a_return_takes_at_most_twelve_queries(
    client, form_data, django_assert_max_num_queries
):
    # The repeat check, the open-return check, the return, its number and first history
    # entry, and each of the two e-mails with its delivery task, in one transaction.
    with django_assert_max_num_queries(12):
        response = client.post("/returns/new/", form_data())

    assert response.status_code == 302
    assert OutboxMessage.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("account_id", "", "This field is required."),
        ("account_id", "12ab", "4 to 12 digits"),
        ("serial_number", "", "This field is required."),
        ("serial_number", "ab#1", "6 to 32 letters and digits"),
        ("serial_number", "A" * 40, "6 to 32 letters and digits"),
        ("ticket_reference", "", "This field is required."),
        ("ticket_reference", "no!", "ticket reference"),
        ("reason", "", "This field is required."),
        ("reason", "boredom", "Select a valid choice."),
        ("description", "x" * 2001, "at most 2000 characters"),
        ("contact_name", "", "This field is required."),
        ("contact_name", "x" * 101, "at most 100 characters"),
        ("company_name", "", "This field is required."),
        ("email", "", "This field is required."),
        ("email", "sanne@", "Enter a valid email address."),
        ("phone", "call me", "phone number"),
        ("street", "", "This field is required."),
        ("house_number", "", "This field is required."),
        ("house_number", "A12", "house number"),
        ("postcode", "", "This field is required."),
        ("city", "", "This field is required."),
        ("country", "", "This field is required."),
        ("country", "DE", "Select a valid choice."),
        ("terminal_model", "toaster", "Select a valid choice."),
    ],
)
def test_each_field_explains_what_is_wrong_and_keeps_the_input(
    client, form_data, field, value, message
):
    data = form_data(**{field: value})

    response = client.post(CREATE_URL, data)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Return.objects.exists()
    page = response.content.decode()
    assert 'value="Bakkerij De Vries"' in page or field == "company_name"
    assert "field-invalid" in page


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("NL", "1012lg", "1012 LG"),
        ("NL", "1012 LG", "1012 LG"),
        ("NL", " 9999zz ", "9999 ZZ"),
        ("BE", "1000", "1000"),
        ("BE", "9990", "9990"),
    ],
)
def test_dutch_and_belgian_postcodes_are_accepted_and_normalised(
    client, form_data, country, typed, stored
):
    client.post(CREATE_URL, form_data(country=country, postcode=typed))

    assert Return.objects.get().postcode == stored


@pytest.mark.parametrize(
    ("country", "typed", "message"),
    [
        ("NL", "0123 AB", "Dutch postcode"),
        ("NL", "1234", "Dutch postcode"),
        ("NL", "1234 ABC", "Dutch postcode"),
        ("NL", "1000", "Dutch postcode"),
        ("BE", "999", "Belgian postcode"),
        ("BE", "10000", "Belgian postcode"),
        ("BE", "1012 LG", "Belgian postcode"),
    ],
)
def test_a_postcode_that_does_not_fit_the_country_is_refused(
    client, form_data, country, typed, message
):
    response = client.post(CREATE_URL, form_data(country=country, postcode=typed))

    assert message in " ".join(response.context["form"].errors["postcode"])
    assert not Return.objects.exists()


def test_an_open_return_for_the_same_terminal_is_named_but_not_shown(client, form_data):
    earlier = ReturnFactory(
        serial_number="P201234567", contact_name="Piet Geheim", email="piet@secret.example"
    )

    response = client.post(CREATE_URL, form_data(serial_number="p2 0123-4567"))

    page = response.content.decode()
    assert response.status_code == 409
    assert earlier.rma_number in page
    assert "Piet Geheim" not in page and "piet@secret.example" not in page
    assert Return.objects.count() == 1


def test_submitting_twice_makes_one_return_and_shows_the_same_confirmation(client, form_data):
    data = form_data()

    first = client.post(CREATE_URL, data)
    second = client.post(CREATE_URL, data)

    assert Return.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert OutboxMessage.objects.count() == 2


def test_a_filled_honeypot_saves_nothing_and_says_so_politely(client, form_data):
    response = client.post(CREATE_URL, form_data(website="http://spam.example"))

    assert response.status_code == 400
    assert "Leave this field empty" in response.content.decode()
    assert not Return.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_form_sent_back_too_fast_is_refused_politely_and_kept(client, form_data, settings):
    settings.FORM_MIN_FILL_SECONDS = 30

    response = client.post(CREATE_URL, form_data())

    page = response.content.decode()
    assert response.status_code == 400
    assert "quicker than we expected" in page
    assert 'value="Bakkerij De Vries"' in page
    assert not Return.objects.exists()


def test_a_form_without_its_start_stamp_is_treated_as_too_fast(client, form_data):
    response = client.post(CREATE_URL, form_data(started="forged"))
    assert response.status_code == 400
    assert not Return.objects.exists()


def test_too_many_returns_from_one_client_are_paused_with_a_clear_answer(
    client, form_data, settings
):
    settings.RETURNS_RATE_LIMIT = "2/h"
    for number in range(2):
        assert (
            client.post(CREATE_URL, form_data(serial_number=f"SERIAL{number:04d}")).status_code
            == 302
        )

    response = client.post(CREATE_URL, form_data(serial_number="SERIAL9999"))

    assert response.status_code == 429
    assert "try again in an hour" in response.content.decode()
    assert Return.objects.count() == 2
    other_client = client.post(
        CREATE_URL, form_data(serial_number="SERIAL8888"), REMOTE_ADDR="192.0.2.44"
    )
    assert other_client.status_code == 302


def test_a_field_is_checked_through_htmx_when_the_merchant_leaves_it(client, form_data):
    response = client.post(
        CREATE_URL,
        form_data(postcode="12"),
        headers={"HX-Request": "true", "HX-Trigger-Name": "postcode"},
    )

    fragment = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in fragment
    assert fragment.strip().startswith('<div class="field field-invalid" id="field-postcode">')
    assert "Dutch postcode" in fragment
    assert not Return.objects.exists()


def test_a_valid_field_checked_through_htmx_shows_no_error(client, form_data):
    response = client.post(
        CREATE_URL,
        form_data(email="ok@example.be"),
        headers={"HX-Request": "true", "HX-Trigger-Name": "email"},
    )
    assert "field-invalid" not in response.content.decode()


def test_each_field_asks_to_be_checked_when_left(client):
    page = client.get(CREATE_URL).content.decode()
    assert page.count('hx-post="/returns/new/"') >= len(FIELD_NAMES)
    assert 'hx-trigger="blur changed"' in page


@pytest.mark.parametrize(
    ("reason", "guide"),
    [("network", "/guides/no-connection/"), ("payment", "/guides/payment-declined/")],
)
def test_network_and_payment_reasons_show_the_matching_guide_first(
    client, form_data, reason, guide
):
    page = client.get(CREATE_URL, {"reason": reason}).content.decode()
    assert f'href="{guide}"' in page

    refused = client.post(CREATE_URL, form_data(reason=reason))
    assert refused.status_code == 200
    assert "try the guide first" in refused.content.decode()
    assert not Return.objects.exists()

    accepted = client.post(CREATE_URL, form_data(reason=reason, guide_checked="on"))
    assert accepted.status_code == 302


def test_the_guide_link_keeps_the_merchants_language(client):
    page = client.get("/fr/returns/new/", {"reason": "network"}).content.decode()
    assert 'href="/fr/guides/no-connection/"' in page


def test_choosing_network_through_htmx_brings_the_guide_without_scolding(client, form_data):
    response = client.post(
        CREATE_URL,
        form_data(reason="network"),
        headers={"HX-Request": "true", "HX-Trigger-Name": "reason"},
    )
    fragment = response.content.decode()
    assert "/guides/no-connection/" in fragment
    assert "try the guide first" not in fragment


def test_the_tracking_page_shows_the_timeline_and_what_to_do(client, django_assert_max_num_queries):
    rma = ReturnFactory(language="en")
    return_transition(rma=rma, to_status="approved", note="Use the original box, please.")

    # The return, its history and its conversation.
    with django_assert_max_num_queries(3):
        response = client.get(f"/returns/track/{rma.tracking_token}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert rma.rma_number in page
    assert "Approved" in page
    assert "Use the original box, please." in page
    assert "Teststraat 1, 1011 AA Amsterdam" in page
    assert "no-store" in response["Cache-Control"]


def test_an_rma_number_or_serial_is_no_way_into_a_return(client):
    rma = ReturnFactory()
    for guess in (rma.rma_number, rma.serial_number, str(rma.pk)):
        assert client.get(f"/returns/track/{guess}/").status_code == 404
        assert client.get(f"/returns/submitted/{guess}/").status_code == 404


def test_the_tracking_page_keeps_internal_notes_out(client):
    from returns.services import return_note_add

    rma = ReturnFactory()
    return_note_add(rma=rma, text="Merchant sounded angry")

    assert (
        "Merchant sounded angry"
        not in client.get(f"/returns/track/{rma.tracking_token}/").content.decode()
    )


def test_the_merchant_answers_supports_question_on_the_tracking_page(client):
    rma = ReturnFactory(language="en")
    return_transition(rma=rma, to_status="needs_info", note="Which message is on the screen?")
    page = client.get(f"/returns/track/{rma.tracking_token}/").content.decode()
    assert "Which message is on the screen?" in page

    response = client.post(
        f"/returns/track/{rma.tracking_token}/answer/",
        {"body": "It says 'Attacked!'"} | MerchantReplyForm.guard_initial(),
    )

    assert response.status_code == 302
    rma.refresh_from_db()
    assert rma.status == "submitted"
    to_support = OutboxMessage.objects.get(to="pos-support@example.com")
    assert "It says 'Attacked!'" in to_support.body_text
    assert rma.rma_number in to_support.subject
    page = client.get(response["Location"]).content.decode()
    assert "Support received your message" in page
    assert "It says &#x27;Attacked!&#x27;" in page


def test_an_empty_answer_is_refused_with_the_page_kept(client):
    rma = ReturnFactory(status="needs_info")
    response = client.post(
        f"/returns/track/{rma.tracking_token}/answer/",
        {"body": ""} | MerchantReplyForm.guard_initial(),
    )
    assert response.status_code == 400
    rma.refresh_from_db()
    assert rma.status == "needs_info"


def test_the_merchant_can_cancel_until_the_terminal_is_received(client):
    rma = ReturnFactory(status="approved")
    refused = client.post(f"/returns/track/{rma.tracking_token}/cancel/", {})
    assert refused.status_code == 400
    assert "Tick the box" in refused.content.decode()

    response = client.post(f"/returns/track/{rma.tracking_token}/cancel/", {"confirm": "on"})

    rma.refresh_from_db()
    assert response.status_code == 302
    assert rma.status == "cancelled"
    assert OutboxMessage.objects.filter(to="pos-support@example.com").count() == 1
    assert OutboxMessage.objects.filter(to=rma.email).count() == 1


def test_a_received_terminal_cannot_be_cancelled_by_the_merchant(client):
    rma = ReturnFactory(status="received")
    assert (
        "Cancel this return"
        not in client.get(f"/returns/track/{rma.tracking_token}/").content.decode()
    )

    client.post(f"/returns/track/{rma.tracking_token}/cancel/", {"confirm": "on"})

    rma.refresh_from_db()
    assert rma.status == "received"
    assert not OutboxMessage.objects.exists()


def test_a_postcode_before_the_country_is_chosen_may_be_either_countrys(client, form_data):
    response = client.post(
        CREATE_URL,
        form_data(country="", postcode="12"),
        headers={"HX-Request": "true", "HX-Trigger-Name": "postcode"},
    )
    assert "Dutch postcode like 1234 AB or a Belgian one" in response.content.decode()

    response = client.post(
        CREATE_URL,
        form_data(country="", postcode="9000"),
        headers={"HX-Request": "true", "HX-Trigger-Name": "postcode"},
    )
    assert "field-invalid" not in response.content.decode()


def test_optional_fields_say_so(client):
    page = client.get(CREATE_URL).content.decode()
    assert "Phone number (optional)" in page
    assert "Description (optional)" in page


def test_filing_a_return_takes_a_fixed_number_of_queries(
    client, form_data, django_assert_max_num_queries
):
    client.post(CREATE_URL, form_data(serial_number="WARMUP0001"))

    with django_assert_max_num_queries(32) as captured:
        response = client.post(CREATE_URL, form_data(serial_number="COUNTED0001"))

    assert response.status_code == 302
    first_count = len(captured)
    with django_assert_max_num_queries(first_count):
        client.post(CREATE_URL, form_data(serial_number="COUNTED0002", description="x" * 1000))


def test_a_new_return_reads_well_in_lists():
    assert str(Return()) == "New return"
    assert str(ReturnFactory(rma_number="RMA-000042")) == "RMA-000042"


def test_a_guide_may_give_the_country_in_lower_case(client):
    response = client.get(CREATE_URL, {"country": "be"})
    assert re.search(r'<input [^>]*value="BE"[^>]*checked', response.content.decode())


def test_line_breaks_in_one_line_details_become_spaces(client, form_data):
    client.post(CREATE_URL, form_data(contact_name="Sanne\r\nde  Vries", city="Den\nHaag"))

    rma = Return.objects.get()
    assert (rma.contact_name, rma.city) == ("Sanne de Vries", "Den Haag")


def test_a_shipped_replacement_shows_its_tracking_code_and_the_activation_guide(client):
    rma = ReturnFactory(status="received", language="nl")
    return_transition(rma=rma, to_status="replacement_shipped", tracking_code="3SPOST123")

    page = client.get(f"/nl/returns/track/{rma.tracking_token}/").content.decode()

    assert "3SPOST123" in page
    assert 'href="/nl/guides/activate-terminal/"' in page


def test_the_confirmation_page_does_not_show_the_address_that_was_typed(client, form_data):
    sent = client.post(CREATE_URL, form_data(email="someone.else@example.org"))

    page = client.get(sent["Location"]).content.decode()
    assert "someone.else@example.org" not in page
    assert Return.objects.get().rma_number in page
