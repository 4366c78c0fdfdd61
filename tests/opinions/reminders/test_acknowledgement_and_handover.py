"""The two ladders before the report's (issue 14 §3): a case not acknowledged reminds the liaisons, then the staff;
a meeting's opinion still a draft reminds the staff before its hand-over day, and late hand-overs are counted."""

from datetime import date

import pytest
import time_machine

from notifications.models import Channel, Notification
from opinions import reminder_schedule as schedule
from opinions import services
from opinions.choices import ReminderState
from opinions.dashboard import figures
from opinions.filtersets import CaseFilterSet
from opinions.models import Case, Meeting, Reminder, RuleSet
from opinions.reminders import sweep
from opinions.reminders.planning import replan_open_cases
from opinions.selectors import due_soon, late_handovers
from tests.moments import local

pytestmark = pytest.mark.django_db


def inbox(user, event):
    return list(Notification.objects.filter(recipient=user, channel=Channel.INBOX, event=event)
                .values_list("subject", flat=True))


def sweep_at(moment):
    return sweep.deliver(sweep.claim_due(now=moment), now=moment)


def rungs(case, *steps):
    return {r.step: (r.fire_at.date(), r.state)
            for r in Reminder.objects.filter(case=case, step__in=steps or ["ack", "ack_staff", "handover"])}


# --- the pure schedule ----------------------------------------------------------------------------------------


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def test_acknowledgement_rungs_count_working_days():
    steps = schedule.acknowledgement_plan(date(2020, 9, 3), 5, is_workday=weekdays)  # a Thursday
    assert [(s.key, s.fire_on) for s in steps] == [("ack", date(2020, 9, 10)), ("ack_staff", date(2020, 9, 17))]
    assert schedule.acknowledgement_plan(date(2020, 9, 3), 0, is_workday=weekdays) == []


def test_another_ladders_rung_on_the_same_day_never_supersedes_a_report_reminder():
    assert not schedule.superseded("before:7", {"before:7", "ack", "handover"})
    assert schedule.superseded("before:7", {"before:7", "before:3"})


# --- acknowledgement --------------------------------------------------------------------------------------------


def test_an_unacknowledged_case_reminds_the_liaisons_then_the_staff(issued_case, world):
    # Issued Thursday 2020-09-03; five working days: Thursday 09-10, five more: Thursday 09-17.
    assert rungs(issued_case) == {"ack": (date(2020, 9, 10), ReminderState.PLANNED),
                                  "ack_staff": (date(2020, 9, 17), ReminderState.PLANNED)}
    sweep_at(local(2020, 9, 10, 9, 0))
    assert inbox(world.liaison, "reminder_ack") == [f"请及时签收：{issued_case.title}"]
    assert inbox(world.staff, "reminder_ack") == []
    sweep_at(local(2020, 9, 17, 9, 0))
    assert inbox(world.staff, "reminder_ack_staff") == [f"仍未签收：{issued_case.title}"]
    assert inbox(world.liaison, "reminder_ack_staff") == []


def test_acknowledging_cancels_the_acknowledgement_rungs(issued_case, world):
    services.case_acknowledge(case=issued_case, actor=world.liaison, received_date=date(2020, 9, 8))
    assert {state for _day, state in rungs(issued_case).values()} == {ReminderState.CANCELLED}
    sweep_at(local(2020, 9, 10, 9, 0))
    assert inbox(world.liaison, "reminder_ack") == []


def test_a_rung_claimed_after_acknowledgement_is_not_sent(issued_case, world):
    claimed = sweep.claim_due(now=local(2020, 9, 10, 9, 0))
    Case.objects.filter(pk=issued_case.pk).update(status="in_progress")  # acknowledged meanwhile
    assert sweep.deliver(claimed, now=local(2020, 9, 10, 9, 0)) == {ReminderState.CANCELLED: 1}


def test_the_rule_set_switches_acknowledgement_reminders_off(make_case, world):
    RuleSet.objects.filter(case_kind="plan_execution").update(acknowledge_within_workdays=0)
    case = services.case_issue(case=make_case(), actor=world.staff, issued_date=date(2020, 9, 3))
    assert rungs(case) == {}


# --- hand-over ----------------------------------------------------------------------------------------------------


@pytest.fixture
def meeting(db):
    # Closed Friday 2020-08-28: handed over within 10 days, by Monday 09-07.
    return Meeting.objects.create(term=14, session=15, start_date=date(2020, 8, 27), end_date=date(2020, 8, 28))


def test_a_meetings_draft_reminds_the_staff_before_its_hand_over_day(make_case, meeting, world):
    with time_machine.travel(local(2020, 8, 31, 10, 0), tick=False):
        draft = make_case(meeting=meeting)
    assert rungs(draft) == {"handover": (date(2020, 9, 4), ReminderState.PLANNED)}  # 3 days before 09-07
    sweep_at(local(2020, 9, 4, 9, 0))
    assert inbox(world.staff, "reminder_handover") == [f"请于 2020-09-07 前交办：{draft.title}"]
    assert inbox(world.liaison, "reminder_handover") == []


