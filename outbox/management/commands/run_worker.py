from __future__ import annotations

import threading
import time

from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from outbox.services import outbox_requeue_stalled


def _sweep_forever(stop: threading.Event) -> None:
    """Run each of settings.WORKER_SWEEPS at its interval until ``stop`` is set."""
    jobs = [(import_string(path), float(every)) for path, every in settings.WORKER_SWEEPS.items()]
    if not jobs:
        return
    due = [time.monotonic() + every for _job, every in jobs]
    while not stop.wait(min(every for _job, every in jobs)):
        for index, (job, every) in enumerate(jobs):
            if time.monotonic() < due[index]:
                continue
            due[index] = time.monotonic() + every
            close_old_connections()
            try:
                job()
            except Exception:  # The database may be briefly away; the next sweep tries again.
                pass
            finally:
                close_old_connections()


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker: tasks from the database queue, every outgoing e-mail "
        "that a dead worker or an outage left behind, and the other sweeps of WORKER_SWEEPS."
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
