from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox.delivery import outbox_message_deliver
from outbox.models import OutboxMessage
from outbox.services import (
    outbox_message_queue,
    outbox_message_send_again,
    outbox_requeue_stalled,
)
from tests.outbox.factories import OutboxMessageFactory, make_due

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status


def delivery_tasks() -> list[int]:
    """The messages that have a delivery task waiting in the queue, in the order queued."""
    results = DBTaskResult.objects.filter(task_path="outbox.tasks.deliver_outbox_message")
    return [result.args_kwargs["args"][0] for result in results.order_by("enqueued_at")]


def test_a_queued_message_is_stored_as_given_with_its_delivery_task():
    message = outbox_message_queue(
        to="sanne@bakkerij.example.nl",
        subject="Your return RMA-000042 has been received",
        body_text="We received your return.",
        body_html="<p>We received your return.</p>",
        reply_to="pos-support@example.com",
        language="nl",
        reference="RMA-000042",
    )

    stored = OutboxMessage.objects.get()
    assert stored.pk == message.pk
    assert (stored.to, stored.reply_to, stored.subject) == (
        "sanne@bakkerij.example.nl",
        "pos-support@example.com",
        "Your return RMA-000042 has been received",
    )
    assert (stored.body_text, stored.body_html) == (
        "We received your return.",
        "<p>We received your return.</p>",
    )
    assert (stored.language, stored.reference) == ("nl", "RMA-000042")
    assert (stored.status, stored.attempts, stored.last_error) == (Status.QUEUED, 0, "")
    assert stored.message_id.endswith("@pos-help-portal>")
    assert delivery_tasks() == [message.pk]


def test_line_breaks_in_headers_become_spaces_and_a_long_subject_is_cut():
    # Only what every message needs: the optional parts stay empty.
    message = outbox_message_queue(
        to=" merchant@example.nl\r\n",
        reply_to="sanne@example.nl\n",
        subject="Your return\r\nBcc: victim@example.com " + "x" * 300,
        body_text="Line one.\nLine two.",
    )

    message.refresh_from_db()
    assert message.to == "merchant@example.nl"
    assert message.reply_to == "sanne@example.nl"
    assert message.subject.startswith("Your return Bcc: victim@example.com xxx")
    assert len(message.subject) == 250
    assert message.body_text == "Line one.\nLine two."
    assert (message.body_html, message.language, message.reference) == ("", "", "")


def test_a_message_to_an_invalid_address_is_refused_and_nothing_is_queued():
    with pytest.raises(ValidationError, match="valid email address"):
        outbox_message_queue(to="not an address", subject="Hello", body_text="Hi")

    assert not OutboxMessage.objects.exists()
    assert delivery_tasks() == []


def test_sending_again_gives_a_failed_message_its_full_set_of_attempts(smtp_server, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    smtp_server.stop()
    message = OutboxMessageFactory()
    for _ in range(3):
        make_due(message)
        outbox_message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 3)

    before = timezone.now()
    outbox_message_send_again(message=message)

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.QUEUED, 0, "")
    assert before <= message.next_attempt_at <= timezone.now()
    assert delivery_tasks() == [message.pk]
    # Still down: the first attempt after "send again" is one of three, not the fourth.
    assert outbox_message_deliver(message_id=message.pk).outcome == "failed, will retry"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.QUEUED, 1)


def test_sending_again_leaves_a_message_that_a_worker_is_sending_alone():
    claimed_at = timezone.now()
    message = OutboxMessageFactory(status=Status.SENDING, claimed_at=claimed_at, attempts=2)

    outbox_message_send_again(message=message)

    message.refresh_from_db()
    assert (message.status, message.attempts, message.claimed_at) == (
        Status.SENDING,
        2,
        claimed_at,
    )


def test_requeue_offers_again_only_the_messages_whose_delivery_was_lost(settings):
    now = timezone.now()
    lease = timedelta(seconds=settings.OUTBOX_SENDING_LEASE)
    second = timedelta(seconds=1)

    def message(status: Status, due: timedelta, claimed: timedelta | None = None):
        return OutboxMessageFactory(
            status=status,
            next_attempt_at=now - due,
            claimed_at=None if claimed is None else now - claimed,
        )

    # Due for over a minute without being sent: its task was lost with a worker.
    lost_task = message(Status.QUEUED, due=60.5 * second)
    # Due for less than a minute: its task is probably on its way.
    message(Status.QUEUED, due=50 * second)
    message(Status.QUEUED, due=-30 * second)
    # Claimed by a worker whose lease expired: the worker died while sending.
    dead_worker = message(Status.SENDING, due=lease * 2, claimed=lease + second / 2)
    message(Status.SENDING, due=lease * 2, claimed=lease - 10 * second)
    message(Status.SENT, due=lease * 2, claimed=lease * 2)
    message(Status.FAILED, due=lease * 2, claimed=lease * 2)

    assert outbox_requeue_stalled() == 2

    assert sorted(delivery_tasks()) == sorted([lost_task.pk, dead_worker.pk])


def test_requeue_with_nothing_lost_queues_nothing():
    OutboxMessageFactory(status=Status.SENT)

    assert outbox_requeue_stalled() == 0
    assert delivery_tasks() == []
