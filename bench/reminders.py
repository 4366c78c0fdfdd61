"""Benchmark: reminder planning and one sweep on PostgreSQL (issue 3). Prints figures; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/reminders.py [--cases 100000]

Works in its own database (npc_bench, dropped and re-created), so it never touches real data:
  1. creates N open cases (bulk, not timed) with due dates spread over the next 60 days;
  2. plans their reminder ladders with opinions.reminders.planning.replan_cases in batches of 1,000 (timed, queries);
  3. makes 10,000 reminders due and runs the sweep's claim + deliver to the in-app inbox in this process
     (timed, queries per batch);
  4. with REDIS_URL set: makes another 10,000 due and lets a real Celery worker pool (one process per core, as in
     production) deliver the claimed batches (timed end to end).
"""

import argparse
import os
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000, help="reminders made due for the sweep")
    args = parser.parse_args()
    from bench._db import use_bench_database

    print(f"database: {use_bench_database()}")
    redis_url = os.environ.get("REDIS_URL", "")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npc_tracker.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from agencies.models import Body, Membership, MembershipRole
    from notifications.models import Notification
    from opinions import services
    from opinions.choices import ReminderState
    from opinions.models import CalendarDay, Case, Reminder
    from opinions.reminders import sweep
    from opinions.reminders.planning import replan_cases

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    if not CalendarDay.objects.filter(date__year=today.year + 1).exists():
        # Due dates run into next year; give it a weekends-only calendar if the official one is not entered.
        services.calendar_enter_year(year=today.year + 1, actor=None, rest_days={}, make_up_workdays={})

    body = Body.objects.create(name="基准测试单位", kind="government")
    for n in range(2):
        user = get_user_model().objects.create(username=f"bench_liaison{n}")
        Membership.objects.create(user=user, role=MembershipRole.LIAISON, body=body)
    started = time.perf_counter()
    Case.objects.bulk_create(
        (Case(kind="special_work_report", title=f"基准案件 {n}", lead_body=body, status="in_progress",
              due_date=today + timedelta(days=1 + n % 60)) for n in range(args.cases)), batch_size=5000)
    print(f"created {args.cases:,} open cases in {time.perf_counter() - started:.1f} s (setup, not measured)")

    counter = QueryCounter()
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        for offset in range(0, len(ids), 1000):
            replan_cases(Case.objects.filter(pk__in=ids[offset:offset + 1000]))
    elapsed = time.perf_counter() - started
    planned = Reminder.objects.count()
    batches = -(-len(ids) // 1000)
    print(f"planning: {planned:,} reminders for {args.cases:,} cases in {elapsed:.1f} s "
          f"({args.cases / elapsed:,.0f} cases/s); {counter.count:,} queries = {counter.count / batches:.1f} per "
          f"batch of 1,000 cases")

    now = timezone.make_aware(datetime.combine(date(2026, 11, 23), datetime.min.time())) + timedelta(hours=10)

    def make_due(count: int) -> None:
        """`count` reminders of untouched cases become due now (the first rung of each), as after a night."""
        touched = Reminder.objects.exclude(state=ReminderState.PLANNED).values("case_id")
        due_ids = list(Reminder.objects.filter(state=ReminderState.PLANNED).exclude(case_id__in=touched)
                       .order_by("case_id", "fire_at").distinct("case_id").values_list("pk", flat=True)[:count])
        Reminder.objects.filter(pk__in=due_ids).update(fire_at=now - timedelta(minutes=5))

    make_due(args.due)
    counter = QueryCounter()
    started = time.perf_counter()
    delivered_batches = 0
    with connection.execute_wrapper(counter):
        while batch := sweep.claim_due(now=now, limit=sweep.BATCH_SIZE):
            sweep.deliver(batch, now=now)
            delivered_batches += 1
    elapsed = time.perf_counter() - started
    sent = Reminder.objects.filter(state=ReminderState.SENT).count()
    skipped = Reminder.objects.filter(state=ReminderState.SKIPPED).count()
    inbox = Notification.objects.filter(channel="inbox").count()
    print(f"sweep: {sent:,} reminders sent (+{skipped:,} skipped) as {inbox:,} inbox messages in {elapsed:.1f} s "
          f"= {sent / elapsed:,.0f} reminders/s; {counter.count:,} queries in {delivered_batches} batches of "
          f"{sweep.BATCH_SIZE} = {counter.count / max(delivered_batches, 1):.1f} per batch")
    if redis_url:
        measure_worker_pool(redis_url, args.due, now, make_due)


def measure_worker_pool(redis_url: str, count: int, now, make_due) -> None:
    import subprocess

    from opinions.choices import ReminderState
    from opinions.models import Reminder
    from opinions.reminders import sweep

    make_due(count)
    batches = []
    while ids := sweep.claim_due(now=now, limit=sweep.BATCH_SIZE):
        batches.append(ids)
    env = {**os.environ, "REDIS_URL": redis_url}
    workers = os.cpu_count() or 2
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "npc_tracker", "worker", "--loglevel=WARNING",
                               f"--concurrency={workers}", "--without-gossip", "--without-mingle", "-n",
                               f"bench-{os.getpid()}@%h"], cwd=ROOT, env=env)
    try:
        from npc_tracker.celery import app

        while not app.control.ping(timeout=1):
            time.sleep(0.5)
        already = Reminder.objects.filter(state=ReminderState.SENT).count()
        claimed = sum(map(len, batches))
        from opinions.reminders.tasks import deliver_reminders

        started = time.perf_counter()
        for ids in batches:
            deliver_reminders.delay(ids)
        while Reminder.objects.filter(state=ReminderState.SENT).count() < already + claimed:
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        print(f"worker pool ({workers} processes, Redis): {claimed:,} reminders delivered in {elapsed:.1f} s "
              f"= {claimed / elapsed:,.0f} reminders/s, {len(batches)} batches")
    finally:
        worker.terminate()
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()
