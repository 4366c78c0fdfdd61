# The reminder ladder moved to opinions (issue 12; see opinions 0012). State only: the table and its rows stay.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0003_retries_and_claim_leases'),
        ('opinions', '0012_reminder_moved_from_notifications'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='notification',
                    name='reminder',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='opinions.reminder'),
                ),
                migrations.DeleteModel(name='Reminder'),
            ],
            database_operations=[],
        ),
    ]
