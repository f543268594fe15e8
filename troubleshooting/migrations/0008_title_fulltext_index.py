"""A full-text index over titles and keywords, in each article's language; PostgreSQL only.

Search takes its candidates from the indexes before ranking them (troubleshooting/search.py,
``TITLE_DOCUMENT``, which must stay the very expression indexed here).
"""

from __future__ import annotations

from django.db import migrations

TITLE_DOCUMENT = (
    "to_tsvector(CASE language WHEN 'nl' THEN 'dutch'::regconfig "
    "WHEN 'fr' THEN 'french'::regconfig ELSE 'english'::regconfig END, "
    "title || ' ' || keywords)"
)


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS kb_article_title_fts ON troubleshooting_article "
            f"USING gin ({TITLE_DOCUMENT})"
        )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS kb_article_title_fts")


class Migration(migrations.Migration):
    dependencies = [("troubleshooting", "0007_sqlite_fts5_index")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
