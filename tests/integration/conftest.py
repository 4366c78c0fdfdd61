"""A real Celery worker process against real Redis and the test PostgreSQL database (never mocked)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url or connection.vendor != "postgresql":
        pytest.skip("worker tests run in the PostgreSQL + Redis pass (set DATABASE_URL and REDIS_URL)")
    db = connection.settings_dict
    env = {**os.environ, "REDIS_URL": redis_url,
           # The worker must use the test database pytest-django created, not the one DATABASE_URL names.
           "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/"
                           f"{db['NAME']}"}
    name = f"test-{os.getpid()}@%h"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "npc_tracker", "worker", "--pool=solo", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "-n", name],
        cwd=ROOT, env=env,
    )
    from npc_tracker.celery import app

    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=1):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail("the Celery worker did not start (see its output above)")
    yield worker
    worker.terminate()
    worker.wait(timeout=30)
