from __future__ import annotations

import subprocess
import sys
import time

import pytest
from django.db import transaction

from outbox.models import OutboxMessage
from outbox.services import outbox_message_queue, outbox_message_send_again
from tests.conftest import message_text

pytestmark = pytest.mark.django_db(transaction=True)


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
