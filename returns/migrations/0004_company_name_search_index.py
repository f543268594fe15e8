from __future__ import annotations

from django.db import migrations


def create_index(apps, schema_editor) -> None:
    # The queue's search finds a return by company name too, through the same kind of
    # trigram index as the other searched details (see 0002).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS returns_company_name_trgm ON returns_return "
            "USING gin ((UPPER(company_name::text)) gin_trgm_ops)"
        )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS returns_company_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("returns", "0003_admin_filter_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]
