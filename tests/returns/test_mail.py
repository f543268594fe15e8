"""Acceptance: a filed return reaches support and the merchant whatever the mail server does."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from outbox.models import OutboxMessage
from returns.models import Return
from tests.conftest import message_text

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_a_return_filed_while_mail_is_down_reaches_both_once_it_is_back(
    client, form_data, smtp_server, run_worker, settings
):
    settings.OUTBOX_RETRY_DELAYS = [0.5]
    smtp_server.stop()

    response = client.post("/nl/returns/new/", form_data(email="sanne@bakkerij.example.nl"))

    # The merchant is not bothered by the outage: the return is filed and confirmed.
    assert response.status_code == 302
    rma = Return.objects.get()
    run_worker()
    assert smtp_server.messages == []
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"queued"}

    smtp_server.start()
    time.sleep(0.6)
    run_worker()
    run_worker()

    (to_support,) = smtp_server.messages_to("pos-support@example.com")
    (to_merchant,) = smtp_server.messages_to("sanne@bakkerij.example.nl")
    assert len(smtp_server.messages) == 2
    support_text = message_text(to_support)
    assert rma.rma_number in to_support["Subject"]
    assert to_support["Reply-To"] == "sanne@bakkerij.example.nl"
    for detail in (
        "10012345",
        "P201234567",
        "172349",
        "Sanne de Vries",
        "Bakkerij De Vries",
        "+31 20 123 4567",
        "Damrak 12A",
        "1012 LG Amsterdam",
        "The screen stays black",
    ):
        assert detail in support_text
    assert f"https://help.example.com/admin/returns/return/{rma.pk}/change/" in support_text
    merchant_text = message_text(to_merchant)
    assert rma.rma_number in to_merchant["Subject"]
    assert f"https://help.example.com/nl/returns/track/{rma.tracking_token}/" in merchant_text
    assert "Beste Sanne de Vries" in merchant_text
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_two_workers_deliver_every_return_message_once(
    client, form_data, smtp_server, subprocess_env
):
    for number in range(10):
        response = client.post(
            "/returns/new/",
            form_data(serial_number=f"TWOWORKERS{number:02d}", email=f"shop{number}@example.be"),
        )
        assert response.status_code == 302
    env = subprocess_env(EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}")
    command = [sys.executable, "manage.py", "run_worker", "--batch", "--no-startup-delay"]

    workers = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE) for _ in range(2)]
    errors = [worker.communicate(timeout=120)[1].decode() for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], errors
    assert len(smtp_server.messages_to("pos-support@example.com")) == 10
    for number in range(10):
        assert len(smtp_server.messages_to(f"shop{number}@example.be")) == 1
    assert len(smtp_server.messages) == 20
    assert OutboxMessage.objects.filter(status="sent").count() == 20


def test_markup_typed_by_a_merchant_arrives_as_plain_text_and_adds_no_recipient(
    client, form_data, smtp_server, run_worker
):
    response = client.post(
        "/returns/new/",
        form_data(
            contact_name="<script>alert(1)</script>\r\nBcc: victim@example.com",
            company_name='<img src=x onerror="alert(2)">',
            description="Subject: hacked\r\n\r\n<b>bold</b>",
        ),
    )
    assert response.status_code == 302

    run_worker()

    assert sorted(m["X-Envelope-To"] for m in smtp_server.messages) == [
        "pos-support@example.com",
        "sanne@bakkerij.example.nl",
    ]
    for message in smtp_server.messages:
        assert [part.get_content_type() for part in message.walk()] == ["text/plain"]
        assert message["Bcc"] is None
        assert "hacked" not in message["Subject"]
    support_text = message_text(smtp_server.messages_to("pos-support@example.com")[0])
    assert '<img src=x onerror="alert(2)">' in support_text
