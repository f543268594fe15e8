"""SQLite only: the FTS5 search index (troubleshooting/fts.py), filled from the articles."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from troubleshooting import fts

    with schema_editor.connection.cursor() as cursor:
        for statement in fts.CREATE:
            cursor.execute(statement)
        Article = apps.get_model("troubleshooting", "Article")
        for article in Article.objects.filter(hidden=False).iterator():
            cursor.execute(
                f"INSERT INTO {fts.TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
                [article.pk, *fts.indexed_columns(article)],
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from troubleshooting import fts

    with schema_editor.connection.cursor() as cursor:
        for statement in fts.DROP:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("troubleshooting", "0006_guides_and_support_move_to_their_apps")]

    operations = [migrations.RunPython(create, drop)]
