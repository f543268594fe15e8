from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from outbox.delivery import Delivery, outbox_message_claim, outbox_message_deliver
from outbox.models import OutboxMessage
from outbox.services import outbox_message_queue, outbox_message_send_again
from portal import settings as portal_settings
from tests.conftest import at_once, message_text
from tests.outbox.factories import OutboxMessageFactory, make_due

pytestmark = pytest.mark.django_db(transaction=True)

Status = OutboxMessage.Status
# The back-off the portal ships with (portal/settings.py), in seconds.
SHIPPED_RETRY_DELAYS = [30.0, 120.0, 600.0, 1800.0, 3600.0]


def queue_welcome(**overrides) -> OutboxMessage:
    fields = {
        "to": "merchant@example.nl",
        "subject": "Your return RMA-000001",
        "body_text": "We received your return.",
        "reference": "RMA-000001",
        "language": "nl",
    } | overrides
    return outbox_message_queue(**fields)


def test_a_queued_message_is_delivered_by_the_worker(smtp_server, run_worker):
    message = queue_welcome()

    run_worker()

    received = smtp_server.messages_to("merchant@example.nl")
    assert len(received) == 1
    assert received[0]["Subject"] == "Your return RMA-000001"
    assert received[0]["Message-ID"] == message.message_id
    assert "We received your return." in message_text(received[0])
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1


def test_mail_queued_while_the_server_is_down_arrives_once_when_it_is_back(
    smtp_server, run_worker, settings
):
    settings.OUTBOX_RETRY_DELAYS = [0.5]
    smtp_server.stop()
    message = queue_welcome()

    run_worker()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.attempts == 1
    assert "Connection" in message.last_error or "refused" in message.last_error.lower()

    smtp_server.start()
    time.sleep(0.6)
    run_worker()
    run_worker()

    assert len(smtp_server.messages_to("merchant@example.nl")) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2


def test_two_workers_in_parallel_send_each_message_once(smtp_server, subprocess_env):
    for number in range(30):
        queue_welcome(to=f"merchant{number}@example.be")
    env = subprocess_env(EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}")
    command = [sys.executable, "manage.py", "run_worker", "--batch", "--no-startup-delay"]

    workers = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE) for _ in range(2)]
    errors = [worker.communicate(timeout=120)[1].decode() for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], errors
    assert all("state=SUCCESSFUL" in output for output in errors), "both workers took part"
    delivered = sorted(m["X-Envelope-To"] for m in smtp_server.messages)
    assert delivered == sorted(f"merchant{n}@example.be" for n in range(30))
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == 30


def test_a_message_whose_change_rolls_back_is_never_sent(smtp_server, run_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_welcome()
        raise RuntimeError("the return failed to save")

    run_worker()

    assert OutboxMessage.objects.count() == 0
    assert smtp_server.messages == []


def test_line_breaks_cannot_add_headers(smtp_server, run_worker):
    queue_welcome(subject="Hello\r\nBcc: victim@example.com", to="merchant@example.nl")

    run_worker()

    (received,) = smtp_server.messages
    assert received["Bcc"] is None
    assert "victim@example.com" not in received["X-Envelope-To"]


def test_a_message_that_failed_for_good_can_be_sent_again(smtp_server, run_worker, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    smtp_server.stop()
    message = queue_welcome()
    run_worker()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED

    smtp_server.start()
    outbox_message_send_again(message=message)
    run_worker()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(smtp_server.messages) == 1


def test_a_delivered_message_carries_its_headers_both_bodies_and_its_record(smtp_server):
    message = OutboxMessageFactory(
        to="sanne@bakkerij.example.nl",
        reply_to="pos-support@example.com",
        subject="Your return RMA-000042 is approved",
        body_text="Send the terminal to us.",
        body_html="<p>Send the terminal to us.</p>",
        attempts=2,
        last_error="ConnectionRefusedError: the mail server was down",
    )
    before = timezone.now()

    assert outbox_message_deliver(message_id=message.pk) == Delivery("sent")

    (received,) = smtp_server.messages
    assert received["X-Envelope-To"] == "sanne@bakkerij.example.nl"
    assert received["Reply-To"] == "pos-support@example.com"
    assert received["Subject"] == "Your return RMA-000042 is approved"
    assert received["Message-ID"] == message.message_id
    parts = {part.get_content_type(): part for part in received.walk()}
    assert parts["text/html"].get_payload(decode=True).decode().strip() == (
        "<p>Send the terminal to us.</p>"
    )
    assert message_text(received).strip() == "Send the terminal to us."
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 3, "")
    assert before <= message.sent_at <= timezone.now()
    assert message.claimed_at is None


def test_a_message_without_reply_address_or_html_is_sent_as_plain_text_alone(smtp_server):
    message = OutboxMessageFactory(reply_to="", body_html="")

    outbox_message_deliver(message_id=message.pk)

    (received,) = smtp_server.messages
    assert received["Reply-To"] is None
    assert [part.get_content_type() for part in received.walk()] == ["text/plain"]


def test_a_failed_attempt_is_recorded_and_due_again_after_the_back_off(smtp_server):
    smtp_server.stop()
    message = OutboxMessageFactory()
    before = timezone.now()

    delivery = outbox_message_deliver(message_id=message.pk)

    assert delivery.outcome == "failed, will retry"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.claimed_at) == (Status.QUEUED, 1, None)
    assert message.last_error.startswith("ConnectionRefusedError: ")
    assert message.next_attempt_at == delivery.retry_at
    # The tests' back-off is one minute (tests/conftest.py).
    assert (
        before + timedelta(seconds=60)
        <= delivery.retry_at
        <= timezone.now() + timedelta(seconds=60)
    )
    assert smtp_server.messages == []


