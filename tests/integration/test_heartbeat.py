"""A real worker and a real beat write the heartbeat /healthz reads (PostgreSQL + Redis pass)."""

import subprocess
import sys
import time

import pytest

from npc_tracker import health
from npc_tracker.models import Heartbeat

from .conftest import ROOT, require_postgres_and_redis, start_worker, stop_worker, worker_env


def wait_for_heartbeat(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not Heartbeat.objects.exists():
        if time.monotonic() > deadline:
            pytest.fail("no heartbeat was recorded")
        time.sleep(0.5)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_and_beat_each_make_the_health_check_pass(client, tmp_path):
    require_postgres_and_redis()
    worker = start_worker("heartbeat")
    beat = None
    try:
        wait_for_heartbeat()  # the worker's own, sent when it became ready
        assert client.get("/healthz").status_code == 200

        Heartbeat.objects.all().delete()
        assert client.get("/healthz").status_code == 503
        beat = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "npc_tracker", "beat", "--loglevel=WARNING",
             f"--schedule={tmp_path / 'celerybeat-schedule'}"], cwd=ROOT, env=worker_env())
        wait_for_heartbeat()  # sent by beat at start, run by the worker
        assert health.worker() == "ok"
        assert client.get("/healthz").json()["worker"] == "ok"
    finally:
        if beat is not None:
            beat.terminate()
            beat.wait(timeout=30)
        stop_worker(worker)
