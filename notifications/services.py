"""The outbox: write messages (duplicates ignored) and hand the external ones to delivery once committed; the inbox.
Called by the case services inside their transaction, so a message can never tell of a change that was rolled
back (design.md rules 4, 9)."""

from django.utils import timezone

from .models import Channel, Notification, NotificationState
from .queue import enqueue_on_commit
from .tasks import send_notifications


def save_and_send(notifications: list[Notification]) -> None:
    """Write the rows (duplicates are ignored) and, once committed, hand the external ones to delivery tasks."""
    Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=1000)
    send_saved(notifications)


def send_saved(notifications: list[Notification]) -> None:
    """Once committed, hand the external ones among these written rows to delivery tasks, in one task."""
    keys = [n.dedupe_key for n in notifications if n.channel != Channel.INBOX]
    if keys:
        ids = list(Notification.objects.filter(dedupe_key__in=keys, state=NotificationState.PENDING)
                   .values_list("pk", flat=True))
        if ids:
            enqueue_on_commit(send_notifications, ids)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, channel=Channel.INBOX, read_at__isnull=True).count()


def inbox_mark_read(*, user, notification_ids=None) -> int:
    unread = Notification.objects.filter(recipient=user, channel=Channel.INBOX, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
