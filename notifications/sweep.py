"""The reminder sweep: claim due rows exactly once, then deliver them in batches (design.md rule 4).

claim_due() is one conditional UPDATE per batch, guarded by a per-sweep claim token; on PostgreSQL
`SKIP LOCKED` lets parallel sweeps take disjoint rows instead of waiting for each other. deliver() re-reads the
claimed rows under a lock and writes every notification and the reminder's outcome in one transaction, so a
worker killed half-way leaves either nothing or everything, and the re-delivered task finds the work done.
"""

import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from opinions import rules
from opinions.models import Case, RuleSet

from . import schedule
from .directory import Directory
from .messages import reminder_message
from .models import Reminder, ReminderState
from .services import NEEDS_REMINDERS, external_copy, messages_for, save_and_send

BATCH_SIZE = 500
# A claimed batch whose delivery task never ran (broker down, worker lost) is handed out again after this.
CLAIM_LEASE = timedelta(minutes=10)


def open_case_kinds(now: datetime) -> list[str] | None:
    """Case kinds whose sending window is open now; None means every kind (no rule set restricts it)."""
    local = timezone.localtime(now).replace(tzinfo=None)
    is_workday = rules.ReminderCalendar(local.date(), local.date()).is_workday
    rule_sets = list(RuleSet.objects.filter(jurisdiction=rules.jurisdiction()))
    if not rule_sets:
        return None if schedule.in_window(local, schedule.Policy(), is_workday=is_workday) else []
    return [rs.case_kind for rs in rule_sets
            if schedule.in_window(local, rules.reminder_policy(rs), is_workday=is_workday)]


def claim_due(*, now: datetime, limit: int = BATCH_SIZE) -> list[int]:
    kinds = open_case_kinds(now)
    if kinds == []:
        return []
    due = Reminder.objects.filter(state=ReminderState.PLANNED, fire_at__lte=now)
    if kinds is not None:
        due = due.filter(case__kind__in=kinds)
    token = uuid.uuid4()
    with transaction.atomic():
        candidates = due.order_by("fire_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        # The state in the WHERE clause is what makes the claim exclusive, with or without row locks.
        Reminder.objects.filter(pk__in=ids, state=ReminderState.PLANNED).update(
            state=ReminderState.CLAIMED, claim_token=token, claimed_at=now)
    return list(Reminder.objects.filter(claim_token=token, state=ReminderState.CLAIMED).values_list("pk", flat=True))


def reclaim_stale(*, now: datetime) -> list[int]:
    """Claimed rows older than the lease: their task was lost. Renew the lease and hand them out again."""
    stale = Reminder.objects.filter(state=ReminderState.CLAIMED, claimed_at__lt=now - CLAIM_LEASE)
    ids = list(stale.values_list("pk", flat=True)[:BATCH_SIZE])
    Reminder.objects.filter(pk__in=ids, state=ReminderState.CLAIMED).update(claimed_at=now)
    return ids


@transaction.atomic
def deliver(reminder_ids, *, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    reminders = list(Reminder.objects.select_for_update(of=("self",)).filter(
        pk__in=reminder_ids, state=ReminderState.CLAIMED).select_related("case", "case__lead_body"))
    if not reminders:
        return {}
    cases = {r.case_id: r.case for r in reminders}
    co_bodies = defaultdict(list)
    for case_id, body_id in Case.co_bodies.through.objects.filter(case_id__in=cases).values_list("case_id",
                                                                                                  "body_id"):
        co_bodies[case_id].append(body_id)
    for case in cases.values():
        case._co_body_ids = set(co_bodies[case.pk])  # the cache permissions.co_body_ids reads
    also_due = defaultdict(set)
    for case_id, due_date, step in Reminder.objects.filter(case_id__in=cases, fire_at__lte=now).exclude(
            state=ReminderState.CANCELLED).values_list("case_id", "due_date", "step"):
        also_due[(case_id, due_date)].add(step)
    directory = Directory.for_cases(cases.values())
    outcomes, notifications, escalated = defaultdict(list), [], []
    for reminder in reminders:
        case = reminder.case
        if case.status not in NEEDS_REMINDERS or case.due_date != reminder.due_date:
            outcomes[(ReminderState.CANCELLED, "case no longer needs it")].append(reminder.pk)
        elif schedule.superseded(reminder.step, also_due[(case.pk, reminder.due_date)]):
            outcomes[(ReminderState.SKIPPED, "superseded by a later step")].append(reminder.pk)
        else:
            notifications += build_reminder_messages(reminder, directory)
            outcomes[(ReminderState.SENT, "")].append(reminder.pk)
            if reminder.step == schedule.ESCALATION:
                escalated.append(case)
    save_and_send(notifications)
    for (state, outcome), ids in outcomes.items():
        Reminder.objects.filter(pk__in=ids).update(state=state, finished_at=now, outcome=outcome)
    if escalated:
        from opinions.services import case_mark_escalated

        for case in escalated:
            case_mark_escalated(case=case, on=timezone.localdate(now))
    return {state: len(ids) for (state, _o), ids in outcomes.items()}


def build_reminder_messages(reminder, directory: Directory) -> list:
    case = reminder.case
    subject, body = reminder_message(reminder.step, case)
    key = f"r{reminder.pk}"
    common = {"key": key, "event": f"reminder_{reminder.step.partition(':')[0]}", "subject": subject, "body": body,
              "case": case, "reminder": reminder}
    recipients = directory.body_liaisons(case.lead_body_id)
    if reminder.step == schedule.OVERDUE:
        # 催办通知 to the body, copied to its leader and to the supervising committee (domain.md §7).
        recipients += directory.case_staff(case)
    elif reminder.step == schedule.ESCALATION:
        recipients += directory.leadership() + directory.case_staff(case)
    unique = list(dict.fromkeys(recipients))
    messages = messages_for(unique, directory=directory, **common)
    if reminder.step in (schedule.OVERDUE, schedule.ESCALATION) and case.lead_body.leader_email:
        messages.append(external_copy(case.lead_body.leader_email, **common))
    return messages
