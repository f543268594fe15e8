from django.db import migrations


class Migration(migrations.Migration):
    """The tables take this app's name (troubleshooting_x becomes guides_x); rows are kept."""

    dependencies = [
        ('guides', '0001_initial'),
        ('troubleshooting', '0006_guides_and_support_move_to_their_apps'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='guide',
            table=None,
        ),
        migrations.AlterModelTable(
            name='guidechoice',
            table=None,
        ),
        migrations.AlterModelTable(
            name='guiderun',
            table=None,
        ),
        migrations.AlterModelTable(
            name='guidestep',
            table=None,
        ),
    ]
