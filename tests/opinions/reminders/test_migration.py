"""The reminder model moved from notifications to opinions (issue 12): planned and sent rungs, and the messages that
point at them, are the same rows after the migration, in the table that now carries the app's name."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notifications.models import Notification
from opinions.models import Reminder

BEFORE = [("opinions", "0011_report_changes"), ("notifications", "0003_retries_and_claim_leases")]
AFTER = [("opinions", "0013_reminder_table_name"), ("notifications", "0004_reminder_moved_to_opinions")]
FIRE_AT = datetime(2026, 6, 1, 0, 30, tzinfo=UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest_schema_after():
    """The schema goes back to its latest state afterwards: a later test (on the same database) needs every column
    added since these migrations."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


# Transactional: migrations change the schema. pytest-django runs such tests after the others, with a flush after.
@pytest.mark.django_db(transaction=True)
def test_reminders_and_their_messages_are_the_same_rows_after_the_move(latest_schema_after):
    old = migrate(BEFORE)
    body = old.get_model("agencies", "Body").objects.create(name="安阳市人民政府", short_name="市人民政府",
                                                              kind="government")
    case = old.get_model("opinions", "Case").objects.create(kind="plan_execution", title="迁移测试", lead_body=body,
                                                            status="in_progress", due_date=date(2026, 6, 30))
    OldReminder = old.get_model("notifications", "Reminder")
    sent = OldReminder.objects.create(case=case, step="before:30", due_date=date(2026, 6, 30), fire_at=FIRE_AT,
                                      state="sent", outcome="")
    planned = OldReminder.objects.create(case=case, step="before:7", due_date=date(2026, 6, 30), fire_at=FIRE_AT)
    old.get_model("notifications", "Notification").objects.create(
        dedupe_key="r-migration", channel="inbox", case=case, reminder=sent, event="reminder_before", subject="还剩")

    migrate(AFTER)
    assert "opinions_reminder" in connection.introspection.table_names()
    assert "notifications_reminder" not in connection.introspection.table_names()
    moved = {r.pk: (r.step, r.state) for r in Reminder.objects.filter(case_id=case.pk)}
    assert moved == {sent.pk: ("before:30", "sent"), planned.pk: ("before:7", "planned")}
    assert Notification.objects.get(dedupe_key="r-migration").reminder == Reminder.objects.get(pk=sent.pk)
    # The constraint that makes planning idempotent came along.
    Reminder.objects.bulk_create([Reminder(case_id=case.pk, step="before:7", due_date=date(2026, 6, 30),
                                           fire_at=FIRE_AT)], ignore_conflicts=True)
    assert Reminder.objects.filter(case_id=case.pk).count() == 2
