"""The reminder sweep: claim due rows exactly once, then deliver them in batches (design.md rule 4).

claim_due() is one conditional UPDATE per batch, guarded by a per-sweep claim token; on PostgreSQL
`SKIP LOCKED` lets parallel sweeps take disjoint rows instead of waiting for each other. deliver() re-reads the
claimed rows under a lock and writes every notification and the reminder's outcome in one transaction, so a
worker killed half-way leaves either nothing or everything, and the re-delivered task finds the work done.
Inside it each reminder has its own savepoint, so one bad row is retried on its own and never holds the batch.
"""

import logging
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.compose import external_copy, messages_for
from notifications.delivery import backoff
from notifications.directory import Directory
from notifications.models import Notification
from notifications.services import send_saved

from .. import reminder_schedule as schedule
from .. import rule_checks, rules
from ..choices import ReminderState
from ..models import Case, Reminder, RuleSet
from ..notices import case_staff, directory_for_cases, reminder_event, reminder_message
from ..tracking import locked_case, save_tracked
from ..workflow import OWED_STATUSES, CaseStatus
from .planning import follow_up_dates, members_due

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# A reminder whose delivery raised this many times is failed and shown in the admin (state "failed"). Fewer than a
# notification's (delivery.MAX_ATTEMPTS): a reminder's attempts are the whole batch's work, each a sweep apart.
MAX_ATTEMPTS = 5
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
            if schedule.in_window(local, rule_checks.reminder_policy(rs), is_workday=is_workday)]


def claim_due(*, now: datetime, limit: int = BATCH_SIZE) -> list[int]:
    kinds = open_case_kinds(now)
    if kinds == []:
        return []
    due = Reminder.objects.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
                                  state=ReminderState.PLANNED, fire_at__lte=now)
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
    """Claimed rows older than the lease: their task was lost. Renew the lease and hand them out again, counting it
    as an attempt: a batch lost every time (it kills its worker, or fails before any row) ends failed, not handed
    out for ever."""
    stale = Reminder.objects.filter(state=ReminderState.CLAIMED, claimed_at__lt=now - CLAIM_LEASE)
    stale.filter(attempts__gte=MAX_ATTEMPTS - 1).update(
        state=ReminderState.FAILED, attempts=MAX_ATTEMPTS, next_attempt_at=None, finished_at=now,
        last_error="lost while delivering, on every attempt", outcome="lost while delivering")
    ids = list(stale.values_list("pk", flat=True)[:BATCH_SIZE])
    Reminder.objects.filter(pk__in=ids, state=ReminderState.CLAIMED).update(claimed_at=now,
                                                                            attempts=F("attempts") + 1)
    return ids


@transaction.atomic
def deliver(reminder_ids, *, now: datetime | None = None) -> dict[str, int]:
    """Deliver a claimed batch, each reminder in its own savepoint: one that raises is rolled back alone and
    retried with backoff (then failed, for an administrator to look at), and the rest of the batch goes out."""
    now = now or timezone.now()
    reminders = list(Reminder.objects.select_for_update(of=("self",)).filter(
        pk__in=reminder_ids, state=ReminderState.CLAIMED).select_related("case", "case__lead_body",
                                                                         "case__meeting", "case__hearing_meeting"))
    if not reminders:
        return {}
    cases = {r.case_id: r.case for r in reminders}
    for reminder in reminders:  # one object per case, so what is cached on it below is seen by each of its rungs
        reminder.case = cases[reminder.case_id]
    co_bodies = defaultdict(list)
    for case_id, body_id in Case.co_bodies.through.objects.filter(case_id__in=cases).values_list("case_id",
                                                                                                  "body_id"):
        co_bodies[case_id].append(body_id)
    follow_ups = follow_up_dates(cases.values())
    for case in cases.values():
        case._co_body_ids = set(co_bodies[case.pk])  # the cache permissions.co_body_ids reads
        case._follow_ups = follow_ups[case.pk]
    also_due = defaultdict(set)
    # A failed later step supersedes nothing: the earlier one must still go out.
    for case_id, due_date, step in Reminder.objects.filter(case_id__in=cases, fire_at__lte=now).exclude(
            state__in=(ReminderState.CANCELLED, ReminderState.FAILED)).values_list("case_id", "due_date", "step"):
        also_due[(case_id, due_date)].add(step)
    directory = directory_for_cases(cases.values())
    outcomes, failures, delivered = defaultdict(list), defaultdict(int), []
    for reminder in reminders:
        try:
            with transaction.atomic():
                outcome, notifications = _deliver_one(reminder, also_due[(reminder.case_id, reminder.due_date)],
                                                      directory, now=now)
        except Exception as exc:
            logger.exception("delivering reminder %s raised", reminder.pk)
            failures[_record_failure(reminder, exc, now=now)] += 1
        else:
            outcomes[outcome].append(reminder.pk)
            delivered += notifications
    send_saved(delivered)
    for (state, outcome), ids in outcomes.items():
        Reminder.objects.filter(pk__in=ids).update(state=state, finished_at=now, outcome=outcome)
    return {**{state: len(ids) for (state, _o), ids in outcomes.items()}, **failures}


