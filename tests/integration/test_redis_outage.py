"""Redis stopped for 60 s while cases change and the sweep runs, then started again: nothing lost, nothing twice.

The test runs its own redis-server on a spare port (never the machine's), with no persistence, so every message
queued when it stops is really lost — recovery must come from the database (claims past their lease)."""

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from notifications.models import Channel, Notification
from opinions.choices import ReminderState
from opinions.models import Reminder

from .conftest import ROOT, require_postgres_and_redis, start_worker, stop_worker, worker_env

OUTAGE_SECONDS = 60
PER_PHASE = 150


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(port: int) -> subprocess.Popen:
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL)
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.1)
    server.kill()
    pytest.fail("redis-server did not start")


def app_phase(phase: str, redis_url: str) -> dict:
    env = worker_env(REDIS_URL=redis_url, DJANGO_SETTINGS_MODULE="npc_tracker.settings")
    result = subprocess.run([sys.executable, "-m", "tests.integration.outage_app", phase, str(PER_PHASE)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return predicate()


def sent() -> int:
    return Reminder.objects.filter(state=ReminderState.SENT).count()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_60_second_redis_outage_loses_nothing_and_sends_nothing_twice(world):
    require_postgres_and_redis()
    port = free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    redis = start_redis(port)
    worker = start_worker("outage", REDIS_URL=redis_url)
    try:
        before = app_phase("before", redis_url)
        assert before["claimed"] == 2 * PER_PHASE  # the overdue notice and the escalation of each case
        assert wait_for(lambda: sent() == 2 * PER_PHASE, 60)

        redis.kill()
        redis.wait()
        down_since = time.monotonic()
        during = app_phase("during", redis_url)  # cases change and the sweep runs while the broker is gone
        assert during["claimed"] == 2 * PER_PHASE
        assert sent() == 2 * PER_PHASE  # claimed, but nobody could be told
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_since)))
        redis = start_redis(port)  # empty: whatever was queued before the outage is gone for good

        after = app_phase("after", redis_url)
        assert after["reclaimed"] == 2 * PER_PHASE
        assert wait_for(lambda: sent() == 4 * PER_PHASE, 120), f"only {sent()} sent"
    finally:
        stop_worker(worker)
        redis.kill()
        redis.wait()

    total = 4 * PER_PHASE
    inbox = Notification.objects.filter(channel=Channel.INBOX, recipient=world.liaison,
                                        event__startswith="reminder")
    duplicates = inbox.count() - inbox.values("reminder").distinct().count()
    print(f"\nRedis down {OUTAGE_SECONDS} s: reminders sent {sent()}, expected {total}, inbox messages "
          f"{inbox.count()}, duplicates {duplicates}")
    assert Reminder.objects.exclude(state=ReminderState.SENT).count() == 0
    assert inbox.count() == total
    assert duplicates == 0
    assert os.environ.get("REDIS_URL") != redis_url  # the machine's own Redis was never touched
