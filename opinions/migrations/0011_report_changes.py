from django.db import migrations, models

from opinions import textdiff


def store_changes(apps, schema_editor):
    """Each existing report's diff against the one before it, bounded like a new one (opinions.textdiff)."""
    Report = apps.get_model("opinions", "Report")
    previous = None
    for report in Report.objects.order_by("case_id", "submitted_at", "pk").only("case_id", "text").iterator():
        if previous is not None and previous.case_id == report.case_id:
            Report.objects.filter(pk=report.pk).update(changes=textdiff.diff(previous.text, report.text).to_json())
        previous = report


class Migration(migrations.Migration):

    dependencies = [
        ("opinions", "0010_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="changes",
            field=models.JSONField(blank=True, editable=False, null=True,
                                   verbose_name="changes since the previous report"),
        ),
        migrations.RunPython(store_changes, migrations.RunPython.noop),
    ]