def test_issuing_the_draft_cancels_its_hand_over_reminder(make_case, meeting, world):
    with time_machine.travel(local(2020, 8, 31, 10, 0), tick=False):
        draft = make_case(meeting=meeting)
        services.case_issue(case=draft, actor=world.staff, issued_date=date(2020, 9, 1))
    assert rungs(draft, "handover") == {"handover": (date(2020, 9, 4), ReminderState.CANCELLED)}


def test_changing_the_hand_over_days_replans_the_drafts(make_case, meeting, world):
    with time_machine.travel(local(2020, 8, 31, 10, 0), tick=False):
        draft = make_case(meeting=meeting)
        RuleSet.objects.filter(case_kind="plan_execution").update(handover_days=15)
        replan_open_cases("plan_execution")
    assert rungs(draft, "handover") == {"handover": (date(2020, 9, 9), ReminderState.PLANNED)}


def test_late_hand_overs_are_counted_and_filtered(make_case, meeting, world):
    on_day_ten = services.case_issue(case=make_case(meeting=meeting, title="第十天"), actor=world.staff,
                                     issued_date=date(2020, 9, 7))
    on_day_fourteen = services.case_issue(case=make_case(meeting=meeting, title="第十四天"), actor=world.staff,
                                          issued_date=date(2020, 9, 11))
    still_a_draft = make_case(meeting=meeting, title="仍是草稿")
    no_meeting = services.case_issue(case=make_case(title="无会议"), actor=world.staff,
                                     issued_date=date(2020, 12, 1))
    today = date(2026, 6, 10)
    late = set(late_handovers(Case.objects.all(), today).values_list("pk", flat=True))
    assert late == {on_day_fourteen.pk, still_a_draft.pk}
    assert figures(Case.objects.all(), today, due_soon()).late_handovers == 2
    listed = CaseFilterSet({"late_handover": "true"}, queryset=Case.objects.all()).qs
    assert set(listed.values_list("pk", flat=True)) == late
    not_late = CaseFilterSet({"late_handover": "false"}, queryset=Case.objects.all()).qs
    assert set(not_late.values_list("pk", flat=True)) == {on_day_ten.pk, no_meeting.pk}


def test_the_hand_over_days_are_the_rule_sets(make_case, meeting, world):
    RuleSet.objects.filter(case_kind="plan_execution").update(handover_days=20)
    case = services.case_issue(case=make_case(meeting=meeting), actor=world.staff, issued_date=date(2020, 9, 11))
    assert not late_handovers(Case.objects.filter(pk=case.pk), date(2026, 6, 10)).exists()


# --- the report to the members, ten days before the session that hears it -----------------------------------------


def test_the_staff_are_reminded_to_send_the_report_to_the_members_ten_days_before_the_session(make_case, world):
    session = Meeting.objects.create(term=14, session=23, start_date=date(2026, 8, 26))
    with time_machine.travel(local(2026, 6, 10, 10, 0), tick=False):
        case = make_case(deadline_rule="before_meeting:20", deadline_rule_reason="监督法", hearing_meeting=session)
        assert rungs(case, "to_members") == {}  # a draft: nothing to send yet
        case = services.case_issue(case=case, actor=world.staff, issued_date=date(2026, 6, 10))
    # Due to the members 08-16 (ten days before 08-26); the staff are told three days before, 08-13.
    assert rungs(case, "to_members") == {"to_members": (date(2026, 8, 13), ReminderState.PLANNED)}
    assert Reminder.objects.get(case=case, step="to_members").due_date == date(2026, 8, 16)
    sweep_at(local(2026, 8, 13, 9, 0))
    [subject] = inbox(world.staff, "reminder_to_members")
    assert subject == f"请于 2026-08-16 前送达常委会组成人员：{case.title}"
    assert inbox(world.liaison, "reminder_to_members") == []


def test_moving_the_hearing_to_another_meeting_replans_the_reminder(make_case, world):
    first = Meeting.objects.create(term=14, session=23, start_date=date(2026, 8, 26))
    later = Meeting.objects.create(term=14, session=24, start_date=date(2026, 10, 28))
    with time_machine.travel(local(2026, 6, 10, 10, 0), tick=False):
        case = services.case_issue(case=make_case(deadline_rule="before_meeting:20", deadline_rule_reason="监督法",
                                                  hearing_meeting=first), actor=world.staff,
                                   issued_date=date(2026, 6, 10))
        Case.objects.filter(pk=case.pk).update(hearing_meeting=later)
        from opinions.reminders.planning import replan_reminders
        replan_reminders(Case.objects.get(pk=case.pk))
    planned = {r.due_date for r in Reminder.objects.filter(case=case, step="to_members",
                                                           state=ReminderState.PLANNED)}
    assert planned == {date(2026, 10, 18)}
