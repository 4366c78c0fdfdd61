"""One settings module, the environment chooses (design.md rule 10)."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def engine_with(env_overrides: dict) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(env_overrides)
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE":
                            "npc_tracker.settings"}, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_the_embedded_default_is_sqlite_with_tasks_in_process():
    assert engine_with({}) == "django.db.backends.sqlite3 True"


def test_database_url_and_redis_url_switch_to_postgresql_and_a_real_broker():
    assert engine_with({"DATABASE_URL": "postgres://npc@db.example:5432/npc", "REDIS_URL": "redis://r:6379/0"}) == (
        "django.db.backends.postgresql False")


def test_this_run_uses_the_database_the_environment_chose(db):
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT,
                            env={**env, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "npc_tracker.settings"},
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
