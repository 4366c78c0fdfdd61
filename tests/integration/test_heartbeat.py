"""A real worker and a real beat write the heartbeat /healthz reads (PostgreSQL + Redis pass)."""

import subprocess
import sys
import time

import pytest
import time_machine

from npc_tracker import health
from npc_tracker.models import Heartbeat

from .conftest import ROOT, require_postgres_and_redis, start_worker, stop_worker, worker_env


def wait_for_heartbeat(timeout: float = 60):
    """The heartbeat's time; the worker beats on the real clock, the test judges it at that moment."""
    deadline = time.monotonic() + timeout
    while (beat_at := Heartbeat.objects.values_list("beat_at", flat=True).first()) is None:
        if time.monotonic() > deadline:
            pytest.fail("no heartbeat was recorded")
        time.sleep(0.5)
    return beat_at


def health_at(client, moment):
    with time_machine.travel(moment, tick=False):
        return client.get("/healthz")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_and_beat_each_make_the_health_check_pass(client, tmp_path):
    require_postgres_and_redis()
    worker = start_worker("heartbeat")
    beat = None
    try:
        beat_at = wait_for_heartbeat()  # the worker's own, sent when it became ready
        assert health_at(client, beat_at).status_code == 200

        Heartbeat.objects.all().delete()
        assert health_at(client, beat_at).status_code == 503
        beat = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "npc_tracker", "beat", "--loglevel=WARNING",
             f"--schedule={tmp_path / 'celerybeat-schedule'}"], cwd=ROOT, env=worker_env())
        beat_at = wait_for_heartbeat()  # sent by beat at start, run by the worker
        assert health.worker(now=beat_at) == "ok"
        assert health_at(client, beat_at).json()["worker"] == "ok"
    finally:
        if beat is not None:
            beat.terminate()
            beat.wait(timeout=30)
        stop_worker(worker)
