"""Sending one notification on an external channel, and recording what happened (design.md rule 9).

Retries are rows, not timers: a transient failure puts the row back to pending with a next attempt time, and the
minute sweep hands it out again — so a retry survives a worker restart or a broker outage like everything else.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .compose import messages_for
from .messages import OutboxEvent, channel_disabled_subject
from .models import Channel, Notification, NotificationState
from .transports import TRANSPORTS, DeliveryError

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
SENDING_LEASE = timedelta(minutes=10)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min, 8 min: short enough to ride out a gateway restart, never a long timer."""
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 600))


def send_one(notification_id: int, *, now: datetime | None = None) -> str:
    now = now or timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, state=NotificationState.PENDING).update(
        state=NotificationState.SENDING, attempts=F("attempts") + 1, next_attempt_at=None, claimed_at=now)
    if not claimed:
        return "skipped"  # someone else has it, or it is already done
    notification = Notification.objects.select_related("endpoint", "recipient").get(pk=notification_id)
    try:
        TRANSPORTS[notification.channel].send(notification)
    except DeliveryError as exc:
        return _record_failure(notification, exc, now=now)
    except Exception as exc:
        # A transport that breaks in a way nobody foresaw for one message must not stop the others in its task:
        # it is retried like a transient failure and, after the last attempt, left failed for an administrator.
        logger.exception("sending notification %s raised", notification_id)
        return _record_failure(notification, DeliveryError(f"{type(exc).__name__}: {exc}", permanent=False), now=now)
    if not _this_claim(notification).update(state=NotificationState.SENT, sent_at=now, last_error=""):
        return "superseded"
    return "sent"


def _this_claim(notification):
    """The row while it is still this sender's: a sender slower than the lease must not overwrite the outcome of
    the one that took the row over after it (nor put it back to pending while that one is sending)."""
    return Notification.objects.filter(pk=notification.pk, state=NotificationState.SENDING,
                                       claimed_at=notification.claimed_at)


def _record_failure(notification, exc: DeliveryError, *, now: datetime) -> str:
    if exc.permanent or notification.attempts >= MAX_ATTEMPTS:
        with transaction.atomic():
            if not _this_claim(notification).update(state=NotificationState.FAILED, last_error=str(exc)):
                return "superseded"
            if exc.permanent and notification.endpoint_id:
                _disable_endpoint(notification, str(exc))
        return "failed"
    if not _this_claim(notification).update(state=NotificationState.PENDING, last_error=str(exc),
                                            next_attempt_at=now + backoff(notification.attempts)):
        return "superseded"
    return "retry"


def _disable_endpoint(notification, reason: str) -> None:
    """A channel that fails for good is switched off and its owner told in the inbox, which always works. Copies on
    the owner's other channels wait for the minute's retry sweep: delivery never queues tasks itself."""
    endpoint = notification.endpoint
    endpoint.enabled = False
    endpoint.disabled_reason = reason[:300]
    endpoint.save(update_fields=["enabled", "disabled_reason"])
    notices = messages_for([endpoint.user], key=f"disabled:{endpoint.pk}:{notification.pk}",
                           event=OutboxEvent.CHANNEL_DISABLED, subject=channel_disabled_subject(endpoint.target),
                           body=reason)
    for notice in notices:
        if notice.state == NotificationState.PENDING:
            notice.next_attempt_at = timezone.now()
    Notification.objects.bulk_create(notices, ignore_conflicts=True)


def due_for_retry(*, now: datetime, limit: int = 1000) -> list[int]:
    """Pending rows whose next attempt is due, and rows stuck in sending after a lost worker (at-least-once).

    A row is stuck when its claim, not its creation, is older than the lease. One lost on every attempt (a message
    that kills the worker sending it) is failed after the last attempt instead of being handed out for ever."""
    stuck = Notification.objects.filter(state=NotificationState.SENDING, claimed_at__lt=now - SENDING_LEASE)
    stuck.filter(attempts__gte=MAX_ATTEMPTS).update(state=NotificationState.FAILED,
                                                    last_error="lost while sending, on every attempt")
    stuck.filter(attempts__lt=MAX_ATTEMPTS).update(state=NotificationState.PENDING)
    due = Notification.objects.filter(state=NotificationState.PENDING).exclude(channel=Channel.INBOX).filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, created_at__lt=now - SENDING_LEASE))
    return list(due.values_list("pk", flat=True)[:limit])


def resend(notification_id: int) -> bool:
    """Admin: send a failed notification again."""
    return bool(Notification.objects.filter(pk=notification_id).exclude(channel=Channel.INBOX).exclude(
        state=NotificationState.SENT).update(state=NotificationState.PENDING, next_attempt_at=None, attempts=0))
