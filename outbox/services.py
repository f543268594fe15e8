"""The portal's one way to send e-mail: queue it with the change that causes it.

``outbox_message_queue`` stores the message and enqueues its delivery task in the
caller's transaction, so a rolled-back change sends nothing and a committed one
is never forgotten. Workers claim a message with a conditional UPDATE and a lease;
a worker that dies mid-send leaves the claim to expire, and the message is offered
again (the one case where SMTP can deliver twice: accepted, then the worker died
before recording it).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from outbox.models import OutboxMessage

logger = logging.getLogger(__name__)


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
    from outbox.tasks import deliver_outbox_message

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
    from outbox.tasks import deliver_outbox_message

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


def _retry_delay(attempts: int) -> float:
    delays = settings.OUTBOX_RETRY_DELAYS
    return delays[min(attempts, len(delays)) - 1]


def _claim(message_id: int) -> bool:
    now = timezone.now()
    lease_expired = now - timedelta(seconds=settings.OUTBOX_SENDING_LEASE)
    claimable = Q(status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=lease_expired
    )
    claimed = (
        OutboxMessage.objects.filter(claimable, pk=message_id).update(
            status=OutboxMessage.Status.SENDING, claimed_at=now
        )
        == 1
    )
    return claimed


def outbox_message_deliver(*, message_id: int) -> str:
    """Send one message if it is due and nobody else holds it. Returns what happened."""
    if not _claim(message_id):
        return "not due or held by another worker"
    message = OutboxMessage.objects.get(pk=message_id)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        to=[message.to],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={"Message-ID": message.message_id},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    attempts = message.attempts + 1
    try:
        email.send()
    except Exception as error:  # Any failure of the mail server is retried, never lost.
        failed_for_good = attempts >= settings.OUTBOX_MAX_ATTEMPTS
        next_attempt_at = timezone.now() + timedelta(seconds=_retry_delay(attempts))
        OutboxMessage.objects.filter(pk=message_id).update(
            status=OutboxMessage.Status.FAILED if failed_for_good else OutboxMessage.Status.QUEUED,
            attempts=attempts,
            next_attempt_at=next_attempt_at,
            claimed_at=None,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        logger.warning("Outbox message %s attempt %s failed: %s", message_id, attempts, error)
        if not failed_for_good:
            from outbox.tasks import deliver_outbox_message

            deliver_outbox_message.using(run_after=next_attempt_at).enqueue(message_id)
        return "failed, given up" if failed_for_good else "failed, will retry"
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxMessage.Status.SENT,
        attempts=attempts,
        sent_at=timezone.now(),
        claimed_at=None,
        last_error="",
    )
    return "sent"


def outbox_requeue_stalled() -> int:
    """Offer again every message that is due but has no live delivery on its way.

    Run by the worker at start-up and then periodically, it covers a worker killed
    while sending (its claim expires) and a task lost with its worker.
    """
    from outbox.tasks import deliver_outbox_message

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
