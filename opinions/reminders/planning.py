"""Planning the rungs of a case's reminder ladder. Called by the case services inside their transaction, so a plan
can never disagree with the case it belongs to (design.md rule 4)."""

from collections import defaultdict
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import reminder_schedule as schedule
from .. import rule_checks, rules
from ..choices import ReminderState
from ..models import Case, CaseItem, Meeting, Reminder
from ..workflow import OWED_STATUSES, CaseStatus, ItemStatus

REPLAN_BATCH = 1000
BEFORE_DUE_KINDS = (schedule.BEFORE, schedule.HANDOVER, schedule.TO_MEMBERS, schedule.FOLLOW_UP)


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
    rule_sets, policies = {}, {}
    for case in cases:
        if case.kind not in rule_sets:
            rule_sets[case.kind] = rules.rule_set_for(case.kind)
            policies[case.kind] = rule_checks.reminder_policy(rule_sets[case.kind])
    sessions = dict(Meeting.objects.filter(pk__in={c.hearing_meeting_id for c in cases} - {None})
                    .values_list("pk", "start_date"))
    follow_ups = follow_up_dates(cases)
    ladders = {case.pk: _ladders(case, rule_sets[case.kind], sessions.get(case.hearing_meeting_id),
                                 follow_ups[case.pk])
               for case in cases}
    dates = [day for found in ladders.values() for _ladder, day in found]
    calendar = rules.ReminderCalendar(min(dates), max(dates)) if dates else None
    for case in cases:
        policy = policies[case.kind]
        for ladder, day in ladders[case.pk]:
            for step in ladder(case, day, rule_sets[case.kind], policy, calendar.is_workday):
                fire_at = _aware(schedule.fire_at(step, policy))
                # A before-due rung already in the past at planning time is superseded by what is planned now.
                if step.kind in BEFORE_DUE_KINDS and fire_at < now:
                    continue
                wanted[(case.pk, step.key, day)] = fire_at
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


def _report_ladder(case, due, rule_set, policy, is_workday):
    return schedule.plan(due, policy, is_workday=is_workday)


def _acknowledgement_ladder(case, issued, rule_set, policy, is_workday):
    workdays = rule_set.acknowledge_within_workdays if rule_set else 0
    return schedule.acknowledgement_plan(issued, workdays, is_workday=is_workday)


def _handover_ladder(case, deadline, rule_set, policy, is_workday):
    remind = rule_set.handover_reminder_days if rule_set else 3
    return schedule.handover_plan(deadline, remind)


def _members_ladder(case, due, rule_set, policy, is_workday):
    return schedule.members_plan(due)


def _follow_up_ladder(case, due, rule_set, policy, is_workday):
    return schedule.follow_up_plan(due)


def follow_up_dates(cases) -> dict[int, dict[date, list[int]]]:
    """Per case, the next report dates of its carried-over items (持续整改) and the numbers of the items due each
    day, in one query for the batch. A withdrawn case has none (it cannot have carried-over items)."""
    found = defaultdict(lambda: defaultdict(list))
    rows = (CaseItem.objects.filter(case__in=[case.pk for case in cases], status=ItemStatus.CARRIED_OVER,
                                    next_report_date__isnull=False)
            .order_by("number").values_list("case_id", "next_report_date", "number"))
    for case_id, day, number in rows:
        found[case_id][day].append(number)
    return found


def members_due(case, session: date | None):
    """When the report must reach the members, for an issued case whose report the meeting starting on `session`
    will hear."""
    if session is None or case.status in (CaseStatus.DRAFT, CaseStatus.CLOSED, CaseStatus.WITHDRAWN):
        return None
    return schedule.members_due(session)


def _ladders(case, rule_set, session: date | None, follow_ups) -> list[tuple]:
    """The ladders a case needs now, each with the date its rungs belong to (the reminder's due date): the report's
    while the body owes it; acknowledgement while it is issued and not received; hand-over while a meeting's
    opinion is still a draft; each next report date of its carried-over items, even after the case closed."""
    found = [(_follow_up_ladder, day) for day in sorted(follow_ups)]
    if case.status in OWED_STATUSES and case.report_due is not None:
        found.append((_report_ladder, case.report_due))
    if case.status == CaseStatus.ISSUED and case.issued_date is not None:
        found.append((_acknowledgement_ladder, case.issued_date))
    if (due := members_due(case, session)) is not None:
        found.append((_members_ladder, due))
    if case.status == CaseStatus.DRAFT:
        deadline = rules.handover_deadline(case, rule_set)
        if deadline is not None:
            found.append((_handover_ladder, deadline))
    return found


def replan_open_cases(case_kind: str) -> int:
    """After a rule set changes (reminder days, window, escalation, hand-over): re-plan every open case, every
    draft and every case with a carried-over item still to be reported on, of that kind."""
    following_up = Q(items__status=ItemStatus.CARRIED_OVER, items__next_report_date__isnull=False)
    ids = list(Case.objects.filter(Q(status__in=[*OWED_STATUSES, CaseStatus.DRAFT]) | following_up, kind=case_kind)
               .order_by("pk").values_list("pk", flat=True).distinct())
    created = 0
    for offset in range(0, len(ids), REPLAN_BATCH):
        with transaction.atomic():
            batch = Case.objects.filter(pk__in=ids[offset:offset + REPLAN_BATCH]).select_for_update()
            created += replan_cases(batch)
    return created