def _deliver_one(reminder, due_steps: set[str], directory: Directory, *, now: datetime):
    """Decide what becomes of one claimed reminder and write its messages: ((state, outcome), messages)."""
    case = reminder.case
    if not still_needed(reminder, case):
        return (ReminderState.CANCELLED, "case no longer needs it"), []
    if schedule.superseded(reminder.step, due_steps):
        return (ReminderState.SKIPPED, "superseded by a later step"), []
    notifications = build_reminder_messages(reminder, directory)
    Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=1000)
    if reminder.step == schedule.ESCALATION:
        _mark_escalated(case, on=timezone.localdate(now))
    return (ReminderState.SENT, ""), notifications


def still_needed(reminder, case: Case) -> bool:
    """Whether the case still stands where the rung was planned for: the same due date while the report is owed, not
    yet acknowledged, still a draft with the same hand-over deadline, or a carried-over item still to be reported on
    by that date (`case._follow_ups`, filled by deliver())."""
    kind = reminder.step.partition(":")[0]
    if kind in (schedule.FOLLOW_UP, schedule.FOLLOW_UP_OVERDUE):
        return reminder.due_date in case._follow_ups
    if kind in (schedule.ACKNOWLEDGE, schedule.ACKNOWLEDGE_STAFF):
        return case.status == CaseStatus.ISSUED and case.issued_date == reminder.due_date
    if kind == schedule.TO_MEMBERS:
        session = case.hearing_meeting.start_date if case.hearing_meeting_id else None
        return members_due(case, session) == reminder.due_date
    if kind == schedule.HANDOVER:
        return (case.status == CaseStatus.DRAFT
                and rules.handover_deadline(case, rules.rule_set_for(case.kind)) == reminder.due_date)
    return case.status in OWED_STATUSES and case.report_due == reminder.due_date


def _mark_escalated(case: Case, on: date) -> Case:
    """通报: the reminder ladder's last rung names the late body to the leadership (domain.md §7). By the system."""
    case = locked_case(case)
    if case.escalated_on is None:
        case.escalated_on = on
        save_tracked(case, actor=None, reason=_("Circulated as overdue (通报) after %(days)s days past the due date")
                     % {"days": case.days_past_due(on)})
    return case


def _record_failure(reminder, exc: Exception, *, now: datetime) -> str:
    """Back to planned with backoff, or failed after the last attempt. Returns "retry" or "failed"."""
    attempts = reminder.attempts + 1
    error = f"{type(exc).__name__}: {exc}"
    row = Reminder.objects.filter(pk=reminder.pk)
    if attempts >= MAX_ATTEMPTS:
        row.update(state=ReminderState.FAILED, attempts=attempts, next_attempt_at=None, last_error=error,
                   finished_at=now, outcome=error[:200])
        return ReminderState.FAILED
    row.update(state=ReminderState.PLANNED, attempts=attempts, next_attempt_at=now + backoff(attempts),
               last_error=error)
    return "retry"


def retry_failed(reminder_ids) -> int:
    """Admin: give failed reminders a fresh set of attempts; the next sweep claims them (in the sending window)."""
    return Reminder.objects.filter(pk__in=reminder_ids, state=ReminderState.FAILED).update(
        state=ReminderState.PLANNED, attempts=0, next_attempt_at=None, finished_at=None, outcome="")


def build_reminder_messages(reminder, directory: Directory) -> list:
    case = reminder.case
    subject, body = reminder_message(reminder.step, case, reminder.due_date,
                                     items=case._follow_ups.get(reminder.due_date, ()))
    key = f"r{reminder.pk}"
    common = {"key": key, "event": reminder_event(reminder.step), "subject": subject, "body": body,
              "case": case, "reminder": reminder}
    if reminder.step in (schedule.ACKNOWLEDGE_STAFF, schedule.HANDOVER, schedule.TO_MEMBERS):
        return messages_for(list(dict.fromkeys(case_staff(directory, case))), directory=directory, **common)
    recipients = directory.body_liaisons(case.lead_body_id)
    if reminder.step in (schedule.OVERDUE, schedule.FOLLOW_UP_OVERDUE):
        # 催办通知 to the body, copied to its leader and to the supervising committee (domain.md §7).
        recipients += case_staff(directory, case)
    elif reminder.step == schedule.ESCALATION:
        recipients += directory.leadership() + case_staff(directory, case)
    unique = list(dict.fromkeys(recipients))
    messages = messages_for(unique, directory=directory, **common)
    if reminder.step in (schedule.OVERDUE, schedule.ESCALATION) and case.lead_body.leader_email:
        messages.append(external_copy(case.lead_body.leader_email, **common))
    return messages
