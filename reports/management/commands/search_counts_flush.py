from __future__ import annotations

from django.core.management.base import BaseCommand

from reports.search_counts import search_counts_flush


class Command(BaseCommand):
    help = "Copy the search counters from the shared cache into the database (run daily)."

    def handle(self, *args, **options) -> None:
        written = search_counts_flush()
        self.stdout.write(f"{written} search counts written.")
