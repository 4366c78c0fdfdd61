"""What the reminder ladder did for a case, for case pages, the timeline and the dashboard."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from notifications.models import Channel, Notification

from ..choices import ReminderState
from ..models import Reminder


def step_label(step: str) -> str:
    """A reminder rung in the reader's language: 还剩 7 天 / 到期当天 / 催办通知 / 通报."""
    kind, _sep, days = step.partition(":")
    if kind == "before":
        return _("Due today") if days == "0" else _("%(days)s days before the due date") % {"days": int(days)}
    if kind == "overdue":
        return _("Reminder notice (催办通知)")
    if kind == "ack":
        return _("Acknowledgement reminder to the liaisons")
    if kind == "ack_staff":
        return _("Acknowledgement reminder to the staff")
    if kind == "handover":
        return _("Hand-over reminder")
    if kind == "to_members":
        return _("Report to the members (ten days before the session)")
    if kind == "follow_up":
        return _("Carried-over items: a week before the next report date")
    if kind == "follow_up_overdue":
        return _("Carried-over items: next report overdue")
    return _("Circulated as overdue (通报)")


@dataclass
class ReminderLogEntry:
    when: datetime
    step: str
    label: str
    state: str
    state_label: str
    outcome: str
    recipients: list[str] = field(default_factory=list)


def case_reminder_log(case, *, include_planned: bool = True) -> list[ReminderLogEntry]:
    """Every rung of the case's ladder that was sent, skipped or is still to come, with who received it."""
    reminders = Reminder.objects.filter(case=case).exclude(state=ReminderState.CANCELLED)
    if not include_planned:
        reminders = reminders.filter(state=ReminderState.SENT)
    recipients = defaultdict(list)
    # Each person once (their inbox copy), plus copies to addresses without an account (a body's leader).
    rows = (Notification.objects.filter(case=case, reminder__in=reminders)
            .filter(Q(channel=Channel.INBOX) | Q(recipient__isnull=True))
            .select_related("recipient").order_by("pk"))
    for notification in rows:
        user = notification.recipient
        who = (user.get_full_name() or user.username) if user else notification.address
        recipients[notification.reminder_id].append(who)
    return [
        ReminderLogEntry(when=r.finished_at or r.fire_at, step=r.step, label=step_label(r.step), state=r.state,
                         state_label=r.get_state_display(), outcome=r.outcome, recipients=recipients[r.pk])
        for r in reminders.order_by("fire_at", "pk")
    ]
