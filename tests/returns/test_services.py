from __future__ import annotations

import itertools
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation

from outbox.models import OutboxMessage
from returns.models import ALLOWED_TRANSITIONS, OPEN_STATUSES, Return, ReturnStatusChange
from returns.services import (
    ReturnDuplicate,
    ReturnTransitionIncomplete,
    ReturnTransitionNotAllowed,
    return_create,
    return_merchant_cancel,
    return_note_add,
    return_transition,
)
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db

S = Return.Status
ALLOWED = [(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets]
FORBIDDEN = [(a, b) for a, b in itertools.product(S.values, S.values) if (a, b) not in set(ALLOWED)]
# What each step needs from the agent, as the admin would pass it.
DETAILS = {
    S.REJECTED: {"reason": "The warranty ended in 2023."},
    S.REPLACEMENT_SHIPPED: {"tracking_code": "3SABCD1234567"},
    S.NEEDS_INFO: {"note": "Please send a photo of the screen."},
}
# A phrase from each merchant e-mail, in Dutch: the merchant's language in the factory.
DUTCH_EMAIL_PHRASES = {
    S.APPROVED: "Teststraat 1, 1011 AA Amsterdam",
    S.NEEDS_INFO: "Please send a photo of the screen.",
    S.REJECTED: "The warranty ended in 2023.",
    S.RECEIVED: "RMA-",
    S.REPLACEMENT_SHIPPED: "3SABCD1234567",
    S.CANCELLED: "RMA-",
}
# The subject of each merchant e-mail, in English.
EMAIL_SUBJECTS = {
    S.APPROVED: "Your return {} is approved: how to send the terminal",
    S.NEEDS_INFO: "Your return {}: we need more information",
    S.REJECTED: "Your return {} was not approved",
    S.RECEIVED: "Your return {}: we received your terminal",
    S.REPLACEMENT_SHIPPED: "Your return {}: your replacement terminal is on its way",
    S.CANCELLED: "Your return {} is cancelled",
}


def exactly(message: str) -> str:
    """A `match` pattern for the whole message, not a part of it."""
    return f"^{re.escape(message)}$"


@pytest.fixture(autouse=True)
def _in_english():
    # Refusals are worded in the language of the request that caused them; here, English.
    with translation.override("en"):
        yield


def create(**overrides) -> tuple[Return, bool]:
    fields = {
        "account_id": "10012345",
        "serial_number": "p2-0123 4567",
        "reason": "display",
        "ticket_reference": "172349",
        "contact_name": "Sanne de Vries",
        "company_name": "Bakkerij De Vries",
        "email": "sanne@example.nl",
        "street": "Damrak",
        "house_number": "12A",
        "postcode": "1012 LG",
        "city": "Amsterdam",
        "country": "NL",
        "language": "nl",
    } | overrides
    return return_create(**fields)


def test_a_filed_return_gets_an_rma_number_from_its_key_and_a_history_entry():
    first, created = create()
    second, _ = create(serial_number="ABC123456")

    assert created
    assert first.rma_number == f"RMA-{first.pk:06d}"
    assert second.rma_number == f"RMA-{second.pk:06d}"
    assert first.serial_number == "P201234567"
    assert list(first.status_changes.values_list("from_status", "to_status")) == [("", "submitted")]


def test_the_tracking_token_is_long_random_and_unique():
    first, _ = create()
    second, _ = create(serial_number="ABC123456")

    assert len(first.tracking_token) >= 43  # 32 random bytes in URL-safe base64: 256 bits
    assert first.tracking_token != second.tracking_token
    assert first.rma_number not in first.tracking_token


def test_filing_queues_one_message_for_support_and_one_for_the_merchant_in_their_language():
    rma, _ = create(language="fr")

    support, merchant = (
        OutboxMessage.objects.get(to="pos-support@example.com"),
        OutboxMessage.objects.get(to="sanne@example.nl"),
    )
    assert rma.rma_number in support.subject
    assert f"https://help.example.com/admin/returns/return/{rma.pk}/change/" in support.body_text
    for detail in ("10012345", "P201234567", "172349", "Bakkerij De Vries", "1012 LG"):
        assert detail in support.body_text
    assert support.reply_to == "sanne@example.nl"
    assert merchant.language == "fr"
    assert f"https://help.example.com/fr/returns/track/{rma.tracking_token}/" in merchant.body_text
    assert rma.rma_number in merchant.subject


def test_the_same_submission_twice_makes_one_return():
    key = uuid.uuid4()
    first, created_first = create(idempotency_key=key)
    again, created_again = create(idempotency_key=key)

    assert (created_first, created_again) == (True, False)
    assert again.pk == first.pk
    assert Return.objects.count() == 1
    assert OutboxMessage.objects.count() == 2


def test_a_second_open_return_for_a_terminal_is_refused_with_only_its_rma_number():
    first, _ = create()

    with pytest.raises(ReturnDuplicate) as refused:
        create(serial_number="P2 0123-4567", email="someone.else@example.be")

    assert refused.value.rma_number == first.rma_number
    assert str(refused.value) == (
        f"An open return already exists for this terminal: {first.rma_number}."
    )
    assert Return.objects.count() == 1


def test_a_terminal_can_be_returned_again_once_its_return_is_over():
    first, _ = create()
    return_transition(rma=first, to_status=S.CANCELLED)

    again, created = create()

    assert created
    assert again.pk != first.pk


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_every_allowed_step_is_recorded_and_announced_where_it_matters(from_status, to_status):
    agent = get_user_model().objects.create_user("agent")
    rma = ReturnFactory(status=from_status)

    change = return_transition(
        rma=rma, to_status=to_status, by_user=agent, **DETAILS.get(to_status, {})
    )

    rma.refresh_from_db()
    assert rma.status == to_status
    assert (change.from_status, change.to_status, change.changed_by) == (
        from_status,
        to_status,
        agent,
    )
    assert change.note == DETAILS.get(to_status, {}).get("note", "")
    messages = list(OutboxMessage.objects.filter(to=rma.email))
    if to_status in DUTCH_EMAIL_PHRASES:
        (message,) = messages
        assert message.language == "nl"
        assert rma.rma_number in message.subject
        assert DUTCH_EMAIL_PHRASES[to_status] in message.body_text
        assert "Beste" in message.body_text or "Geachte" in message.body_text
    else:
        assert messages == []


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN)
def test_every_forbidden_step_raises_and_changes_nothing(from_status, to_status):
    rma = ReturnFactory(status=from_status)
    before = rma.status_changed_at

    refusal = f"A return cannot go from “{S(from_status).label}” to “{S(to_status).label}”."
    with pytest.raises(ReturnTransitionNotAllowed, match=exactly(refusal)):
        return_transition(rma=rma, to_status=to_status, **DETAILS.get(to_status, {}))

    rma.refresh_from_db()
    assert (rma.status, rma.status_changed_at) == (from_status, before)
    assert not ReturnStatusChange.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_an_unknown_status_is_refused_by_its_name():
    rma = ReturnFactory()
    with pytest.raises(
        ReturnTransitionNotAllowed,
        match=exactly("A return cannot go from “Submitted” to “lost_in_space”."),
    ):
        return_transition(rma=rma, to_status="lost_in_space")


