"""Full-text and trigram indexes for search; PostgreSQL only, so SQLite migrations still run."""

from __future__ import annotations

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("kb_article_vector_gin", "troubleshooting_article", "USING gin (search_vector)"),
    ("kb_article_title_trgm", "troubleshooting_article", "USING gin (title gin_trgm_ops)"),
    ("kb_article_text_trgm", "troubleshooting_article", "USING gin (search_text gin_trgm_ops)"),
    ("kb_message_text_trgm", "troubleshooting_terminalmessage", "USING gin (text gin_trgm_ops)"),
]


def create_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, using in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {using}")


def drop_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _using in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("troubleshooting", "0001_content_models")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
