"""Celery tasks of the reminder ladder: thin, take ids, safe to run twice (design.md rule 5)."""

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from notifications.queue import enqueue

from . import sweep
from .planning import replan_open_cases

MAX_BATCHES_PER_SWEEP = 50


@shared_task
def sweep_reminders(at: str | None = None) -> dict[str, int]:
    """Every minute: claim due reminders in batches and hand each batch to a delivery task; re-hand batches whose
    task was lost. `at` (ISO time) replays a sweep at a given moment."""
    now = datetime.fromisoformat(at) if at else timezone.now()
    return {"claimed": _hand_out(sweep.claim_due, now=now), "reclaimed": _hand_out(sweep.reclaim_stale, now=now)}


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
    return sweep.deliver(reminder_ids, now=datetime.fromisoformat(at) if at else None)


@shared_task(acks_late=True)
def replan_case_kind(case_kind: str) -> int:
    return replan_open_cases(case_kind)
