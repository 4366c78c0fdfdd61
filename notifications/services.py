"""Planning reminders and writing notifications. Called by the case services inside their transaction, so a
plan can never disagree with the case it belongs to (design.md rule 4)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from opinions import rule_checks, rules
from opinions.permissions import co_body_ids

from . import schedule
from .directory import Directory
from .messages import event_message
from .models import Channel, Notification, NotificationState, Reminder, ReminderState
from .queue import enqueue_on_commit

# A case needs reminders while the body still owes its report (domain.md §5: overdue is "not yet submitted").
NEEDS_REMINDERS = ("issued", "in_progress", "in_consultation")


def _aware(naive: datetime) -> datetime:
    return timezone.make_aware(naive, timezone.get_default_timezone())


def replan_reminders(case, *, now: datetime | None = None) -> int:
    """Make the planned rungs match the case (see replan_cases). Returns the number of rows created."""
    return replan_cases([case], now=now)


def replan_cases(cases, *, now: datetime | None = None) -> int:
    """Make the planned rungs of these cases match them, in a fixed number of queries for the whole batch:
    cancel the rungs of another due date or of a case that no longer needs them, revive rungs cancelled earlier
    for the same due date (a returned report, a reopened case), add the missing ones. Idempotent."""
    now = now or timezone.now()
    cases = list(cases)
    wanted = {}
    active = [c for c in cases if c.status in NEEDS_REMINDERS and c.due_date is not None]
    if active:
        calendar = rules.ReminderCalendar(min(c.due_date for c in active), max(c.due_date for c in active))
        policies = {}
        for case in active:
            if case.kind not in policies:
                policies[case.kind] = rule_checks.reminder_policy(rules.rule_set_for(case.kind))
            policy = policies[case.kind]
            for step in schedule.plan(case.due_date, policy, is_workday=calendar.is_workday):
                fire_at = _aware(schedule.fire_at(step, policy))
                # A before-due rung already in the past at planning time is superseded by what is planned now.
                if step.kind == schedule.BEFORE and fire_at < now:
                    continue
                wanted[(case.pk, step.key, case.due_date)] = fire_at
    to_cancel, to_revive, to_move = [], [], []
    existing = Reminder.objects.filter(case_id__in=[c.pk for c in cases],
                                       state__in=[ReminderState.PLANNED, ReminderState.CANCELLED])
    known = set()
    rows = existing.values_list("pk", "case_id", "step", "due_date", "state", "fire_at")
    for pk, case_id, step, due_date, state, fire_at in rows:
        key = (case_id, step, due_date)
        known.add(key)
        if state == ReminderState.PLANNED and key not in wanted:
            to_cancel.append(pk)
        elif state == ReminderState.PLANNED and wanted[key] != fire_at:
            to_move.append((pk, wanted[key]))  # the rule set's window or escalation delay changed
        elif state == ReminderState.CANCELLED and key in wanted:
            to_revive.append((pk, wanted[key]))
    if to_cancel:
        Reminder.objects.filter(pk__in=to_cancel, state=ReminderState.PLANNED).update(
            state=ReminderState.CANCELLED, finished_at=now, outcome="no longer needed for this due date")
    for pk, fire_at in to_revive:
        Reminder.objects.filter(pk=pk, state=ReminderState.CANCELLED).update(
            state=ReminderState.PLANNED, fire_at=fire_at, finished_at=None, outcome="")
    for pk, fire_at in to_move:
        Reminder.objects.filter(pk=pk, state=ReminderState.PLANNED).update(fire_at=fire_at)
    # Rows already sent or skipped for a key are unique-constrained: ignore_conflicts keeps them as they are.
    new = [Reminder(case_id=case_id, step=step, due_date=due_date, fire_at=fire_at)
           for (case_id, step, due_date), fire_at in wanted.items() if (case_id, step, due_date) not in known]
    Reminder.objects.bulk_create(new, ignore_conflicts=True, batch_size=2000)
    return len(new)


REPLAN_BATCH = 1000


def replan_open_cases(case_kind: str) -> int:
    """After a rule set changes (reminder days, window, escalation): re-plan every open case of that kind."""
    from opinions.models import Case

    ids = list(Case.objects.filter(kind=case_kind, status__in=NEEDS_REMINDERS).values_list("pk", flat=True))
    created = 0
    for offset in range(0, len(ids), REPLAN_BATCH):
        with transaction.atomic():
            batch = Case.objects.filter(pk__in=ids[offset:offset + REPLAN_BATCH]).select_for_update()
            created += replan_cases(batch)
    return created


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


def save_and_send(notifications: list[Notification]) -> None:
    """Write the rows (duplicates are ignored) and, once committed, hand the external ones to delivery tasks."""
    Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=1000)
    send_saved(notifications)


def send_saved(notifications: list[Notification]) -> None:
    """Once committed, hand the external ones among these written rows to delivery tasks, in one task."""
    keys = [n.dedupe_key for n in notifications if n.channel != Channel.INBOX]
    if keys:
        from .tasks import send_notifications

        ids = list(Notification.objects.filter(dedupe_key__in=keys, state=NotificationState.PENDING)
                   .values_list("pk", flat=True))
        if ids:
            enqueue_on_commit(send_notifications, ids)


EVENT_AUDIENCE = {
    # event: who must act on it (domain.md §3)
    "case_issued": "bodies",
    "consultation_draft": "consulted_staff",
    "consultation_comments": "liaisons",
    "report_submitted": "staff",
    "report_returned": "liaisons",
    "extension_requested": "approvers",
    "extension_decided": "liaisons",
    "evaluation_recorded": "liaisons_and_staff",
    "case_closed": "liaisons_and_staff",
    "further_supervision": "liaisons_and_staff",
}


def notify_event(case, event: str, *, actor, ref: str, detail: str = "", at=None) -> None:
    directory = Directory.for_cases([case])
    audience = EVENT_AUDIENCE[event]
    liaisons = directory.body_liaisons(case.lead_body_id)
    users = {
        "bodies": lambda: directory.body_liaisons(case.lead_body_id, *co_body_ids(case)),
        "liaisons": lambda: liaisons,
        "staff": lambda: directory.case_staff(case),
        "consulted_staff": lambda: directory.case_staff(case, prefer_consulted=True),
        "approvers": lambda: (directory.leadership() if rules.extension_approver_for(case) == "leader"
                              else directory.case_staff(case)),
        "liaisons_and_staff": lambda: liaisons + directory.case_staff(case),
    }[audience]()
    subject, body = event_message(event, case, detail)
    recipients = [user for user in users if user != actor]
    save_and_send(messages_for(recipients, key=f"e:{event}:{case.pk}:{ref}", event=event, subject=subject,
                               body=body, case=case, directory=directory, at=at))


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, channel=Channel.INBOX, read_at__isnull=True).count()


def inbox_mark_read(*, user, notification_ids=None) -> int:
    unread = Notification.objects.filter(recipient=user, channel=Channel.INBOX, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
