"""Building outbox rows: one message to a list of people on every channel each of them chose. Unsaved rows; the
outbox (services) writes them and hands them to delivery. Apart from it so that delivery, which writes a message
of its own when a channel fails for good, needs no import of the tasks that call it."""

from django.utils import timezone

from .directory import Directory
from .models import Channel, Notification, NotificationState


def messages_for(users, *, key: str, event: str, subject: str, body: str, case=None, reminder=None,
                 directory: Directory | None = None, at=None) -> list[Notification]:
    """Inbox for everyone, plus each recipient's enabled channels. Unsaved rows, deduplicated by `key`.

    `at` dates the inbox copies of an event recorded after the fact (paper records, the demo's replay); copies on
    external channels are stamped when written, as their sending lease counts from then."""
    endpoints = directory.endpoints if directory is not None else None
    delivered_at = at or timezone.now()
    result = []
    for user in users:
        common = {"recipient": user, "event": event, "subject": subject[:300], "body": body, "case": case,
                  "reminder": reminder}
        result.append(Notification(dedupe_key=f"{key}:u{user.pk}:inbox", channel=Channel.INBOX,
                                   state=NotificationState.SENT, created_at=delivered_at, sent_at=delivered_at,
                                   **common))
        user_endpoints = (endpoints.get(user.pk, []) if endpoints is not None
                          else user.notification_endpoints.filter(enabled=True))
        for endpoint in user_endpoints:
            result.append(Notification(dedupe_key=f"{key}:u{user.pk}:{endpoint.channel}:{endpoint.pk}",
                                       channel=endpoint.channel, endpoint=endpoint, address=endpoint.target,
                                       **common))
    return result


def external_copy(address: str, *, key: str, event: str, subject: str, body: str, case=None,
                  reminder=None) -> Notification:
    """An e-mail to someone without an account, e.g. the body's leader copied on a 催办通知."""
    return Notification(dedupe_key=f"{key}:a:{address}"[:200], channel=Channel.EMAIL, address=address, event=event,
                        subject=subject[:300], body=body, case=case, reminder=reminder)
