from django.db import migrations


class Migration(migrations.Migration):
    """The tables take this app's name (troubleshooting_x becomes support_x); rows are kept."""

    dependencies = [
        ('support', '0001_initial'),
        ('troubleshooting', '0006_guides_and_support_move_to_their_apps'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='supportattachment',
            table=None,
        ),
        migrations.AlterModelTable(
            name='supportrequest',
            table=None,
        ),
    ]
