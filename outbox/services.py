"""The portal's one way to send e-mail: queue it with the change that causes it.

``outbox_message_queue`` stores the message and enqueues its delivery task in the
caller's transaction, so a rolled-back change sends nothing and a committed one
is never forgotten. The task sends it through ``outbox.delivery``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from outbox.models import OutboxMessage
from outbox.tasks import deliver_outbox_message


def _header_safe(value: str) -> str:
    # A line break in a header would let input add headers of its own.
    return " ".join(value.split())


def outbox_message_queue(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    reply_to: str = "",
    language: str = "",
    reference: str = "",
) -> OutboxMessage:
    message = OutboxMessage(
        to=_header_safe(to),
        reply_to=_header_safe(reply_to),
        subject=_header_safe(subject)[:250],
        body_text=body_text,
        body_html=body_html,
        language=language,
        reference=reference,
    )
    # The Message-ID is made at save, unique by construction (and by the database).
    message.full_clean(validate_unique=False)
    # Inside the caller's transaction no savepoint is needed: a failure undoes it all.
    with transaction.atomic(savepoint=False):
        message.save()
        deliver_outbox_message.enqueue(message.pk)
    return message


def outbox_message_send_again(*, message: OutboxMessage) -> None:
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk).exclude(
            status=OutboxMessage.Status.SENDING
        ).update(
            status=OutboxMessage.Status.QUEUED,
            next_attempt_at=timezone.now(),
            attempts=0,
            last_error="",
        )
        deliver_outbox_message.enqueue(message.pk)


def outbox_requeue_stalled() -> int:
    """Offer again every message that is due but has no live delivery on its way.

    Run by the worker at start-up and then periodically, it covers a worker killed
    while sending (its claim expires) and a task lost with its worker.
    """
    now = timezone.now()
    lease_expired = now - timedelta(seconds=settings.OUTBOX_SENDING_LEASE)
    stalled = OutboxMessage.objects.filter(
        Q(status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=now - timedelta(seconds=60))
        | Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=lease_expired)
    ).values_list("pk", flat=True)
    count = 0
    for message_id in stalled:
        deliver_outbox_message.enqueue(message_id)
        count += 1
    return count
