"""Mail is never lost: not when the mail server goes away, not when the worker dies."""

from __future__ import annotations

import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from outbox.models import OutboxMessage
from outbox.services import outbox_message_queue
from returns.models import Return
from tests.browser.merchant import return_details
from tests.faults.conftest import (
    PORTAL_ENV,
    Merchant,
    start_portal,
    wait_for,
    worker_command,
)

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

BURST = 200


def details(number: int) -> dict[str, str]:
    return return_details(
        f"P2FAULT{number:05d}",
        account_id=f"10{number:06d}",
        ticket_reference=f"{700000 + number}",
        email=f"merchant{number}@example.nl",
    )


@pytest.mark.skipif(
    connection.vendor == "sqlite" and bool(os.environ.get("TEST_DATABASE_URL")),
    reason="a minute of load: make test runs it once, in the PostgreSQL pass",
)
def test_mail_server_down_during_a_burst_of_returns_loses_nothing_and_sends_once(
    smtp_server, subprocess_env, processes, settings
):
    env = subprocess_env(
        **PORTAL_ENV,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}?timeout=3",
        # Time compressed: retries after 1 and then every 2 seconds, never given up here.
        OUTBOX_RETRY_DELAYS="1,2",
        OUTBOX_MAX_ATTEMPTS="1000",
        SUPPORT_EMAIL="support@example.com",
    )
    portal = start_portal(processes, env)
    worker = processes("worker", worker_command("--interval", "0.2"), env)

    # Merchants file returns from eight browsers at once; a quarter of the way in, the
    # mail server goes away and stays away until every return has been filed.
    def file(number: int) -> int:
        if number == BURST // 4:
            smtp_server.stop()
        return Merchant(portal).file_return(details(number)).status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(file, range(BURST)))

    assert statuses == [200] * BURST, Counter(statuses)
    assert Return.objects.count() == BURST
    assert OutboxMessage.objects.count() == 2 * BURST
    waiting = OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).count()
    assert waiting > 0, "the outage must have held some mail back"

    smtp_server.start()
    wait_for(
        lambda: not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists(),
        timeout=120,
        what=f"the worker to deliver every message (worker log:\n{worker.output()[-2000:]})",
    )

    received = Counter(message["Message-ID"] for message in smtp_server.messages)
    stored = set(OutboxMessage.objects.values_list("message_id", flat=True))
    assert set(received) == stored
    assert max(received.values()) == 1, "no message may arrive twice"
    for number in range(BURST):
        merchant_mail = smtp_server.messages_to(f"merchant{number}@example.nl")
        assert len(merchant_mail) == 1
    assert len(smtp_server.messages_to("support@example.com")) == BURST


def test_worker_killed_while_sending_loses_nothing(
    slow_smtp_server, subprocess_env, processes, settings
):
    lease = 2.0
    settings.OUTBOX_SENDING_LEASE = lease
    messages = [
        outbox_message_queue(
            to=f"merchant{number}@example.be",
            subject=f"Your return RMA-{number:06d}",
            body_text="We received your return.",
        )
        for number in range(20)
    ]
    env = subprocess_env(
        **PORTAL_ENV,
        EMAIL_URL=f"smtp://127.0.0.1:{slow_smtp_server.port}",
        OUTBOX_SENDING_LEASE=str(lease),
        OUTBOX_RETRY_DELAYS="1",
    )
    first = processes("worker", worker_command("--interval", "0.1"), env)

    # The mail server takes 0.3 s per message; pull the plug in the middle of one.
    wait_for(lambda: len(slow_smtp_server.messages) >= 5, 60, "the first deliveries")
    time.sleep(0.15)
    first.kill()
    in_flight = set(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING).values_list(
            "message_id", flat=True
        )
    )
    assert len(in_flight) <= 1

    # A worker started again (by the supervisor, compose or a person) once the dead
    # worker's claim has expired picks up everything, the interrupted message included.
    time.sleep(lease + 0.5)
    second = processes("worker", worker_command("--batch"), env)
    second.popen.wait(timeout=120)
    assert second.popen.returncode == 0, second.output()

    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()
    received = Counter(message["Message-ID"] for message in slow_smtp_server.messages)
    assert set(received) == {message.message_id for message in messages}
    # At least once: the message being sent when the worker died may arrive twice, with
    # the same Message-ID, if the server had taken it before the worker could record it.
    twice = {message_id for message_id, count in received.items() if count > 1}
    assert twice <= in_flight
