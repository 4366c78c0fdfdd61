"""持续整改 (issue 14 §4): an item carried over has a next report date with reminders, also after the case closed;
the body reports on it, and the staff verify it (销号) or set the next date."""

from datetime import date, time

import pytest

from notifications.models import Channel, Notification
from npc_tracker.errors import DomainError, NotAllowed
from opinions import reminder_schedule as schedule
from opinions import services
from opinions.choices import ReminderState
from opinions.models import Reminder, RuleSet
from opinions.reminders import sweep
from opinions.reminders.planning import replan_open_cases
from tests.moments import local

pytestmark = pytest.mark.django_db

NEXT = date(2026, 9, 30)  # a Wednesday; today is 2026-06-10
STEPS = (schedule.FOLLOW_UP, schedule.FOLLOW_UP_OVERDUE)


def inbox(user, event):
    return list(Notification.objects.filter(recipient=user, channel=Channel.INBOX, event=event)
                .values_list("body", flat=True))


def sweep_at(moment):
    return sweep.deliver(sweep.claim_due(now=moment), now=moment)


def rungs(case):
    return {(r.step, r.due_date): (r.fire_at, r.state)
            for r in Reminder.objects.filter(case=case, step__in=STEPS)}


@pytest.fixture
def closed_case(received_case, world):
    """Accepted with both items carried over to NEXT, then closed."""
    services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告", text="正文")
    services.report_accept(case=received_case, actor=world.staff, carry_over_reason="长期工作",
                           next_report_date=NEXT)
    return services.case_close(case=received_case, actor=world.staff)


def test_the_schedule_is_a_week_before_and_the_day_after():
    assert [(s.key, s.fire_on) for s in schedule.follow_up_plan(NEXT)] == [
        ("follow_up", date(2026, 9, 23)), ("follow_up_overdue", date(2026, 10, 1))]


def test_the_week_before_rung_is_stale_once_the_overdue_one_is_due():
    assert schedule.superseded("follow_up", {"follow_up", "follow_up_overdue"})
    assert not schedule.superseded("follow_up", {"follow_up", "before:7", "overdue"})
    assert not schedule.superseded("follow_up_overdue", {"follow_up", "follow_up_overdue"})


def test_a_closed_case_keeps_the_rungs_of_its_carried_over_items(closed_case):
    assert closed_case.status == "closed"
    assert rungs(closed_case) == {("follow_up", NEXT): (local(2026, 9, 23, 8, 30), ReminderState.PLANNED),
                                  ("follow_up_overdue", NEXT): (local(2026, 10, 1, 8, 30), ReminderState.PLANNED)}


def test_the_liaisons_are_reminded_a_week_before_with_the_items_then_the_staff_too_when_late(closed_case, world):
    sweep_at(local(2026, 9, 23, 9, 0))
    assert inbox(world.liaison, "reminder_follow_up") == [
        f"安阳市人民政府应于 2026-09-30 前报告“{closed_case.title}”第 1、2 项持续整改事项的进展。"]
    assert inbox(world.staff, "reminder_follow_up") == []
    # 10-01 is National Day: the overdue rung waits for the first working day in the window.
    assert sweep_at(local(2026, 10, 1, 9, 0)) == {}
    sweep_at(local(2026, 10, 9, 9, 0))
    assert len(inbox(world.liaison, "reminder_follow_up_overdue")) == 1
    assert len(inbox(world.staff, "reminder_follow_up_overdue")) == 1


def test_the_body_reports_after_closing_the_rungs_of_that_date_stop_and_the_staff_are_told(closed_case, world):
    first, second = closed_case.items.order_by("number")
    item = services.item_report_follow_up(item=first, actor=world.liaison, progress_note="长效机制已建立",
                                          measures="出台管护办法")
    assert (item.status, item.next_report_date, item.progress_note) == ("carried_over", None, "长效机制已建立")
    assert item.history.latest().history_change_reason == "长效机制已建立"
    assert inbox(world.staff, "follow_up_reported") == ["第 1 项：长效机制已建立"]
    assert inbox(world.liaison, "follow_up_reported") == []  # never the actor
    # Item 2 still owes its report: the rungs stay, and name item 2 only.
    assert {state for _fire, state in rungs(closed_case).values()} == {ReminderState.PLANNED}
    services.item_report_follow_up(item=second, actor=world.liaison, progress_note="已完成")
    assert {state for _fire, state in rungs(closed_case).values()} == {ReminderState.CANCELLED}
    assert sweep_at(local(2026, 9, 23, 9, 0)) == {}


