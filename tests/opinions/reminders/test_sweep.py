"""One sweep step at a time: claim once, deliver once, skip what is stale, respect the sending window."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model

from agencies.models import Membership, MembershipRole
from notifications.models import Channel, Notification
from opinions.choices import ReminderState
from opinions.models import Case, Reminder
from opinions.reminders import sweep
from tests.moments import local

pytestmark = pytest.mark.django_db
MONDAY_MORNING = local(2020, 12, 14, 10, 0)  # after the overdue notice (12-08) and escalation (12-14) are due


def inbox(user):
    return list(Notification.objects.filter(recipient=user, channel=Channel.INBOX, event__startswith="reminder")
                .values_list("event", flat=True))


def test_due_rows_are_claimed_once(received_case):
    first = sweep.claim_due(now=MONDAY_MORNING)
    assert len(first) == 2
    assert sweep.claim_due(now=MONDAY_MORNING) == []
    assert set(Reminder.objects.filter(pk__in=first).values_list("state", flat=True)) == {ReminderState.CLAIMED}


def test_nothing_is_claimed_at_night_or_at_the_weekend(received_case):
    assert sweep.claim_due(now=local(2020, 12, 14, 3, 0)) == []
    assert sweep.claim_due(now=local(2020, 12, 13, 10, 0)) == []  # Sunday
    assert sweep.claim_due(now=local(2020, 12, 14, 8, 30)) != []


def test_a_rung_not_yet_due_is_not_claimed(received_case):
    assert sweep.claim_due(now=local(2020, 12, 7, 10, 0)) == []


def test_the_overdue_notice_goes_to_the_liaison_the_supervising_staff_and_the_bodys_leader(received_case, world):
    world.gov.leader_email = "mayor-office@anyang.example"
    world.gov.save()
    ids = sweep.claim_due(now=local(2020, 12, 8, 9, 0))
    outcome = sweep.deliver(ids, now=local(2020, 12, 8, 9, 0))
    assert outcome == {ReminderState.SENT: 1}
    assert inbox(world.liaison) == ["reminder_overdue"]
    assert inbox(world.staff) == ["reminder_overdue"]
    assert inbox(world.court_liaison) == []
    copy = Notification.objects.get(address="mayor-office@anyang.example")
    assert copy.channel == Channel.EMAIL
    assert "催办" in copy.subject


def test_escalation_notifies_leadership_and_flags_the_case_on_its_timeline(received_case, world):
    sweep.deliver(sweep.claim_due(now=MONDAY_MORNING), now=MONDAY_MORNING)
    assert "reminder_escalation" in inbox(world.leader)
    case = Case.objects.get(pk=received_case.pk)
    assert case.escalated_on == date(2020, 12, 14)
    record = case.history.first()
    assert record.escalated_on == date(2020, 12, 14)
    assert record.history_user is None
    assert "通报" in record.history_change_reason


def test_delivering_the_same_batch_twice_sends_nothing_twice(received_case, world):
    ids = sweep.claim_due(now=MONDAY_MORNING)
    sweep.deliver(ids, now=MONDAY_MORNING)
    count = Notification.objects.count()
    Reminder.objects.filter(pk__in=ids).update(state=ReminderState.CLAIMED)  # as if the task ran again
    sweep.deliver(ids, now=MONDAY_MORNING)
    assert Notification.objects.count() == count
    assert inbox(world.liaison).count("reminder_overdue") == 1


def test_after_days_down_the_stale_rungs_are_skipped_and_the_current_one_sent_once(world):
    from opinions import services
    from opinions.models import RuleSet

    services.calendar_enter_year(year=2030, actor=None, rest_days={}, make_up_workdays={})
    # Only the report's ladder here: the acknowledgement reminders of the never-acknowledged case are switched off.
    RuleSet.objects.filter(case_kind="plan_execution").update(acknowledge_within_workdays=0)
    case = services.case_create(actor=world.staff, kind="plan_execution", title="停机测试", lead_body=world.gov,
                                deadline_rule="date:2030-12-31", deadline_rule_reason="测试",
                                supervising_committee=world.caijing)
    services.case_issue(case=case, actor=world.staff)
    # The scheduler was down for days: on Monday 12-30 the 30-, 14-, 7- and 3-day rungs and the 1-day rung are due.
    now = local(2030, 12, 30, 9, 0)
    outcome = sweep.deliver(sweep.claim_due(now=now), now=now)
    assert outcome == {ReminderState.SKIPPED: 4, ReminderState.SENT: 1}
    assert Reminder.objects.get(case=case, state=ReminderState.SENT).step == "before:1"
    assert inbox(world.liaison).count("reminder_before") == 1
    assert sweep.claim_due(now=now) == []


def test_a_replaced_liaison_no_longer_gets_reminders_and_the_new_one_does(received_case, world):
    Membership.objects.filter(user=world.liaison).update(is_active=False)
    newcomer = get_user_model().objects.create_user("new_liaison", password="x-12345-y")
    Membership.objects.create(user=newcomer, role=MembershipRole.LIAISON, body=world.gov)
    sweep.deliver(sweep.claim_due(now=MONDAY_MORNING), now=MONDAY_MORNING)
    assert "reminder_overdue" in inbox(newcomer)
    assert "reminder_overdue" not in inbox(world.liaison)


def test_a_claimed_reminder_of_a_case_submitted_meanwhile_is_cancelled_not_sent(received_case, world):
    from opinions import services

    ids = sweep.claim_due(now=MONDAY_MORNING)
    services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告", text="正文")
    assert sweep.deliver(ids, now=MONDAY_MORNING) == {ReminderState.CANCELLED: 2}
    assert "reminder_overdue" not in inbox(world.liaison)


def test_a_lost_claim_is_handed_out_again_after_the_lease(received_case):
    ids = sweep.claim_due(now=MONDAY_MORNING)
    assert sweep.reclaim_stale(now=MONDAY_MORNING + timedelta(minutes=5)) == []
    assert sorted(sweep.reclaim_stale(now=MONDAY_MORNING + timedelta(minutes=11))) == sorted(ids)


def test_the_sweep_task_claims_and_delivers_in_process_on_the_embedded_default(received_case, world, settings):
    from opinions.reminders.tasks import sweep_reminders as sweep_task

    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("with REDIS_URL the delivery goes to a worker: covered by the integration tests")
    result = sweep_task.apply(args=[MONDAY_MORNING.isoformat()]).get()
    assert result == {"claimed": 2, "reclaimed": 0}
    assert sorted(inbox(world.liaison)) == ["reminder_escalation", "reminder_overdue"]


def test_sent_reminders_show_on_the_case_page_and_timeline_with_their_recipients(client, received_case, world):
    from django.urls import reverse

    from opinions.selectors import case_timeline

    sweep.deliver(sweep.claim_due(now=local(2020, 12, 8, 9, 0)), now=local(2020, 12, 8, 9, 0))
    entries = [e for e in case_timeline(received_case) if "催办" in e.subject]
    assert len(entries) == 1
    assert entries[0].when == local(2020, 12, 8, 9, 0)
    assert set(entries[0].reason.partition("：")[2].split("、")) == {"liaison", "staff"}
    client.force_login(world.liaison)
    html = client.get(reverse("opinions:case_detail", args=[received_case.pk])).content.decode()
    assert 'data-testid="reminders"' in html
    assert html.count('class="reminder-sent"') == 1
    assert html.count('class="reminder-planned"') == 1  # the 通报 rung still to come


@pytest.fixture
def broken_reminder(received_case, world):
    """A reminder of another case whose delivery raises (its step cannot be read), due with the good ones."""
    case = Case.objects.create(kind="plan_execution", title="坏数据", lead_body=world.gov, status="in_progress",
                               due_date=date(2020, 12, 7), supervising_committee=world.caijing)
    return Reminder.objects.create(case=case, step="before:x", due_date=date(2020, 12, 7),
                                   fire_at=MONDAY_MORNING - timedelta(hours=1))


def test_one_reminder_that_raises_is_retried_alone_and_the_rest_of_its_batch_goes_out(broken_reminder, world):
    ids = sweep.claim_due(now=MONDAY_MORNING)
    assert broken_reminder.pk in ids
    assert len(ids) == 3
    assert sweep.deliver(ids, now=MONDAY_MORNING) == {ReminderState.SENT: 2, "retry": 1}
    assert sorted(inbox(world.liaison)) == ["reminder_escalation", "reminder_overdue"]
    broken = Reminder.objects.get(pk=broken_reminder.pk)
    assert broken.state == ReminderState.PLANNED
    assert broken.attempts == 1
    assert broken.next_attempt_at == MONDAY_MORNING + timedelta(seconds=30)
    assert broken.last_error.startswith("ValueError")
    assert not Notification.objects.filter(reminder=broken).exists()  # its savepoint was rolled back
    assert sweep.reclaim_stale(now=MONDAY_MORNING + timedelta(minutes=11)) == []  # no batch handed out for ever


def test_a_failing_reminder_backs_off_then_is_failed_after_the_last_attempt(broken_reminder):
    now = MONDAY_MORNING
    for attempt in range(1, sweep.MAX_ATTEMPTS + 1):
        ids = sweep.claim_due(now=now)
        assert broken_reminder.pk in ids
        sweep.deliver(ids, now=now)
        broken = Reminder.objects.get(pk=broken_reminder.pk)
        assert broken.attempts == attempt
        if attempt < sweep.MAX_ATTEMPTS:
            assert sweep.claim_due(now=broken.next_attempt_at - timedelta(seconds=1)) == []  # still backing off
            now = broken.next_attempt_at
    assert broken.state == ReminderState.FAILED
    assert broken.finished_at == now
    assert broken.outcome.startswith("ValueError")
    assert sweep.claim_due(now=now + timedelta(hours=1)) == []


def test_an_administrator_sees_failed_reminders_and_retries_them(broken_reminder, admin_client):
    from django.urls import reverse

    Reminder.objects.filter(pk=broken_reminder.pk).update(state=ReminderState.FAILED, attempts=sweep.MAX_ATTEMPTS,
                                                          last_error="ValueError: bad step")
    changelist = reverse("admin:opinions_reminder_changelist")
    page = admin_client.get(changelist, {"state__exact": "failed"}).content.decode()
    assert "ValueError: bad step" in page
    response = admin_client.post(changelist, {"action": "retry", "_selected_action": [broken_reminder.pk]},
                                 follow=True)
    assert "1 条提醒将在下一次扫描时发送" in response.content.decode()
    broken = Reminder.objects.get(pk=broken_reminder.pk)
    assert (broken.state, broken.attempts, broken.next_attempt_at) == (ReminderState.PLANNED, 0, None)
    assert broken.pk in sweep.claim_due(now=MONDAY_MORNING)


def test_a_batch_lost_on_every_attempt_ends_failed_instead_of_being_handed_out_for_ever(received_case):
    ids = sweep.claim_due(now=MONDAY_MORNING)
    now = MONDAY_MORNING
    for _lost in range(sweep.MAX_ATTEMPTS - 1):  # the delivery task never runs, or dies before any row is done
        now += sweep.CLAIM_LEASE + timedelta(minutes=1)
        assert sorted(sweep.reclaim_stale(now=now)) == sorted(ids)
    now += sweep.CLAIM_LEASE + timedelta(minutes=1)
    assert sweep.reclaim_stale(now=now) == []
    assert set(Reminder.objects.filter(pk__in=ids).values_list("state", flat=True)) == {ReminderState.FAILED}
    assert set(Reminder.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {sweep.MAX_ATTEMPTS}


def test_a_failed_later_step_does_not_swallow_the_earlier_one(received_case, world):
    ids = sweep.claim_due(now=MONDAY_MORNING)
    overdue = Reminder.objects.get(pk__in=ids, step="overdue")
    Reminder.objects.filter(pk__in=ids).exclude(pk=overdue.pk).update(state=ReminderState.FAILED)  # 通报 gave up
    assert sweep.deliver([overdue.pk], now=MONDAY_MORNING) == {ReminderState.SENT: 1}
    assert inbox(world.liaison) == ["reminder_overdue"]