def test_a_failed_message_is_not_tried_again_before_its_back_off_ends(smtp_server):
    smtp_server.stop()
    message = OutboxMessageFactory()
    outbox_message_deliver(message_id=message.pk)

    again = outbox_message_deliver(message_id=message.pk)

    assert again == Delivery("not due or held by another worker")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.QUEUED, 1)


@pytest.mark.skipif(
    "OUTBOX_RETRY_DELAYS" in os.environ, reason="the environment sets its own retry delays"
)
def test_retries_back_off_from_thirty_seconds_to_an_hour_then_give_up(smtp_server, settings):
    assert portal_settings.OUTBOX_RETRY_DELAYS == SHIPPED_RETRY_DELAYS
    settings.OUTBOX_RETRY_DELAYS = portal_settings.OUTBOX_RETRY_DELAYS
    settings.OUTBOX_MAX_ATTEMPTS = 8
    smtp_server.stop()
    message = OutboxMessageFactory()

    waited = []
    for _ in range(7):
        make_due(message)
        before = timezone.now()
        delivery = outbox_message_deliver(message_id=message.pk)
        waited.append(round((delivery.retry_at - before).total_seconds()))
    make_due(message)
    last = outbox_message_deliver(message_id=message.pk)

    assert waited == [30, 120, 600, 1800, 3600, 3600, 3600]
    assert last == Delivery("failed, given up")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 8)


def test_a_due_message_is_claimed_once_and_marked_with_the_time_of_the_claim():
    message, other = OutboxMessageFactory(), OutboxMessageFactory()
    before = timezone.now()

    assert outbox_message_claim(message_id=message.pk) is True
    assert outbox_message_claim(message_id=message.pk) is False

    message.refresh_from_db()
    assert message.status == Status.SENDING
    assert before <= message.claimed_at <= timezone.now()
    other.refresh_from_db()
    assert (other.status, other.claimed_at) == (Status.QUEUED, None)


@pytest.mark.parametrize("status", [Status.SENT, Status.FAILED])
def test_a_sent_or_failed_message_is_never_claimed_or_sent_again(status, smtp_server):
    # Its status decides, whatever the times on it say.
    long_ago = timezone.now() - timedelta(days=1)
    message = OutboxMessageFactory(status=status, next_attempt_at=long_ago, claimed_at=long_ago)

    assert outbox_message_claim(message_id=message.pk) is False
    assert outbox_message_deliver(message_id=message.pk).outcome == (
        "not due or held by another worker"
    )

    message.refresh_from_db()
    assert message.status == status
    assert smtp_server.messages == []


def test_a_message_not_yet_due_is_not_claimed():
    message = OutboxMessageFactory(next_attempt_at=timezone.now() + timedelta(seconds=30))

    assert outbox_message_claim(message_id=message.pk) is False


def test_a_message_held_by_a_live_worker_is_not_claimed_until_its_lease_expires(settings):
    lease = timedelta(seconds=settings.OUTBOX_SENDING_LEASE)
    held = OutboxMessageFactory(
        status=Status.SENDING, claimed_at=timezone.now() - lease + timedelta(seconds=10)
    )
    abandoned = OutboxMessageFactory(
        status=Status.SENDING, claimed_at=timezone.now() - lease - timedelta(seconds=1)
    )
    before = timezone.now()

    assert outbox_message_claim(message_id=held.pk) is False
    assert outbox_message_claim(message_id=abandoned.pk) is True

    abandoned.refresh_from_db()
    assert before <= abandoned.claimed_at <= timezone.now()


def test_two_claimers_racing_over_the_same_messages_win_each_message_once():
    message_ids = [message.pk for message in OutboxMessageFactory.create_batch(60)]

    def claim_all() -> list[int]:
        return [pk for pk in message_ids if outbox_message_claim(message_id=pk)]

    first, second = at_once(claim_all, times=2)

    assert sorted(first + second) == message_ids
    assert OutboxMessage.objects.filter(status=Status.SENDING).count() == 60


def test_two_senders_racing_over_the_same_messages_send_each_message_once(smtp_server):
    messages = OutboxMessageFactory.create_batch(30)

    def send_all() -> list[int]:
        return [
            message.pk
            for message in messages
            if outbox_message_deliver(message_id=message.pk).outcome == "sent"
        ]

    first, second = at_once(send_all, times=2)

    assert len(first) + len(second) == 30
    delivered = sorted(received["X-Envelope-To"] for received in smtp_server.messages)
    assert delivered == sorted(message.to for message in messages)
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}
