"""Reminder rows are planned with the change that needs them, re-planned or cancelled when the case changes."""

from datetime import date

import pytest
from django.utils import timezone

from opinions import services
from opinions.choices import ReminderState
from opinions.models import Reminder
from opinions.reminders.planning import replan_reminders
from tests.moments import local

pytestmark = pytest.mark.django_db


def planned(case):
    return dict(Reminder.objects.filter(case=case, state=ReminderState.PLANNED).values_list("step", "due_date"))


def test_issuing_plans_overdue_and_escalation_steps_for_a_past_due_date(issued_case):
    # Issued "in 2020": every before-due rung is already in the past and superseded; what is still owed remains, and
    # the case is not acknowledged yet (its rungs belong to the issue date).
    assert planned(issued_case) == {"overdue": date(2020, 12, 3), "escalation": date(2020, 12, 3),
                                    "ack": date(2020, 9, 3), "ack_staff": date(2020, 9, 3)}


@pytest.fixture
def calendar_ahead():
    """Tests that run on the real clock may reach next year, whose official calendar may not be out yet."""
    from opinions.models import CalendarDay

    for year in (timezone.localdate().year, timezone.localdate().year + 1):
        if not CalendarDay.objects.filter(date__year=year).exists():
            services.calendar_enter_year(year=year, actor=None, rest_days={}, make_up_workdays={})


def test_a_case_due_in_the_future_gets_the_whole_ladder(make_case, world, calendar_ahead):
    today = timezone.localdate()
    case = services.case_create(actor=world.staff, kind="plan_execution", title="未来的案件", lead_body=world.gov,
                                deadline_rule="days:40", deadline_rule_reason="测试",
                                supervising_committee=world.caijing)
    case = services.case_issue(case=case, actor=world.staff, issued_date=today)
    steps = planned(case)
    assert set(steps) >= {"before:30", "before:14", "before:7", "before:3", "before:1", "before:0", "overdue",
                          "escalation"}
    first = Reminder.objects.get(case=case, step="before:30")
    assert timezone.localtime(first.fire_at).time().isoformat() == "08:30:00"


def test_receipt_moves_the_due_date_and_replans(received_case):
    states = dict(Reminder.objects.filter(case=received_case, due_date=date(2020, 12, 3)).values_list("step", "state"))
    assert set(states.values()) == {ReminderState.CANCELLED}
    assert planned(received_case) == {"overdue": date(2020, 12, 7), "escalation": date(2020, 12, 7)}
    overdue = Reminder.objects.get(case=received_case, step="overdue", due_date=date(2020, 12, 7))
    assert overdue.fire_at == local(2020, 12, 8, 8, 30)


def test_an_approved_extension_cancels_the_old_plan_and_plans_the_new_due_date(received_case, world):
    extension = services.extension_request(case=received_case, actor=world.liaison,
                                           requested_date=date(2021, 1, 15), reason="需要协调",
                                           at=local(2020, 11, 30, 10))
    services.extension_decide(extension=extension, actor=world.leader, approve=True, comment="同意")
    assert planned(received_case) == {"overdue": date(2021, 1, 15), "escalation": date(2021, 1, 15)}
    assert not Reminder.objects.filter(case=received_case, due_date=date(2020, 12, 7),
                                       state=ReminderState.PLANNED).exists()


def test_submitting_the_report_cancels_the_reminders_and_a_return_plans_them_again(received_case, world):
    services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告", text="正文")
    assert planned(received_case) == {}
    services.report_return(case=received_case, actor=world.staff, reason="不完整")
    # Returned today (2026-06-10), long after the due date: the revised report is due 15 days on, and the whole
    # ladder is planned for that date.
    ladder = planned(received_case)
    assert set(ladder.values()) == {date(2026, 6, 25)}
    assert {"before:7", "overdue", "escalation"} <= set(ladder)


def test_replanning_twice_creates_nothing_new(received_case):
    before = Reminder.objects.count()
    assert replan_reminders(received_case) == 0
    assert Reminder.objects.count() == before


def test_changing_the_rule_sets_reminder_days_in_the_admin_replans_open_cases(admin_client, received_case,
                                                                             django_capture_on_commit_callbacks):
    from django.urls import reverse

    from opinions.models import RuleSet
    from opinions.reminders.tasks import replan_case_kind

    rule_set = RuleSet.objects.get(case_kind="plan_execution")
    url = reverse("admin:opinions_ruleset_change", args=[rule_set.pk])
    form = {"jurisdiction": rule_set.jurisdiction, "case_kind": rule_set.case_kind,
            "deadline_rule": rule_set.deadline_rule, "anchor_event": rule_set.anchor_event, "roll_forward": "on",
            "extension_approver": rule_set.extension_approver, "handover_days": 10,
            "legal_basis": rule_set.legal_basis, "reminder_days": "[7, 1]", "overdue_notice_after_days": 1,
            "escalate_after_workdays": 3, "send_window_start": "08:30", "send_window_end": "18:00",
            "due_soon_days": 14, "vote_base": rule_set.vote_base, "signoff_by": rule_set.signoff_by,
            "reason": "常委会调整催办节点"}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(callbacks) == 1
    replan_case_kind.apply(args=["plan_execution"])
    escalation = Reminder.objects.get(case=received_case, step="escalation", state=ReminderState.PLANNED)
    assert timezone.localtime(escalation.fire_at).date() == date(2020, 12, 10)  # 3 working days after 12-07, not 5


def test_an_invalid_reminder_schedule_is_refused_in_the_admin(admin_client):
    from django.urls import reverse

    from opinions.models import RuleSet

    rule_set = RuleSet.objects.get(case_kind="plan_execution")
    response = admin_client.post(reverse("admin:opinions_ruleset_change", args=[rule_set.pk]), {
        "jurisdiction": rule_set.jurisdiction, "case_kind": rule_set.case_kind, "deadline_rule": "months:3",
        "anchor_event": "receipt", "extension_approver": "leader", "handover_days": 10,
        "reminder_days": "[7, 7]", "overdue_notice_after_days": 1, "escalate_after_workdays": 5,
        "send_window_start": "18:00", "send_window_end": "08:30"})
    assert response.status_code == 200  # the form comes back with errors
    rule_set.refresh_from_db()
    assert rule_set.reminder_days == [30, 14, 7, 3, 1, 0]
