"""Fault tests with a real worker on real Redis and PostgreSQL: kill -9 in the middle of a batch."""

import os
import signal
import time
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from notifications.models import Channel, Notification
from opinions.choices import ReminderState
from opinions.models import Case, Reminder
from opinions.reminders import sweep
from opinions.reminders.tasks import deliver_reminders

from .conftest import require_postgres_and_redis, start_worker, stop_worker

N_REMINDERS = 3000
BATCH = 50
# Tasks held by the killed worker come back after this (production default: 300 s).
VISIBILITY_TIMEOUT = "10"


def wait_until(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def wait_for(predicate, *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def sent_count() -> int:
    return Reminder.objects.filter(state=ReminderState.SENT).count()


@pytest.mark.worker
# Committed data (other processes must see it). pytest-django runs such tests after all the others, so the
# flush that follows them cannot take the seeded calendar and rule sets away from a test that needs them.
@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_batch_then_restart_delivers_every_reminder_exactly_once(world):
    require_postgres_and_redis()
    due = date(2026, 11, 2)
    cases = Case.objects.bulk_create(
        Case(kind="plan_execution", title=f"故障测试 {n}", lead_body=world.gov, status="in_progress", due_date=due,
             supervising_committee=world.caijing) for n in range(N_REMINDERS))
    claim_time = timezone.make_aware(datetime(2026, 11, 2, 10, 0))  # a Monday, inside the sending window
    Reminder.objects.bulk_create(Reminder(case=case, step="before:0", due_date=due,
                                          fire_at=claim_time - timedelta(hours=1)) for case in cases)
    batches = []
    while ids := sweep.claim_due(now=claim_time, limit=BATCH):
        batches.append(ids)
    assert sum(map(len, batches)) == N_REMINDERS
    worker = start_worker("victim", CELERY_VISIBILITY_TIMEOUT=VISIBILITY_TIMEOUT)
    try:
        for ids in batches:
            deliver_reminders.delay(ids)
        wait_until(lambda: sent_count() >= N_REMINDERS // 4, timeout=120, what="the first batches")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        killed_at = sent_count()
        assert killed_at < N_REMINDERS, "the worker finished before it could be killed"
        restarted = time.monotonic()
        worker = start_worker("revived", CELERY_VISIBILITY_TIMEOUT=VISIBILITY_TIMEOUT)
        # Two ways back, both real: the broker redelivers the unacknowledged task, or — if it does not (kombu
        # restores unacked messages under a mutex a killed worker may leave held) — the next sweep finds the
        # claims past their lease and hands them out again. Either way nothing may be sent twice.
        if not wait_for(lambda: sent_count() == N_REMINDERS, timeout=30):
            later = claim_time + sweep.CLAIM_LEASE + timedelta(minutes=1)
            while stale := sweep.reclaim_stale(now=later):
                deliver_reminders.delay(stale)
        wait_until(lambda: sent_count() == N_REMINDERS, timeout=180, what="redelivery after the kill")
        recovery_seconds = time.monotonic() - restarted
    finally:
        stop_worker(worker)

    inbox = Notification.objects.filter(channel=Channel.INBOX, event="reminder_before", recipient=world.liaison)
    delivered = inbox.count()
    duplicates = delivered - inbox.values("case").distinct().count()
    print(f"\nSIGKILL at {killed_at}/{N_REMINDERS} sent: delivered {delivered}, expected {N_REMINDERS}, "
          f"duplicates {duplicates}, recovered in {recovery_seconds:.1f} s")
    assert Reminder.objects.exclude(state=ReminderState.SENT).count() == 0
    assert delivered == N_REMINDERS
    assert duplicates == 0
