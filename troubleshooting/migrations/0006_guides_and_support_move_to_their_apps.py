from django.db import migrations

# Plain strings, not imports: a migration must not change when the code does.
MOVED = {
    "guides": ["guide", "guidestep", "guidechoice", "guiderun"],
    "support": ["supportrequest", "supportattachment"],
}


def _move_content_types(apps, schema_editor, *, forward: bool) -> None:
    """Permissions, the roles' grants and admin history follow the models to their new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for app_label, models in MOVED.items():
        source, target = ("troubleshooting", app_label) if forward else (app_label, "troubleshooting")
        for model in models:
            moving = ContentType.objects.using(db).filter(app_label=source, model=model).first()
            if moving is None:
                continue
            # A type made for the target app before this ran holds no grants yet.
            ContentType.objects.using(db).filter(app_label=target, model=model).delete()
            moving.app_label = target
            moving.save(update_fields=["app_label"])
    from django.contrib.contenttypes.models import ContentType as LiveContentType

    LiveContentType.objects.clear_cache()


def move_content_types(apps, schema_editor) -> None:
    _move_content_types(apps, schema_editor, forward=True)


def move_content_types_back(apps, schema_editor) -> None:
    _move_content_types(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    """Guides and support requests now belong to their own apps; their tables are kept."""

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('support', '0001_initial'),
        ('guides', '0001_initial'),
        ('troubleshooting', '0005_guide_steps_use_the_return_reasons'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='guide',
                    name='guide_unique_slug_language',
                ),
                migrations.RemoveField(
                    model_name='guidechoice',
                    name='next_step',
                ),
                migrations.RemoveField(
                    model_name='guidechoice',
                    name='step',
                ),
                migrations.RemoveIndex(
                    model_name='guiderun',
                    name='guide_run_report_idx',
                ),
                migrations.RemoveField(
                    model_name='supportrequest',
                    name='guide_run',
                ),
                migrations.RemoveConstraint(
                    model_name='guidestep',
                    name='guide_step_unique_key',
                ),
                migrations.RemoveField(
                    model_name='supportattachment',
                    name='support_request',
                ),
                migrations.RemoveField(
                    model_name='supportrequest',
                    name='assignee',
                ),
                migrations.DeleteModel(
                    name='GuideChoice',
                ),
                migrations.RemoveField(
                    model_name='guiderun',
                    name='guide',
                ),
                migrations.RemoveField(
                    model_name='guidestep',
                    name='guide',
                ),
                migrations.DeleteModel(
                    name='SupportAttachment',
                ),
                migrations.DeleteModel(
                    name='SupportRequest',
                ),
                migrations.DeleteModel(
                    name='GuideRun',
                ),
                migrations.DeleteModel(
                    name='Guide',
                ),
                migrations.DeleteModel(
                    name='GuideStep',
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
