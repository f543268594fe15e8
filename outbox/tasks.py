from __future__ import annotations

from django.tasks import task

from outbox.delivery import outbox_message_deliver


@task()
def deliver_outbox_message(message_id: int) -> str:
    delivery = outbox_message_deliver(message_id=message_id)
    if delivery.retry_at is not None:
        # The next attempt is a task of its own, due when the back-off ends.
        deliver_outbox_message.using(run_after=delivery.retry_at).enqueue(message_id)
    return delivery.outcome
