import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import guides.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Support requests move here from troubleshooting: the tables stay, only Django's record moves."""

    initial = True

    dependencies = [
        ('troubleshooting', '0005_guide_steps_use_the_return_reasons'),
        ('guides', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SupportRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='received')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('public_token', models.CharField(default=guides.models.new_token, editable=False, max_length=40, unique=True)),
                        ('submission_key', models.CharField(default=guides.models.new_token, editable=False, max_length=40, unique=True)),
                        ('account_id', models.CharField(max_length=20, verbose_name='account ID')),
                        ('serial_number', models.CharField(max_length=40, verbose_name='terminal serial number')),
                        ('description', models.TextField(blank=True, verbose_name='description of the issue')),
                        ('contact_name', models.CharField(max_length=120, verbose_name='contact name')),
                        ('email', models.EmailField(max_length=254, verbose_name='e-mail')),
                        ('phone', models.CharField(blank=True, max_length=30, verbose_name='phone')),
                        ('language', models.CharField(default='en', max_length=8, verbose_name='language')),
                        ('guide_path_text', models.TextField(blank=True, verbose_name='guide path')),
                        ('status', models.CharField(choices=[('open', 'Open'), ('answered', 'Answered'), ('closed', 'Closed')], db_index=True, default='open', max_length=10, verbose_name='status')),
                        ('notes', models.TextField(blank=True, verbose_name='internal notes')),
                        ('assignee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assignee')),
                        ('guide_run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='support_requests', to='guides.guiderun', verbose_name='guide run')),
                    ],
                    options={
                        'verbose_name': 'support request',
                        'verbose_name_plural': 'support requests',
                        'db_table': 'troubleshooting_supportrequest',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='SupportAttachment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(upload_to='support/%Y/%m/', validators=[django.core.validators.FileExtensionValidator(['jpg', 'jpeg', 'png', 'webp', 'heic', 'mp4', 'mov', 'webm'])], verbose_name='file')),
                        ('original_name', models.CharField(max_length=200, verbose_name='file name')),
                        ('kind', models.CharField(choices=[('image', 'Photo'), ('video', 'Video')], max_length=8, verbose_name='kind')),
                        ('content_type', models.CharField(max_length=60, verbose_name='type')),
                        ('size', models.PositiveBigIntegerField(verbose_name='size in bytes')),
                        ('support_request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='support.supportrequest')),
                    ],
                    options={
                        'verbose_name': 'attachment',
                        'verbose_name_plural': 'attachments',
                        'db_table': 'troubleshooting_supportattachment',
                    },
                ),
            ],
        ),
    ]
