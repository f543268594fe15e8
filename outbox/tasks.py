from __future__ import annotations

from django.tasks import task

from outbox.services import outbox_message_deliver


@task()
def deliver_outbox_message(message_id: int) -> str:
    return outbox_message_deliver(message_id=message_id)
