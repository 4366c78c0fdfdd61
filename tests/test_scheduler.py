"""The embedded default's in-process scheduler runs the beat schedule with Celery's own timing rules."""

from datetime import timedelta

import pytest
from celery import shared_task

from npc_tracker.celery import app
from npc_tracker.scheduler import InProcessScheduler

calls = []


@shared_task(name="tests.record_call")
def record_call(label):
    calls.append(label)


@shared_task(name="tests.explode")
def explode():
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def clear_calls():
    calls.clear()


def test_an_entry_runs_once_its_interval_has_passed_and_not_again_before_the_next(db):
    scheduler = InProcessScheduler(app, {"every-hour": {"task": "tests.record_call", "schedule": 3600,
                                                        "args": ("hourly",)}})
    assert scheduler.run_due() == []  # like celery beat: not at start-up, one interval later
    scheduler.last_run["every-hour"] -= timedelta(hours=1, seconds=1)
    assert scheduler.run_due() == ["every-hour"]
    assert scheduler.run_due() == []
    assert calls == ["hourly"]


def test_a_daily_crontab_entry_waits_for_its_hour(db):
    from celery.schedules import crontab

    scheduler = InProcessScheduler(app, {"digest": {"task": "tests.record_call", "schedule": crontab(hour=8, minute=0),
                                                    "args": ("digest",)}})
    scheduler.last_run["digest"] -= timedelta(days=1, minutes=1)
    assert scheduler.run_due() == ["digest"]


def test_a_failing_task_does_not_stop_the_others(db):
    scheduler = InProcessScheduler(app, {
        "broken": {"task": "tests.explode", "schedule": 60},
        "fine": {"task": "tests.record_call", "schedule": 60, "args": ("ok",)},
    })
    for name in scheduler.last_run:
        scheduler.last_run[name] -= timedelta(minutes=2)
    assert scheduler.run_due() == ["fine"]
    assert calls == ["ok"]


def test_the_default_schedule_is_the_beat_schedule_from_settings(settings):
    scheduler = InProcessScheduler(app)
    assert set(scheduler.entries) == set(settings.CELERY_BEAT_SCHEDULE)


def test_every_scheduled_task_is_registered_in_a_fresh_web_process():
    # In this test process other modules already imported the tasks; a fresh process shows what `serve` sees.
    import subprocess
    import sys
    from pathlib import Path

    code = ("import django; django.setup(); from npc_tracker.celery import app; "
            "from npc_tracker.scheduler import InProcessScheduler; s = InProcessScheduler(app); "
            "print(sorted(t for t, *_ in s.entries.values() if t not in app.tasks))")
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1], check=True,
                            capture_output=True, text=True, env={"DJANGO_SETTINGS_MODULE": "npc_tracker.settings",
                                                                 "PATH": "/usr/bin:/bin"})
    assert result.stdout.strip() == "[]"
