"""Property-based: whatever a browser or a robot posts, the portal answers sanely."""

from __future__ import annotations

import pytest
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outbox.models import OutboxMessage
from returns.forms import ReturnForm
from returns.models import Return

pytestmark = pytest.mark.django_db

FIELDS = [*ReturnForm.Meta.fields, "website", "guide_checked", "idempotency_key", "started"]
# Text a browser can send: anything but lone surrogates, which no encoding can carry.
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<b>bold</b> & 'quotes'",
    "{{ settings.SECRET_KEY }}",
]
FREE_TEXT_FIELDS = ["description", "contact_name", "company_name", "street", "city"]
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@EXAMPLES
@given(data=st.dictionaries(st.sampled_from(FIELDS) | any_text, any_text, max_size=20))
def test_arbitrary_form_data_never_causes_a_server_error(client, data):
    response = client.post("/returns/new/", data)
    assert response.status_code in {200, 302, 400, 409, 429}


@EXAMPLES
@given(
    trigger=st.sampled_from(FIELDS) | any_text.filter(lambda s: "\n" not in s and "\r" not in s),
    data=st.dictionaries(st.sampled_from(FIELDS), any_text, max_size=16),
)
def test_arbitrary_inline_checks_never_cause_a_server_error(client, trigger, data):
    response = client.post(
        "/returns/new/", data, headers={"HX-Request": "true", "HX-Trigger-Name": trigger}
    )
    assert response.status_code in {200, 302, 400, 409, 429}


@EXAMPLES
@given(
    query=st.dictionaries(st.sampled_from(FIELDS) | any_text, any_text, max_size=10),
)
def test_arbitrary_prefill_parameters_never_cause_a_server_error(client, query):
    response = client.get("/returns/new/", query)
    assert response.status_code == 200


@EXAMPLES
@given(
    field=st.sampled_from(FREE_TEXT_FIELDS),
    markup=st.sampled_from(MARKUP),
    padding=st.text(st.characters(categories=["L", "N", "Zs"]), max_size=20),
)
def test_markup_in_any_field_is_shown_as_text_in_pages_and_emails(
    client, form_data, field, markup, padding
):
    Return.objects.all().delete()
    OutboxMessage.objects.all().delete()
    value = f"{padding}{markup}"[:100]

    response = client.post("/returns/new/", form_data(**{field: value}))

    assert response.status_code == 302, response.context["form"].errors
    rma = Return.objects.get()
    stored = getattr(rma, field)
    for url in (response["Location"], f"/returns/track/{rma.tracking_token}/"):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold" not in page
        if field != "description" and url.startswith("/returns/track/"):
            assert escape(stored) in page
    for message in OutboxMessage.objects.all():
        # Plain text only: mail clients show the markup as typed, never run it.
        assert message.body_html == ""
        assert "SECRET_KEY" not in message.body_text or "{{ settings.SECRET_KEY }}" in stored
        if field != "description" or message.to == "pos-support@example.com":
            assert stored in message.body_text


@EXAMPLES
@given(
    field=st.sampled_from(["email", "contact_name", "company_name", "serial_number", "city"]),
    injected=st.sampled_from(
        [
            "x@example.nl\r\nBcc: victim@example.com",
            "x@example.nl\nSubject: hacked",
            "Name\r\nBcc: victim@example.com",
            "ABC123\r\nCc: victim@example.com",
            "x@example.nl%0d%0aBcc:victim@example.com",
        ]
    ),
)
def test_line_breaks_in_any_field_cannot_add_mail_headers(client, form_data, field, injected):
    Return.objects.all().delete()
    OutboxMessage.objects.all().delete()

    client.post("/returns/new/", form_data(**{field: injected}))

    for message in OutboxMessage.objects.all():
        for header in (message.to, message.reply_to, message.subject):
            assert "\r" not in header and "\n" not in header
            assert "victim@example.com" not in header
            assert "hacked" not in header
