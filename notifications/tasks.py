"""Celery tasks: thin, take ids, safe to run twice (design.md rule 5)."""

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from . import delivery
from . import sweep as reminder_sweep
from .queue import enqueue

MAX_BATCHES_PER_SWEEP = 50


@shared_task
def sweep(at: str | None = None) -> dict[str, int]:
    """Every minute: claim due reminders in batches and hand each batch to a delivery task; re-hand batches whose
    task was lost; hand out notifications whose retry is due. `at` (ISO time) replays a sweep at a given moment."""
    now = datetime.fromisoformat(at) if at else timezone.now()
    claimed = _hand_out(reminder_sweep.claim_due, now=now)
    reclaimed = _hand_out(reminder_sweep.reclaim_stale, now=now)
    retry = delivery.due_for_retry(now=now)
    if retry:
        enqueue(send_notifications, retry)
    return {"claimed": claimed, "reclaimed": reclaimed, "retried": len(retry)}


def _hand_out(take_batch, *, now) -> int:
    """Take batches of reminder ids until none is left (bounded per sweep) and queue a delivery for each."""
    total = 0
    for _batch in range(MAX_BATCHES_PER_SWEEP):
        ids = take_batch(now=now)
        if not ids:
            break
        total += len(ids)
        enqueue(deliver_reminders, ids)
    return total


@shared_task(acks_late=True)
def deliver_reminders(reminder_ids: list[int], at: str | None = None) -> dict[str, int]:
    """`at` (ISO time) replays a delivery at a given moment, as for the sweep."""
    return reminder_sweep.deliver(reminder_ids, now=datetime.fromisoformat(at) if at else None)


@shared_task(acks_late=True)
def send_notifications(notification_ids: list[int]) -> dict[str, int]:
    outcome: dict[str, int] = {}
    for notification_id in notification_ids:
        result = delivery.send_one(notification_id)
        outcome[result] = outcome.get(result, 0) + 1
    return outcome


@shared_task(acks_late=True)
def replan_case_kind(case_kind: str) -> int:
    from .services import replan_open_cases

    return replan_open_cases(case_kind)


@shared_task
def daily_digest() -> int:
    from .digest import send_daily_digests

    return send_daily_digests()
