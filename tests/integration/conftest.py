"""Real Celery worker processes against real Redis and the test PostgreSQL database (never mocked)."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# A worker is another process with its own settings: the files a test keeps go where the worker reads them.
WORKER_MEDIA = Path(tempfile.gettempdir()) / f"npc-worker-media-{os.getpid()}"


@pytest.fixture(autouse=True)
def _files_where_the_worker_reads_them(settings):
    WORKER_MEDIA.mkdir(exist_ok=True)
    settings.MEDIA_ROOT = WORKER_MEDIA


def require_postgres_and_redis():
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("worker tests run in the PostgreSQL + Redis pass (set DATABASE_URL and REDIS_URL)")


def worker_env(**extra) -> dict:
    db = connection.settings_dict
    return {**os.environ,
            # The worker must use the test database pytest-django created, not the one DATABASE_URL names.
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/"
                            f"{db['NAME']}",
            "MEDIA_ROOT": str(WORKER_MEDIA),
            **extra}


def start_worker(name: str, *, app_module: str = "npc_tracker", **env) -> subprocess.Popen:
    """One solo-pool worker process (so SIGKILL really kills the process doing the work), ready when returned.
    `app_module` may name a test module that wraps the project's app (see fault_worker.py)."""
    from npc_tracker.celery import app

    if "REDIS_URL" not in env:
        app.control.purge()  # messages left by an earlier, aborted run must not reach this test's worker
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", app_module, "worker", "--pool=solo", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "-n", f"{name}-{os.getpid()}@%h"],
        cwd=ROOT, env=worker_env(**env),
    )
    if "REDIS_URL" in env:
        time.sleep(5)  # another broker than this process's: it cannot ping; give the worker time to connect
        if worker.poll() is not None:
            pytest.fail(f"the Celery worker {name} exited at start (see its output above)")
        return worker
    deadline = time.monotonic() + 60
    while not any(name in reply_name for reply in app.control.ping(timeout=1) for reply_name in reply):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail(f"the Celery worker {name} did not start (see its output above)")
    return worker


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@pytest.fixture(scope="module")
def celery_worker_process(django_db_setup, django_db_blocker):
    """Module-scoped, so fault tests in other modules own the only worker they kill."""
    require_postgres_and_redis()
    worker = start_worker("session")
    yield worker
    stop_worker(worker)
