"""One guard for every public form: robots, replays and floods get a clear answer and no mail."""

from __future__ import annotations

import time
import uuid

import pytest
from django.test import Client

from guard.forms import GuardedForm, form_stamp
from outbox.models import OutboxMessage
from returns.models import Return
from support.models import SupportRequest
from tests.guard.conftest import hidden_fields
from tests.support.helpers import support_form

pytestmark = pytest.mark.django_db
SUPPORT_URL = "/support/new/"
RETURN_URL = "/returns/new/"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.FORM_MIN_FILL_SECONDS = 3
    settings.FORM_MAX_AGE_SECONDS = 3600
    settings.SUPPORT_RATE_LIMIT = "1000/h"
    settings.RETURNS_RATE_LIMIT = "1000/h"


def shown(seconds_ago: float) -> dict[str, str]:
    fields = GuardedForm.guard_initial()
    key = fields["idempotency_key"]
    return {"idempotency_key": key, "started": form_stamp(key=key, now=time.time() - seconds_ago)}


def test_the_support_form_has_a_honeypot_that_robots_fill(client):
    page = client.post(SUPPORT_URL, support_form(website="http://spam.example") | shown(10))

    assert page.status_code == 400
    assert "Leave this field empty" in page.text
    assert not SupportRequest.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_support_form_sent_back_at_machine_speed_is_refused_and_kept(client):
    page = client.post(SUPPORT_URL, support_form() | shown(0))

    assert page.status_code == 400
    assert "quicker than we expected" in page.text
    assert 'value="Sanne de Vries"' in page.text
    assert not SupportRequest.objects.exists()


def test_a_form_open_too_long_is_shown_again_with_a_fresh_stamp_that_goes_through(client):
    page = client.post(SUPPORT_URL, support_form() | shown(3601))

    assert page.status_code == 400
    assert "open for a long time" in page.text
    fresh = page.context["form"].data
    assert fresh["started"] != ""
    # The fresh stamp is "now": a few seconds later the merchant sends the form again.
    again = client.post(
        SUPPORT_URL,
        support_form()
        | {"idempotency_key": fresh["idempotency_key"]}
        | {"started": form_stamp(key=fresh["idempotency_key"], now=time.time() - 5)},
    )
    assert again.status_code == 302


def test_a_stamp_cannot_be_replayed_with_another_idempotency_key(client, form_data):
    one_form = shown(10)
    stamps = [one_form | {"idempotency_key": str(uuid.uuid4())} for _ in range(5)]

    statuses = [client.post(RETURN_URL, form_data(**stamp)).status_code for stamp in stamps]

    assert statuses == [400] * 5
    assert not Return.objects.exists()


def test_a_replayed_stamp_with_its_own_key_files_one_return(client, form_data):
    one_form = shown(10)

    statuses = [client.post(RETURN_URL, form_data(**one_form)).status_code for _ in range(5)]

    assert statuses == [302] * 5
    assert Return.objects.count() == 1


def test_refused_robots_count_against_the_limit_too(client, settings):
    settings.SUPPORT_RATE_LIMIT = "3/h"
    for _ in range(3):
        client.post(SUPPORT_URL, support_form(website="spam") | shown(10))

    honest = client.post(SUPPORT_URL, support_form() | shown(10))

    assert honest.status_code == 429
    assert "we paused new ones" in honest.text


def test_the_confirmation_mail_echoes_nothing_a_stranger_could_have_typed(client):
    client.post(
        SUPPORT_URL,
        support_form(contact_name="Buy pills", description="Visit http://spam.example now")
        | shown(10),
    )

    to_merchant = OutboxMessage.objects.get(to="sanne@bakkerij.example")
    assert "spam.example" not in to_merchant.body_text
    assert "Buy pills" not in to_merchant.body_text


def test_a_description_has_a_stated_maximum(client):
    page = client.post(SUPPORT_URL, support_form(description="x" * 2001) | shown(10))

    assert page.status_code == 400
    assert "at most 2000 characters" in page.text


def test_the_honeypot_refusal_says_what_to_do():
    page = Client().post(SUPPORT_URL, support_form(website="http://spam.example") | shown(10))

    assert "Please leave the field “Leave this field empty” empty" in page.text


def test_a_form_shown_again_keeps_its_key_and_a_fresh_stamp_that_goes_through(client, settings):
    sent = support_form() | shown(0)
    page = client.post(SUPPORT_URL, sent)
    assert "quicker than we expected" in page.text

    fields = hidden_fields(page.text)
    assert fields["idempotency_key"] == sent["idempotency_key"]
    settings.FORM_MIN_FILL_SECONDS = 0  # the merchant takes a moment before sending again
    assert client.post(SUPPORT_URL, support_form() | fields).status_code == 302
    assert SupportRequest.objects.count() == 1


@pytest.mark.parametrize("key", ["", "k" * 64], ids=["no key", "not a key the portal made"])
def test_a_form_sent_without_a_usable_key_is_shown_again_ready_to_go_through(client, settings, key):
    page = client.post(SUPPORT_URL, support_form(idempotency_key=key, started=""))
    assert page.status_code == 400

    fields = hidden_fields(page.text)
    assert str(uuid.UUID(fields["idempotency_key"])) == fields["idempotency_key"]
    settings.FORM_MIN_FILL_SECONDS = 0
    assert client.post(SUPPORT_URL, support_form() | fields).status_code == 302


def test_a_robot_over_the_limit_gets_the_limit_notice(client, settings):
    settings.SUPPORT_RATE_LIMIT = "1/h"
    assert client.post(SUPPORT_URL, support_form() | shown(10)).status_code == 302

    robot = client.post(SUPPORT_URL, support_form(website="spam") | shown(10))

    assert robot.status_code == 429
    assert "we paused new ones" in robot.text