def test_a_return_whose_status_the_workflow_does_not_know_cannot_move():
    rma = ReturnFactory(status="archived")
    with pytest.raises(
        ReturnTransitionNotAllowed,
        match=exactly("A return cannot go from “archived” to “Cancelled”."),
    ):
        return_transition(rma=rma, to_status=S.CANCELLED)


@pytest.mark.parametrize(
    ("to_status", "missing", "refusal"),
    [
        (S.REJECTED, "reason", "Give the merchant the reason for rejecting."),
        (S.NEEDS_INFO, "note", "Tell the merchant which information you need."),
    ],
)
@pytest.mark.parametrize("given", ["", " \n\t "])
def test_a_step_without_what_the_merchant_needs_to_hear_is_refused(
    to_status, missing, refusal, given
):
    rma = ReturnFactory()
    with pytest.raises(ReturnTransitionIncomplete, match=exactly(refusal)):
        return_transition(rma=rma, to_status=to_status, **{missing: given})
    rma.refresh_from_db()
    assert rma.status == S.SUBMITTED
    assert not OutboxMessage.objects.exists()


def test_a_shipped_replacement_needs_its_tracking_code_which_the_return_keeps():
    rma = ReturnFactory(status=S.RECEIVED)
    with pytest.raises(
        ReturnTransitionIncomplete, match=exactly("Give the tracking code of the replacement.")
    ):
        return_transition(rma=rma, to_status=S.REPLACEMENT_SHIPPED, tracking_code="  ")

    change = return_transition(
        rma=rma, to_status=S.REPLACEMENT_SHIPPED, tracking_code=" 3S ABC\n123 "
    )

    # The caller's copy is brought up to date, and so is the database.
    assert (rma.status, rma.replacement_tracking_code) == (S.REPLACEMENT_SHIPPED, "3S ABC 123")
    assert rma.status_changed_at == change.changed_at
    assert change.tracking_code == "3S ABC 123"
    rma.refresh_from_db()
    assert rma.replacement_tracking_code == "3S ABC 123"
    assert rma.status_changed_at == change.changed_at


