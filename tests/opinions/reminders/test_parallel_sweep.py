"""Two sweeps at once (PostgreSQL, real transactions, two threads): every reminder claimed and sent exactly once."""

from datetime import date, timedelta

import pytest
from django.db import connection

from notifications.models import Channel, Notification
from opinions.choices import ReminderState
from opinions.models import Case, Reminder
from opinions.reminders import sweep
from tests.concurrency import run_together
from tests.moments import local

N_CASES = 400
NOW = local(2020, 12, 8, 10, 0)


@pytest.fixture
def many_due_reminders(world):
    cases = Case.objects.bulk_create(
        Case(kind="plan_execution", title=f"并发测试 {n}", lead_body=world.gov, status="in_progress",
             due_date=date(2020, 12, 7), supervising_committee=world.caijing) for n in range(N_CASES))
    Reminder.objects.bulk_create(
        Reminder(case=case, step="overdue", due_date=date(2020, 12, 7), fire_at=NOW - timedelta(hours=1))
        for case in cases)
    return cases


# Committed data (other processes must see it). pytest-django runs such tests after all the others, so the
# flush that follows them cannot take the seeded calendar and rule sets away from a test that needs them.
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_in_parallel_send_each_reminder_once(many_due_reminders, world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and SKIP LOCKED need PostgreSQL; runs in the PostgreSQL pass")
    claimed = []

    def run_sweep(together):
        together()
        while ids := sweep.claim_due(now=NOW, limit=50):
            claimed.append(len(ids))
            sweep.deliver(ids, now=NOW)

    assert run_together(run_sweep, run_sweep, timeout=120) == []
    assert sum(claimed) == N_CASES
    assert Reminder.objects.filter(state=ReminderState.SENT).count() == N_CASES
    inbox = Notification.objects.filter(recipient=world.liaison, channel=Channel.INBOX, event="reminder_overdue")
    assert inbox.count() == N_CASES
    assert inbox.values("case").distinct().count() == N_CASES
