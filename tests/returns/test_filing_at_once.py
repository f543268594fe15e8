"""Filing the same return from several requests at the same moment, at the service's level."""

from __future__ import annotations

import uuid

import pytest

from outbox.models import OutboxMessage
from returns.models import Return
from returns.services import ReturnDuplicate
from tests.conftest import at_once
from tests.returns.test_services import create

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_submission_arriving_several_times_at_once_makes_one_return():
    key = uuid.uuid4()

    outcomes = at_once(lambda: create(idempotency_key=key), times=4)

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    rma = Return.objects.get()
    assert sorted(created for _, created in outcomes) == [False, False, False, True]
    assert {found.pk for found, _ in outcomes} == {rma.pk}
    assert OutboxMessage.objects.count() == 2


def test_different_submissions_for_one_terminal_at_once_make_one_return_and_name_it():
    outcomes = at_once(lambda: create(idempotency_key=uuid.uuid4()), times=4)

    rma = Return.objects.get()
    refused = [outcome for outcome in outcomes if isinstance(outcome, ReturnDuplicate)]
    assert len(refused) == 3, outcomes
    assert {refusal.rma_number for refusal in refused} == {rma.rma_number}
    assert OutboxMessage.objects.count() == 2