def test_the_open_statuses_are_those_that_can_still_move():
    assert {status for status, targets in ALLOWED_TRANSITIONS.items() if targets} == OPEN_STATUSES


def test_internal_notes_are_kept_apart_from_the_history_with_their_author():
    agent = get_user_model().objects.create_user("agent")
    rma = ReturnFactory()
    note = return_note_add(rma=rma, author=agent, text="  Merchant called, screen cracked.  ")

    note.refresh_from_db()
    assert (note.rma, note.author, note.text) == (rma, agent, "Merchant called, screen cracked.")
    assert not rma.status_changes.exists()


def test_the_emails_about_a_return_are_found_by_its_rma_number():
    from returns.selectors import return_outbox_messages

    rma, _ = create()
    other, _ = create(serial_number="OTHER12345")
    return_transition(rma=rma, to_status=S.APPROVED)

    assert return_outbox_messages(rma=rma).count() == 3
    assert return_outbox_messages(rma=other).count() == 2


def test_a_filed_return_keeps_every_detail_the_merchant_gave():
    key = uuid.uuid4()
    rma, _ = create(
        terminal_model="p2_smartpad",
        description="The screen stays black after charging.",
        phone="+31 20 123 4567",
        idempotency_key=key,
    )

    rma.refresh_from_db()
    assert (rma.terminal_model, rma.description, rma.phone) == (
        "p2_smartpad",
        "The screen stays black after charging.",
        "+31 20 123 4567",
    )
    assert (rma.account_id, rma.serial_number, rma.reason, rma.ticket_reference) == (
        "10012345",
        "P201234567",
        "display",
        "172349",
    )
    assert (rma.contact_name, rma.company_name, rma.email) == (
        "Sanne de Vries",
        "Bakkerij De Vries",
        "sanne@example.nl",
    )
    assert (rma.street, rma.house_number, rma.postcode, rma.city, rma.country) == (
        "Damrak",
        "12A",
        "1012 LG",
        "Amsterdam",
        "NL",
    )
    assert (rma.language, rma.idempotency_key, rma.status) == ("nl", key, S.SUBMITTED)
    assert rma.rma_number == f"RMA-{rma.pk:06d}"
    (entry,) = rma.status_changes.all()
    assert entry.changed_at == rma.created_at


def test_an_invalid_detail_is_refused_before_anything_is_stored():
    with pytest.raises(ValidationError, match="phone number"):
        create(phone="call me")

    assert not Return.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_filing_mails_support_and_the_merchant_with_subjects_and_reply_addresses():
    rma, _ = create(language="en")

    support = OutboxMessage.objects.get(to="pos-support@example.com")
    merchant = OutboxMessage.objects.get(to="sanne@example.nl")
    assert support.subject == f"New return {rma.rma_number}: Display broken, serial P201234567"
    assert (support.reply_to, support.language, support.reference) == (
        "sanne@example.nl",
        "en",
        rma.rma_number,
    )
    assert f"https://help.example.com/returns/track/{rma.tracking_token}/" in support.body_text
    assert merchant.subject == f"Your return {rma.rma_number} has been received"
    assert (merchant.reply_to, merchant.language, merchant.reference) == (
        "pos-support@example.com",
        "en",
        rma.rma_number,
    )
    assert "We received your return" in merchant.body_text


