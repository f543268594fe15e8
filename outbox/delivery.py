"""Sending one queued message: claim it, hand it to the mail server, record what happened.

A worker claims a message with a conditional UPDATE and a lease, so two workers
offered the same message cannot both send it. A worker that dies mid-send leaves
the claim to expire, and the message is offered again (the one case where SMTP can
deliver twice: accepted, then the worker died before recording it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.utils import timezone

from outbox.models import OutboxMessage

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    """What one delivery attempt did, and when the next one is due if there is one."""

    outcome: str
    retry_at: datetime | None = None


def _retry_delay(attempts: int) -> float:
    delays = settings.OUTBOX_RETRY_DELAYS
    return delays[min(attempts, len(delays)) - 1]


def outbox_message_claim(*, message_id: int) -> bool:
    """Mark the message as being sent by this worker, if it is due and nobody holds it.

    One conditional UPDATE: of two workers claiming the same message, one wins.
    """
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


def outbox_message_deliver(*, message_id: int) -> Delivery:
    """Send one message if it is due and nobody else holds it.

    A failed attempt is recorded with the time of the next one in ``retry_at``;
    scheduling that attempt is the caller's job.
    """
    if not outbox_message_claim(message_id=message_id):
        return Delivery("not due or held by another worker")
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
        if failed_for_good:
            return Delivery("failed, given up")
        return Delivery("failed, will retry", retry_at=next_attempt_at)
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxMessage.Status.SENT,
        attempts=attempts,
        sent_at=timezone.now(),
        claimed_at=None,
        last_error="",
    )
    return Delivery("sent")
