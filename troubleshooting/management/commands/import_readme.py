from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand, no_translations
from django.db import transaction

from troubleshooting.importer import import_paths


class Command(BaseCommand):
    help = (
        "Import ReadMe-format Markdown pages (files or folders) as help articles. "
        "Safe to run again: unchanged pages are left alone, changed pages are updated in place."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", help="Markdown files or folders holding them.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change without changing anything.",
        )

    @no_translations
    def handle(self, *args, paths: list[str], dry_run: bool, **options) -> None:
        with transaction.atomic():
            reports = import_paths(paths)
            if dry_run:
                transaction.set_rollback(True)
        counts: Counter[str] = Counter()
        warnings = 0
        for report in reports:
            counts[report.status] += 1
            line = f"{report.status:<9} {report.path}"
            if report.url:
                line += f" -> {report.url}"
            style = self.style.ERROR if report.status == "failed" else self.style.SUCCESS
            self.stdout.write(style(line) if report.status != "unchanged" else line)
            for problem in report.problems:
                where = f"{report.path}:{problem.line}" if problem.line else str(report.path)
                self.stdout.write(self.style.WARNING(f"          {where}: {problem.message}"))
                warnings += 1
        summary = ", ".join(
            f"{counts[status]} {status}" for status in ("created", "updated", "unchanged", "failed")
        )
        prefix = "Dry run, nothing saved: " if dry_run else ""
        self.stdout.write(f"{prefix}{len(reports)} files: {summary}; {warnings} problems reported.")
