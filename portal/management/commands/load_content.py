from __future__ import annotations

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from portal.settings import BASE_DIR

CONTENT_DIR = BASE_DIR / "content"

# The bundled content, in load order; each loader is idempotent.
LOADERS: list[tuple[str, list[str]]] = [
    ("import_readme", [str(CONTENT_DIR / "articles")]),
    ("load_guides", [str(CONTENT_DIR / "guides")]),
]


class Command(BaseCommand):
    help = "Load the articles and guides bundled in content/ (safe to run again)."

    def handle(self, *args, **options) -> None:
        available = get_commands()
        for command, arguments in LOADERS:
            if command in available:
                call_command(command, *arguments, stdout=self.stdout, stderr=self.stderr)
