from __future__ import annotations

import threading

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from outbox.services import outbox_requeue_stalled

SWEEP_INTERVAL_SECONDS = 60


def _sweep_forever(stop: threading.Event) -> None:
    while not stop.wait(SWEEP_INTERVAL_SECONDS):
        close_old_connections()
        try:
            outbox_requeue_stalled()
        except Exception:  # The database may be briefly away; the next sweep tries again.
            pass
        finally:
            close_old_connections()


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker: tasks from the database queue, and every outgoing "
        "e-mail that a dead worker or an outage left behind."
    )

    def handle(self, *args, **options) -> None:
        requeued = outbox_requeue_stalled()
        if requeued:
            self.stdout.write(f"Offered {requeued} waiting e-mail(s) for delivery again.")
        close_old_connections()
        stop = threading.Event()
        if not options.get("batch"):
            threading.Thread(target=_sweep_forever, args=(stop,), daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
