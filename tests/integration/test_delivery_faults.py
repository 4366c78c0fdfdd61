"""One bad row cannot stop background work — with a real worker on real Redis and PostgreSQL.

A reminder whose delivery raises is rolled back alone, retried with backoff, then failed, while the rest of its
batch is delivered; an e-mail whose transport raises leaves the others in its task sent; an e-mail written long
before it was claimed is not handed out again while the worker is sending it."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from notifications import delivery
from notifications.models import Channel, Notification, NotificationState
from notifications.tasks import send_notifications
from opinions.choices import ReminderState
from opinions.models import Case, Reminder
from opinions.reminders import sweep
from opinions.reminders.tasks import deliver_reminders

from .conftest import require_postgres_and_redis, start_worker, stop_worker
from .fault_worker import BROKEN, SLOW
from .test_worker_faults import wait_until

N_GOOD = 200
CLAIM_TIME = timezone.make_aware(datetime(2026, 11, 2, 10, 0))  # a Monday, inside the sending window


@pytest.fixture(scope="module")
def release_file(tmp_path_factory):
    return tmp_path_factory.mktemp("faults") / "release"


@pytest.fixture(scope="module")
def fault_worker(django_db_setup, django_db_blocker, release_file):
    require_postgres_and_redis()
    worker = start_worker("faults", app_module="tests.integration.fault_worker", FAULT_RELEASE_FILE=str(release_file))
    yield worker
    stop_worker(worker)


def email(world, address: str) -> Notification:
    return Notification.objects.create(dedupe_key=f"fault:{address}", recipient=world.liaison, channel=Channel.EMAIL,
                                       address=address, event="case_issued", subject="新案件交办：故障测试")


@pytest.mark.worker
# Committed data (the worker must see it); see test_worker_faults.py on why these tests are transactional.
@pytest.mark.django_db(transaction=True)
def test_a_reminder_that_raises_is_retried_then_failed_while_the_rest_of_its_batch_is_delivered(world,
                                                                                               fault_worker):
    due = date(2026, 11, 2)
    cases = Case.objects.bulk_create(
        Case(kind="plan_execution", title=f"坏行测试 {n}", lead_body=world.gov, status="in_progress", due_date=due,
             supervising_committee=world.caijing) for n in range(N_GOOD + 1))
    reminders = Reminder.objects.bulk_create(
        Reminder(case=case, step="before:0", due_date=due, fire_at=CLAIM_TIME - timedelta(hours=1))
        for case in cases[:N_GOOD])
    broken = Reminder.objects.create(case=cases[N_GOOD], step="before:x", due_date=due,  # its step cannot be read
                                     fire_at=CLAIM_TIME - timedelta(hours=1))
    ids = sweep.claim_due(now=CLAIM_TIME)
    assert len(ids) == N_GOOD + 1  # one batch holds the bad row and all the good ones

    assert deliver_reminders.delay(ids, CLAIM_TIME.isoformat()).get(timeout=120) == {"sent": N_GOOD, "retry": 1}
    assert Reminder.objects.filter(pk__in=[r.pk for r in reminders], state=ReminderState.SENT).count() == N_GOOD
    now = CLAIM_TIME
    for attempt in range(2, sweep.MAX_ATTEMPTS + 1):
        broken.refresh_from_db()
        assert (broken.state, broken.attempts) == (ReminderState.PLANNED, attempt - 1)
        assert broken.next_attempt_at == now + delivery.backoff(attempt - 1)
        assert sweep.claim_due(now=broken.next_attempt_at - timedelta(seconds=1)) == []
        now = broken.next_attempt_at
        assert sweep.claim_due(now=now) == [broken.pk]
        deliver_reminders.delay([broken.pk], now.isoformat()).get(timeout=60)
    broken.refresh_from_db()
    assert (broken.state, broken.attempts) == (ReminderState.FAILED, sweep.MAX_ATTEMPTS)
    assert broken.last_error.startswith("ValueError")
    assert sweep.reclaim_stale(now=now + sweep.CLAIM_LEASE + timedelta(minutes=1)) == []  # nothing re-issued

    inbox = Notification.objects.filter(channel=Channel.INBOX, event="reminder_before", recipient=world.liaison)
    assert inbox.count() == N_GOOD
    assert inbox.values("case").distinct().count() == N_GOOD


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_email_whose_transport_raises_is_retried_then_failed_and_the_others_in_its_task_are_sent(world,
                                                                                                     fault_worker):
    rows = [email(world, address) for address in ("a@gov.example", BROKEN, "b@gov.example")]
    assert send_notifications.delay([row.pk for row in rows]).get(timeout=60) == {"sent": 2, "retry": 1}
    assert Notification.objects.filter(pk__in=[rows[0].pk, rows[2].pk], state=NotificationState.SENT).count() == 2
    broken = rows[1]
    for attempt in range(2, delivery.MAX_ATTEMPTS + 1):
        broken.refresh_from_db()
        assert (broken.state, broken.attempts) == (NotificationState.PENDING, attempt - 1)
        assert broken.last_error == "RuntimeError: the gateway client crashed on this address"
        retry = delivery.due_for_retry(now=broken.next_attempt_at)  # the sweep, when the backoff is over
        assert retry == [broken.pk]
        send_notifications.delay(retry).get(timeout=60)
    broken.refresh_from_db()
    assert (broken.state, broken.attempts) == (NotificationState.FAILED, delivery.MAX_ATTEMPTS)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_email_written_11_minutes_before_its_claim_is_not_handed_out_again_while_being_sent(world, fault_worker,
                                                                                              release_file):
    backlog = email(world, SLOW)
    send_notifications.delay([backlog.pk])

    def on_the_wire():
        backlog.refresh_from_db()
        return backlog.state == NotificationState.SENDING

    wait_until(on_the_wire, timeout=60, what="the worker to claim the e-mail")
    # Written 11 minutes before the worker claimed it: a backlog behind a broker outage.
    Notification.objects.filter(pk=backlog.pk).update(created_at=backlog.claimed_at - timedelta(minutes=11))
    sweep_at = backlog.claimed_at + timedelta(minutes=1)
    try:
        assert delivery.due_for_retry(now=sweep_at) == []
        assert delivery.send_one(backlog.pk, now=sweep_at) == "skipped"  # a second sender cannot take it
    finally:
        release_file.touch()
    wait_until(lambda: Notification.objects.filter(pk=backlog.pk, state=NotificationState.SENT).exists(),
               timeout=60, what="the e-mail to be sent")
    backlog.refresh_from_db()
    assert backlog.attempts == 1
