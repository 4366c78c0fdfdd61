# The reminder ladder is case business (issue 12): its model moves from notifications to opinions. Its table and
# rows stay; this migration only tells Django's state that opinions owns it now (notifications 0004 lets go).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('opinions', '0011_report_changes'),
        ('notifications', '0003_retries_and_claim_leases'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('step', models.CharField(max_length=20, verbose_name='step')),
                        ('due_date', models.DateField(verbose_name='for due date')),
                        ('fire_at', models.DateTimeField(verbose_name='fires at')),
                        ('state', models.CharField(choices=[('planned', 'Planned'), ('claimed', 'Being sent'), ('sent', 'Sent'), ('skipped', 'Skipped (superseded)'), ('cancelled', 'Cancelled'), ('failed', 'Failed')], default='planned', max_length=20, verbose_name='state')),
                        ('claim_token', models.UUIDField(blank=True, editable=False, null=True)),
                        ('claimed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='claimed at')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt at')),
                        ('last_error', models.TextField(blank=True, verbose_name='last error')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                        ('outcome', models.CharField(blank=True, max_length=200, verbose_name='outcome')),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='opinions.case', verbose_name='case')),
                    ],
                    options={
                        'verbose_name': 'reminder',
                        'verbose_name_plural': 'reminders',
                        'ordering': ['fire_at'],
                        'db_table': 'notifications_reminder',
                        'indexes': [models.Index(fields=['state', 'fire_at'], name='reminder_due_idx')],
                        'constraints': [models.UniqueConstraint(fields=('case', 'step', 'due_date'), name='one_reminder_per_step')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
