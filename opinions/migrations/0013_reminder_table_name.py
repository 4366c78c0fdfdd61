# Now that opinions owns the reminder model, its table takes the app's name (opinions_reminder).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('opinions', '0012_reminder_moved_from_notifications'),
        ('notifications', '0004_reminder_moved_to_opinions'),
    ]

    operations = [
        migrations.AlterModelTable(name='reminder', table=None),
    ]
