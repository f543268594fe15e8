from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guides.loader import GuideFileError, guides_load_directory


class Command(BaseCommand):
    help = (
        "Load the bundled guides (one YAML file per guide, all languages) from a directory. "
        "Unchanged files and guides edited in the admin are left alone (use --force)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="Overwrite guides edited in the admin."
        )

    def handle(self, *args, directory: Path, force: bool, **options) -> None:
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory of guide files.")
        try:
            results = guides_load_directory(directory=directory, force=force)
        except GuideFileError as error:
            raise CommandError(str(error)) from error
        for result in results:
            if result.action != "unchanged" or options["verbosity"] > 1:
                self.stdout.write(f"guide {result.slug} ({result.language}): {result.action}")
        unchanged = sum(result.action == "unchanged" for result in results)
        self.stdout.write(f"{len(results)} guide translations, {unchanged} unchanged.")
