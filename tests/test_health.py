"""/healthz and `manage.py healthcheck` tell whether background work is actually being done."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from npc_tracker import health
from npc_tracker.celery import app
from npc_tracker.models import Heartbeat
from npc_tracker.scheduler import InProcessScheduler

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def at_now(db):
    # Real workers of the integration tests beat into the same test database; start from none.
    Heartbeat.objects.all().delete()
    with time_machine.travel(NOW, tick=False):
        yield


def test_without_any_heartbeat_the_health_check_is_503_and_says_why(client, db, at_now):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"].startswith("no heartbeat yet")
    assert response.json()["database"] == "ok"


def test_a_fresh_heartbeat_makes_the_health_check_200(client, db, at_now):
    health.record_heartbeat(now=NOW - timedelta(seconds=299))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["worker"] == "ok"


def test_a_heartbeat_older_than_five_minutes_makes_it_503_with_its_age(client, db, at_now):
    health.record_heartbeat(now=NOW - timedelta(seconds=301))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["worker"].startswith("stale: last heartbeat 301 s ago at 2026-03-02 08:54:59")


def test_the_maximum_age_is_the_setting(client, db, at_now, settings):
    settings.HEALTH_HEARTBEAT_MAX_AGE = 60
    health.record_heartbeat(now=NOW - timedelta(seconds=61))
    assert client.get("/healthz").status_code == 503
    settings.HEALTH_HEARTBEAT_MAX_AGE = 120
    assert client.get("/healthz").status_code == 200


def test_the_heartbeat_is_one_row_overwritten(db, at_now):
    health.record_heartbeat(now=NOW - timedelta(minutes=2))
    health.record_heartbeat(now=NOW)
    assert list(Heartbeat.objects.values_list("beat_at", flat=True)) == [NOW]


def test_the_beat_schedule_runs_the_heartbeat_every_minute_in_process_too(transactional_db, at_now):
    # transactional: the scheduler closes connections between tasks, as it must in a long-running thread
    scheduler = InProcessScheduler(app)
    scheduler.last_run["heartbeat"] -= timedelta(seconds=61)
    assert "heartbeat" in scheduler.run_due()
    assert Heartbeat.objects.get().beat_at == NOW


def test_the_healthcheck_command_exits_1_when_unhealthy_and_0_when_healthy(db, at_now, capsys):
    with pytest.raises(CommandError, match="worker: no heartbeat yet"):
        call_command("healthcheck")
    health.record_heartbeat(now=NOW)
    call_command("healthcheck")
    assert '"worker": "ok"' in capsys.readouterr().out
