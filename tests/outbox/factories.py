from __future__ import annotations

import factory
from django.utils import timezone

from outbox.models import OutboxMessage


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    """A message as `outbox_message_queue` stores it, without its delivery task."""

    class Meta:
        model = OutboxMessage

    to = factory.Sequence(lambda n: f"merchant{n}@example.nl")
    reply_to = "pos-support@example.com"
    subject = factory.Sequence(lambda n: f"Your return RMA-{n:06d} has been received")
    body_text = factory.Faker("paragraph", locale="nl_NL")
    reference = factory.Sequence(lambda n: f"RMA-{n:06d}")
    language = "nl"


def make_due(message: OutboxMessage) -> None:
    """What the passing of the back-off does: the message's next attempt is due now."""
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
