"""The embedded default (SQLite): web threads and the in-process scheduler write at the same time. Each
transaction takes the write lock when it begins and waits for it, so none fails with "database is locked"."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRITERS = 3
ROUNDS = 150


def project_env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return {**env, "DJANGO_SETTINGS_MODULE": "npc_tracker.settings", **overrides}


def test_the_embedded_default_begins_transactions_immediate_and_waits_for_the_lock():
    code = ("import django; django.setup(); from django.conf import settings; "
            "o = settings.DATABASES['default']['OPTIONS']; print(o['transaction_mode'], o['timeout'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=project_env(), capture_output=True,
                            text=True, check=True)
    mode, timeout = result.stdout.split()
    assert mode == "IMMEDIATE"
    assert float(timeout) >= 10


def test_postgresql_gets_no_sqlite_options():
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(sorted(settings.DATABASES['default'].get('OPTIONS', {})))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                            env=project_env(DATABASE_URL="postgres://npc@db.example:5432/npc"))
    assert result.stdout.strip() == "[]"


def test_writers_in_parallel_on_a_file_database_never_see_database_is_locked(tmp_path):
    db = tmp_path / "embedded.sqlite3"
    with sqlite3.connect(db) as setup:
        setup.execute("CREATE TABLE tally (writer TEXT, n INTEGER)")
    start = tmp_path / "start"
    env = project_env(DATABASE_URL=f"sqlite:///{db}")
    writers = [subprocess.Popen([sys.executable, "-m", "tests.sqlite_writer", f"w{n}", str(ROUNDS), str(start)],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for n in range(WRITERS)]
    for writer in writers:
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()[-2000:]
    start.touch()
    failures = []
    for writer in writers:
        _out, err = writer.communicate(timeout=120)
        if writer.returncode != 0:
            failures.append(err.strip().splitlines()[-1])
    assert failures == []
    with sqlite3.connect(db) as check:
        assert check.execute("SELECT COUNT(*) FROM tally").fetchone() == (WRITERS * ROUNDS,)
        assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