def test_the_message_names_only_the_items_still_owed(closed_case, world):
    first = closed_case.items.get(number=1)
    services.item_report_follow_up(item=first, actor=world.liaison, progress_note="已完成")
    sweep_at(local(2026, 9, 23, 9, 0))
    assert inbox(world.liaison, "reminder_follow_up") == [
        f"安阳市人民政府应于 2026-09-30 前报告“{closed_case.title}”第 2 项持续整改事项的进展。"]


def test_a_rung_claimed_before_the_report_is_not_sent_after_it(closed_case, world):
    claimed = sweep.claim_due(now=local(2026, 9, 23, 9, 0))
    for item in closed_case.items.all():
        services.item_report_follow_up(item=item, actor=world.liaison, progress_note="已完成")
    assert sweep.deliver(claimed, now=local(2026, 9, 23, 9, 0)) == {ReminderState.CANCELLED: 1}


def test_the_staff_set_the_next_date_or_verify(closed_case, world):
    first, second = closed_case.items.order_by("number")
    services.item_report_follow_up(item=first, actor=world.liaison, progress_note="阶段性完成")
    later = date(2026, 12, 30)
    again = services.item_carry_over(item=first, actor=world.staff, reason="继续整改", next_report_date=later)
    assert (again.status, again.next_report_date) == ("carried_over", later)
    assert ("follow_up", later) in rungs(closed_case)
    verified = services.item_verify(item=second, actor=world.staff, note="经核实，同意销号")
    assert verified.status == "closed"
    # Item 2 verified: its date needs no reminder; item 1's new date keeps its own.
    assert {key for key, (_fire, state) in rungs(closed_case).items() if state == ReminderState.PLANNED} == {
        ("follow_up", later), ("follow_up_overdue", later)}


def test_only_the_body_reports_and_only_the_staff_verify(closed_case, world):
    item = closed_case.items.get(number=1)
    with pytest.raises(NotAllowed):
        services.item_report_follow_up(item=item, actor=world.staff, progress_note="代报")
    with pytest.raises(NotAllowed):
        services.item_report_follow_up(item=item, actor=world.court_liaison, progress_note="他单位")
    with pytest.raises(NotAllowed):
        services.item_verify(item=item, actor=world.liaison)
    item.refresh_from_db()
    assert item.next_report_date == NEXT


def test_only_a_carried_over_item_is_reported_on(received_case, world):
    item = received_case.items.get(number=1)
    with pytest.raises(DomainError) as refused:
        services.item_report_follow_up(item=item, actor=world.liaison, progress_note="进展")
    assert refused.value.code == "wrong_status"
    assert str(refused.value) == "意见事项当前状态（未开始）不能执行“报告持续整改进展”。"


def test_an_empty_report_is_refused_and_keeps_the_date(closed_case, world):
    item = closed_case.items.get(number=1)
    with pytest.raises(DomainError) as refused:
        services.item_report_follow_up(item=item, actor=world.liaison, progress_note="  ")
    assert refused.value.field == "progress_note"
    item.refresh_from_db()
    assert item.next_report_date == NEXT


def test_a_rule_set_change_moves_the_rungs_of_closed_cases_too(closed_case):
    RuleSet.objects.filter(case_kind=closed_case.kind).update(send_window_start=time(9, 0))
    replan_open_cases(closed_case.kind)
    assert rungs(closed_case)[("follow_up", NEXT)] == (local(2026, 9, 23, 9, 0), ReminderState.PLANNED)


def test_the_follow_up_a_basically_satisfied_vote_asks_for_is_reminded_too(received_case, world):
    services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告", text="正文")
    services.report_accept(case=received_case, actor=world.staff, carry_over_reason="长期工作",
                           next_report_date=NEXT)
    later = date(2026, 11, 30)
    evaluation = services.evaluation_record(case=received_case, actor=world.staff, satisfied=10,
                                            basically_satisfied=25, dissatisfied=5, entitled_to_vote=40,
                                            follow_up="建立农村人居环境长效管护机制", next_report_date=later)
    assert evaluation.result == "basically_satisfied"
    assert {key for key in rungs(received_case)} == {("follow_up", NEXT), ("follow_up_overdue", NEXT),
                                                     ("follow_up", later), ("follow_up_overdue", later)}
    sweep_at(local(2026, 11, 23, 9, 0))  # NEXT is past: its week-before rung is superseded by its overdue one
    assert [text.split("”")[-1] for text in inbox(world.liaison, "reminder_follow_up")] == [
        "第 3 项持续整改事项的进展。"]
    assert [text.split("”")[-1] for text in inbox(world.liaison, "reminder_follow_up_overdue")] == [
        "第 1、2 项持续整改事项的进展。"]
