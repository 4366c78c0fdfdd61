"""The PostgreSQL + Redis pass fails loudly, never skips, when a service it was given is unreachable."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def check(database_url: str, redis_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url}
    return subprocess.run([sys.executable, "scripts/check_services.py"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)


def test_unreachable_postgresql_and_redis_fail_with_a_message():
    result = check("postgres://nobody@127.0.0.1:1/none", "redis://127.0.0.1:1/0")
    assert result.returncode == 1
    assert "PostgreSQL at postgres://nobody@127.0.0.1:1/none is unreachable" in result.stderr
    assert "Redis at redis://127.0.0.1:1/0 is unreachable" in result.stderr


def test_a_sqlite_url_is_not_accepted_for_the_postgresql_pass():
    result = check("sqlite:///x.db", "redis://127.0.0.1:1/0")
    assert result.returncode == 1
    assert "must point at PostgreSQL" in result.stderr
