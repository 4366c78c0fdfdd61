"""Celery tasks of the outbox: thin, take ids, safe to run twice (design.md rule 5)."""

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from . import delivery
from .queue import enqueue


@shared_task(acks_late=True)
def send_notifications(notification_ids: list[int]) -> dict[str, int]:
    outcome: dict[str, int] = {}
    for notification_id in notification_ids:
        result = delivery.send_one(notification_id)
        outcome[result] = outcome.get(result, 0) + 1
    return outcome


@shared_task
def retry_notifications(at: str | None = None) -> int:
    """Every minute: hand out notifications whose retry is due, and those whose sending task was lost. `at` (ISO
    time) replays it at a given moment. Returns how many were handed out."""
    now = datetime.fromisoformat(at) if at else timezone.now()
    due = delivery.due_for_retry(now=now)
    if due:
        enqueue(send_notifications, due)
    return len(due)
