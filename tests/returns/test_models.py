from __future__ import annotations

import pytest

from returns.models import (
    ALLOWED_TRANSITIONS,
    Return,
    ReturnNote,
    ReturnStatusChange,
    new_tracking_token,
    normalise_serial,
    rma_number_for,
)
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db

S = Return.Status


def test_the_workflow_allows_exactly_the_steps_support_agreed():
    # Written out here rather than read from the code, so a step added or lost there shows up.
    agreed = {
        (S.SUBMITTED, S.APPROVED),
        (S.SUBMITTED, S.REJECTED),
        (S.SUBMITTED, S.NEEDS_INFO),
        (S.NEEDS_INFO, S.SUBMITTED),
        (S.APPROVED, S.AWAITING_DEVICE),
        (S.AWAITING_DEVICE, S.RECEIVED),
        (S.RECEIVED, S.REPLACEMENT_SHIPPED),
        (S.REPLACEMENT_SHIPPED, S.CLOSED),
    } | {
        (status, S.CANCELLED)
        for status in (
            S.SUBMITTED,
            S.NEEDS_INFO,
            S.APPROVED,
            S.AWAITING_DEVICE,
            S.RECEIVED,
            S.REPLACEMENT_SHIPPED,
        )
    }

    allowed = {(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets}
    assert allowed == agreed
    assert set(ALLOWED_TRANSITIONS) == set(S)


@pytest.mark.parametrize(
    ("status", "next_steps"),
    [
        (S.SUBMITTED, ["approved", "rejected", "needs_info", "cancelled"]),
        (S.AWAITING_DEVICE, ["received", "cancelled"]),
        (S.CLOSED, []),
    ],
)
def test_a_return_offers_the_steps_its_status_allows(status, next_steps):
    assert ReturnFactory(status=status).allowed_transitions() == next_steps


def test_an_unknown_status_offers_no_step():
    assert Return(status="lost_in_space").allowed_transitions() == []


def test_serial_numbers_are_compared_without_case_spaces_or_dashes():
    assert normalise_serial("p2-0123 4567\t89") == "P20123456789"
    assert normalise_serial("") == ""


def test_an_rma_number_is_the_key_padded_to_six_digits():
    assert rma_number_for(42) == "RMA-000042"
    assert rma_number_for(1234567) == "RMA-1234567"


def test_a_tracking_token_is_32_random_bytes():
    # URL-safe base64 of 32 bytes is 43 characters.
    assert len(new_tracking_token()) == 43
    assert new_tracking_token() != new_tracking_token()


def test_history_entries_and_notes_read_well_in_lists():
    rma = ReturnFactory()

    assert str(ReturnStatusChange(rma=rma, from_status="", to_status=S.SUBMITTED)) == (
        "- → submitted"
    )
    assert str(ReturnStatusChange(rma=rma, from_status=S.SUBMITTED, to_status=S.APPROVED)) == (
        "submitted → approved"
    )
    assert str(ReturnNote(rma=rma, text="x" * 59 + "yz")) == "x" * 59 + "y"
