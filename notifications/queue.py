"""Handing work to Celery without letting a broker outage fail the request that caused it.

Every row a task works on is already committed, and the minute sweep re-hands claimed reminders and pending
notifications whose task was lost (sweep.reclaim_stale, delivery.due_for_retry). So when the broker is down the
right thing is to log and carry on: the work is late by a lease, never lost.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> bool:
    try:
        task.delay(*args)
    except Exception:  # kombu/redis raise several unrelated types for "broker unreachable"
        logger.warning("could not queue %s; the sweep will hand it out again", task.name, exc_info=True)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    transaction.on_commit(lambda: enqueue(task, *args))
