from __future__ import annotations

from django.contrib.postgres.operations import TrigramExtension
from django.core.management import call_command
from django.db import migrations

# The admin searches with icontains, i.e. UPPER(col::text) LIKE UPPER('%term%'):
# trigram indexes on that very expression let PostgreSQL use an index for it.
SEARCHED_COLUMNS = [
    "rma_number",
    "serial_number",
    "account_id",
    "ticket_reference",
    "email",
    "postcode",
    "contact_name",
]


def create_search_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS returns_{column}_trgm ON returns_return "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_search_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS returns_{column}_trgm")


def create_cache_table(apps, schema_editor) -> None:
    # django-ratelimit counts in the database cache (settings: CACHES["ratelimit"]).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("returns", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_search_indexes, drop_search_indexes),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
