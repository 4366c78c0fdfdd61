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


def test_a_due_entry_runs_once_and_not_again_before_its_interval(db):
    scheduler = InProcessScheduler(app, {"every-hour": {"task": "tests.record_call", "schedule": 3600,
                                                        "args": ("hourly",)}})
    assert scheduler.run_due() == ["every-hour"]
    assert scheduler.run_due() == []
    assert calls == ["hourly"]
    scheduler.last_run["every-hour"] -= timedelta(hours=2)
    assert scheduler.run_due() == ["every-hour"]
    assert calls == ["hourly", "hourly"]


def test_a_failing_task_does_not_stop_the_others(db):
    scheduler = InProcessScheduler(app, {
        "broken": {"task": "tests.explode", "schedule": 60},
        "fine": {"task": "tests.record_call", "schedule": 60, "args": ("ok",)},
    })
    assert scheduler.run_due() == ["fine"]
    assert calls == ["ok"]


def test_the_default_schedule_is_the_beat_schedule_from_settings(settings):
    scheduler = InProcessScheduler(app)
    assert set(scheduler.entries) == set(settings.CELERY_BEAT_SCHEDULE)
