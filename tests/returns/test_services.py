from __future__ import annotations

import itertools
import uuid

import pytest
from django.contrib.auth import get_user_model

from outbox.models import OutboxMessage
from returns.models import ALLOWED_TRANSITIONS, OPEN_STATUSES, Return, ReturnStatusChange
from returns.services import (
    ReturnDuplicate,
    ReturnTransitionIncomplete,
    ReturnTransitionNotAllowed,
    return_create,
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
    assert Return.objects.count() == 1


def test_a_terminal_can_be_returned_again_once_its_return_is_over():
    first, _ = create()
    return_transition(rma=first, to_status=S.CANCELLED)

    again, created = create()

    assert created
    assert again.pk != first.pk


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_every_allowed_step_is_recorded_and_announced_where_it_matters(from_status, to_status):
    agent = get_user_model().objects.create_user("agent", password="x")
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

    with pytest.raises(ReturnTransitionNotAllowed):
        return_transition(rma=rma, to_status=to_status, **DETAILS.get(to_status, {}))

    rma.refresh_from_db()
    assert (rma.status, rma.status_changed_at) == (from_status, before)
    assert not ReturnStatusChange.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_an_unknown_status_is_refused():
    rma = ReturnFactory()
    with pytest.raises(ReturnTransitionNotAllowed):
        return_transition(rma=rma, to_status="lost_in_space")


@pytest.mark.parametrize(
    ("to_status", "missing"),
    [(S.REJECTED, "reason"), (S.NEEDS_INFO, "note")],
)
def test_a_step_without_what_the_merchant_needs_to_hear_is_refused(to_status, missing):
    rma = ReturnFactory()
    with pytest.raises(ReturnTransitionIncomplete):
        return_transition(rma=rma, to_status=to_status)
    rma.refresh_from_db()
    assert rma.status == S.SUBMITTED


def test_a_shipped_replacement_needs_its_tracking_code_which_the_return_keeps():
    rma = ReturnFactory(status=S.RECEIVED)
    with pytest.raises(ReturnTransitionIncomplete):
        return_transition(rma=rma, to_status=S.REPLACEMENT_SHIPPED)

    return_transition(rma=rma, to_status=S.REPLACEMENT_SHIPPED, tracking_code=" 3S ABC 123 ")

    rma.refresh_from_db()
    assert rma.replacement_tracking_code == "3S ABC 123"


def test_the_open_statuses_are_those_that_can_still_move():
    assert {status for status, targets in ALLOWED_TRANSITIONS.items() if targets} == OPEN_STATUSES


def test_internal_notes_are_kept_apart_from_the_history():
    rma = ReturnFactory()
    note = return_note_add(rma=rma, text="  Merchant called, screen cracked.  ")

    assert note.text == "Merchant called, screen cracked."
    assert not rma.status_changes.exists()


def test_the_emails_about_a_return_are_found_by_its_rma_number():
    from returns.selectors import return_outbox_messages

    rma, _ = create()
    other, _ = create(serial_number="OTHER12345")
    return_transition(rma=rma, to_status=S.APPROVED)

    assert return_outbox_messages(rma=rma).count() == 3
    assert return_outbox_messages(rma=other).count() == 2
