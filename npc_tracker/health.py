"""What `/healthz` and `manage.py healthcheck` report: can the product do its work right now?

Reachable database and broker are not enough: a worker that cannot start (a missing package) or a dead beat
sends no reminder at all while both answer. So the background machinery writes a heartbeat through the same path
real work takes (beat → broker → worker → database), and a heartbeat older than HEALTH_HEARTBEAT_MAX_AGE is a
failure with its age as the reason.
"""

from datetime import datetime

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import Heartbeat

WORKER = "worker"


def record_heartbeat(*, now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    Heartbeat.objects.update_or_create(source=WORKER, defaults={"beat_at": now})
    return now


def database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return f"unreachable: {exc.__class__.__name__}"
    return "ok"


def broker() -> str:
    if not settings.REDIS_URL:
        return "in-process"  # the embedded default has no broker to reach
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as exc:
        return f"unreachable: {exc.__class__.__name__}"
    return "ok"


def worker(*, now: datetime | None = None) -> str:
    try:
        beat = Heartbeat.objects.filter(source=WORKER).values_list("beat_at", flat=True).first()
    except DatabaseError as exc:
        return f"unknown: {exc.__class__.__name__}"
    if beat is None:
        return "no heartbeat yet: the scheduler (beat) or the worker has not run"
    age = ((now or timezone.now()) - beat).total_seconds()
    if age > settings.HEALTH_HEARTBEAT_MAX_AGE:
        return (f"stale: last heartbeat {int(age)} s ago at {timezone.localtime(beat):%Y-%m-%d %H:%M:%S} "
                "(is the scheduler (beat) and a worker running?)")
    return "ok"


def report(*, now: datetime | None = None) -> tuple[bool, dict[str, str]]:
    checks = {"database": database(), "broker": broker()}
    checks["worker"] = worker(now=now) if checks["database"] == "ok" else "unknown: no database"
    healthy = all(value in ("ok", "in-process") for value in checks.values())
    return healthy, checks