@pytest.mark.parametrize("to_status", list(EMAIL_SUBJECTS))
def test_each_status_email_has_its_own_subject_and_support_as_reply_address(to_status):
    from_status = next(a for a, b in ALLOWED if b == to_status)
    rma = ReturnFactory(status=from_status, language="en")

    change = return_transition(rma=rma, to_status=to_status, **DETAILS.get(to_status, {}))

    (message,) = OutboxMessage.objects.all()
    assert message.to == rma.email
    assert message.subject == EMAIL_SUBJECTS[to_status].format(rma.rma_number)
    assert (message.reply_to, message.language, message.reference) == (
        "pos-support@example.com",
        "en",
        rma.rma_number,
    )
    assert f"https://help.example.com/returns/track/{rma.tracking_token}/" in message.body_text
    for detail in (change.note, change.reason, change.tracking_code):
        assert detail in message.body_text


def test_a_step_records_who_took_it_when_and_every_detail_given():
    agent = get_user_model().objects.create_user("agent")
    rma = ReturnFactory()

    change = return_transition(
        rma=rma,
        to_status=S.REJECTED,
        by_user=agent,
        note="  We checked with the bank.  ",
        reason="  The warranty ended in 2023.  ",
    )

    change.refresh_from_db()
    rma.refresh_from_db()
    assert (change.rma, change.from_status, change.to_status, change.changed_by) == (
        rma,
        S.SUBMITTED,
        S.REJECTED,
        agent,
    )
    assert (change.note, change.reason) == (
        "We checked with the bank.",
        "The warranty ended in 2023.",
    )
    assert change.changed_at == rma.status_changed_at
    assert rma.replacement_tracking_code == ""


@pytest.mark.parametrize("status", [S.SUBMITTED, S.NEEDS_INFO, S.APPROVED, S.AWAITING_DEVICE])
def test_the_merchant_may_cancel_until_the_terminal_is_sent_and_support_hears_of_it(status):
    rma = ReturnFactory(status=status, language="nl")

    change = return_merchant_cancel(rma=rma)

    rma.refresh_from_db()
    assert rma.status == S.CANCELLED
    assert (change.from_status, change.to_status) == (status, S.CANCELLED)
    to_support = OutboxMessage.objects.get(to="pos-support@example.com")
    assert to_support.subject == f"{rma.rma_number}: the merchant cancelled the return"
    assert (to_support.reply_to, to_support.language) == (rma.email, "en")
    assert to_support.body_text.startswith(
        f"{rma.contact_name} ({rma.company_name}) cancelled return {rma.rma_number}.\n\n"
    )
    assert OutboxMessage.objects.filter(to=rma.email, language="nl").count() == 1


@pytest.mark.parametrize(
    "status", [S.RECEIVED, S.REPLACEMENT_SHIPPED, S.CLOSED, S.REJECTED, S.CANCELLED]
)
def test_the_merchant_cannot_cancel_once_support_has_the_terminal_or_it_is_over(status):
    rma = ReturnFactory(status=status)

    with pytest.raises(
        ReturnTransitionNotAllowed,
        match=exactly("This return can no longer be cancelled here. Please contact support."),
    ):
        return_merchant_cancel(rma=rma)

    rma.refresh_from_db()
    assert rma.status == status
    assert not rma.status_changes.exists()
    assert not OutboxMessage.objects.exists()


def test_a_return_filed_with_only_the_required_details_is_in_english_and_has_no_extras():
    rma, _ = return_create(
        account_id="10012345",
        serial_number="ABC123456",
        reason="battery",
        ticket_reference="172349",
        contact_name="Jan Peeters",
        company_name="Frituur Jan",
        email="jan@example.be",
        street="Rue Neuve",
        house_number="1",
        postcode="1000",
        city="Bruxelles",
        country="BE",
    )

    rma.refresh_from_db()
    assert (rma.description, rma.terminal_model, rma.phone, rma.language) == ("", "", "", "en")
    assert rma.idempotency_key is None


def test_support_reads_a_new_return_in_english_whatever_the_merchants_language():
    with translation.override("nl"):
        rma, _ = create(language="nl")

    support = OutboxMessage.objects.get(to="pos-support@example.com")
    assert support.subject == f"New return {rma.rma_number}: Display broken, serial P201234567"
    assert "Display broken" in support.body_text
    merchant = OutboxMessage.objects.get(to="sanne@example.nl")
    assert merchant.subject == f"Wij hebben uw retour {rma.rma_number} ontvangen"
