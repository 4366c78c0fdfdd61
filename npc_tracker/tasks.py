"""The heartbeat task: scheduled by beat (or the in-process scheduler) and run by a worker."""

from celery import shared_task

from . import health


@shared_task(name="npc_tracker.tasks.heartbeat")
def heartbeat() -> str:
    return health.record_heartbeat().isoformat()
