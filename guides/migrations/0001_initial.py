import django.db.models.deletion
import django.utils.timezone
import guides.models
from django.db import migrations, models


class Migration(migrations.Migration):
    """Guides move here from troubleshooting: the tables stay, only Django's record of them moves."""

    initial = True

    dependencies = [
        ('troubleshooting', '0005_guide_steps_use_the_return_reasons'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Guide',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.SlugField(max_length=80, verbose_name='slug')),
                        ('language', models.CharField(choices=[('en', 'English'), ('nl', 'Dutch'), ('fr', 'French')], max_length=8, verbose_name='language')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('summary', models.TextField(blank=True, help_text='One or two sentences shown in the list of guides.', verbose_name='summary')),
                        ('keywords', models.CharField(blank=True, help_text='Words merchants search for, so search results can suggest this guide.', max_length=300, verbose_name='keywords')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position in the list')),
                        ('is_published', models.BooleanField(default=False, help_text='Only a guide without problems can be published.', verbose_name='published')),
                        ('source_checksum', models.CharField(blank=True, editable=False, max_length=64)),
                        ('edited_in_admin', models.BooleanField(default=False, editable=False)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ],
                    options={
                        'verbose_name': 'guide',
                        'verbose_name_plural': 'guides',
                        'db_table': 'troubleshooting_guide',
                        'ordering': ['position', 'slug', 'language'],
                        'constraints': [models.UniqueConstraint(fields=('slug', 'language'), name='guide_unique_slug_language')],
                    },
                ),
                migrations.CreateModel(
                    name='GuideStep',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.SlugField(help_text="Part of the step's web address; keep it stable.", max_length=80, verbose_name='key')),
                        ('position', models.PositiveSmallIntegerField(default=0, help_text='The first step is where the guide starts.', verbose_name='position')),
                        ('kind', models.CharField(choices=[('question', 'Question'), ('instruction', 'Instruction (fixed it / still not working)'), ('resolved', 'Outcome: resolved'), ('support', 'Outcome: contact support'), ('return', 'Outcome: request a return')], default='question', max_length=12, verbose_name='kind')),
                        ('title', models.CharField(max_length=200, verbose_name='question or heading')),
                        ('body', models.TextField(blank=True, verbose_name='text (Markdown)')),
                        ('article_slug', models.SlugField(blank=True, help_text='Slug of an article.', max_length=120, verbose_name='related article')),
                        ('return_reason', models.CharField(blank=True, choices=[('display', 'Display broken'), ('keyboard', 'Keyboard broken'), ('printer', 'Printer broken'), ('scanner', 'Scanner broken'), ('battery', 'Battery not working / no power'), ('payment', "Payment issues (only on support's request)"), ('chip_reader', 'Chip reader broken'), ('hardware_damage', 'Hardware damage'), ('network', 'Network not working'), ('account_closure', 'Account closure'), ('wrong_terminal', 'Wrong terminal ordered')], help_text="Only for 'request a return' outcomes.", max_length=20, verbose_name='return reason')),
                        ('guide', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='guides.guide')),
                    ],
                    options={
                        'verbose_name': 'step',
                        'verbose_name_plural': 'steps',
                        'db_table': 'troubleshooting_guidestep',
                        'ordering': ['guide', 'position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='GuideChoice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('label', models.CharField(max_length=200, verbose_name='answer')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('next_step', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='guides.guidestep', verbose_name='leads to')),
                        ('step', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='choices', to='guides.guidestep')),
                    ],
                    options={
                        'verbose_name': 'answer',
                        'verbose_name_plural': 'answers',
                        'db_table': 'troubleshooting_guidechoice',
                        'ordering': ['step', 'position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='GuideRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(default=guides.models.new_token, editable=False, max_length=40, unique=True)),
                        ('guide_slug', models.SlugField(max_length=80, verbose_name='guide')),
                        ('language', models.CharField(max_length=8, verbose_name='language')),
                        ('path', models.JSONField(blank=True, default=list, verbose_name='path')),
                        ('current_step_key', models.CharField(blank=True, max_length=80, verbose_name='current step')),
                        ('outcome', models.CharField(choices=[('in_progress', 'In progress'), ('resolved', 'Resolved'), ('escalated', 'Escalated'), ('abandoned', 'Abandoned')], default='in_progress', max_length=12, verbose_name='outcome')),
                        ('outcome_kind', models.CharField(blank=True, max_length=12, verbose_name='ending')),
                        ('started_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='started')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='last answer')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                        ('guide', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='runs', to='guides.guide', verbose_name='guide')),
                    ],
                    options={
                        'verbose_name': 'guide run',
                        'verbose_name_plural': 'guide runs',
                        'db_table': 'troubleshooting_guiderun',
                        'ordering': ['-started_at'],
                        'indexes': [models.Index(fields=['guide_slug', 'language', 'outcome'], name='guide_run_report_idx')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='guidestep',
                    constraint=models.UniqueConstraint(fields=('guide', 'key'), name='guide_step_unique_key'),
                ),
            ],
        ),
    ]
