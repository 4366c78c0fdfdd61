"""A returned report (退回) gets its own date (issue 14 §3): the rule set's days after the return, never earlier than
the case's due date; its reminders follow that date until the revised report is in."""

from datetime import date

import pytest
import time_machine

from notifications.models import Channel, Notification
from opinions import services
from opinions.choices import ReminderState
from opinions.models import Case, Reminder, RuleSet
from opinions.reminders import sweep
from tests.moments import local

pytestmark = pytest.mark.django_db


def submit(case, world, when):
    with time_machine.travel(local(*when, 10, 0), tick=False):
        return services.report_submit(case=case, actor=world.liaison, kind="final", title="整改报告", text="已整改。")


def give_back(case, world, when):
    with time_machine.travel(local(*when, 10, 0), tick=False):
        services.report_return(case=Case.objects.get(pk=case.pk), actor=world.staff, reason="数据不全")
    return Case.objects.get(pk=case.pk)


def planned(case):
    return set(Reminder.objects.filter(case=case, state=ReminderState.PLANNED).values_list("step", "due_date"))


def test_a_report_returned_after_the_due_date_is_due_again_fifteen_days_on(received_case, world):
    # Due 2020-12-07; submitted on time, returned 2020-12-10: revised report due 12-25 (a Friday).
    submit(received_case, world, (2020, 12, 4))
    case = give_back(received_case, world, (2020, 12, 10))
    assert case.resubmit_due == date(2020, 12, 25)
    assert case.due_date == date(2020, 12, 7)  # the legal due date stays, for the figures
    assert "请于 2020-12-25 前重新报送" in case.history.order_by("-history_id").first().history_change_reason
    assert ("overdue", date(2020, 12, 25)) in planned(case)
    assert not any(due == date(2020, 12, 7) for _step, due in planned(case))


def test_a_return_never_shortens_the_time_the_body_has(received_case, world):
    submit(received_case, world, (2020, 9, 20))
    case = give_back(received_case, world, (2020, 9, 25))  # 15 days on is 10-10, before 12-07
    assert case.resubmit_due is None
    assert ("overdue", date(2020, 12, 7)) in planned(case)


def test_the_revised_report_clears_the_date_and_its_reminders(received_case, world):
    submit(received_case, world, (2020, 12, 4))
    give_back(received_case, world, (2020, 12, 10))
    submit(Case.objects.get(pk=received_case.pk), world, (2020, 12, 18))
    case = Case.objects.get(pk=received_case.pk)
    assert case.resubmit_due is None
    assert planned(case) == set()


def test_the_reminder_names_the_revised_reports_date(received_case, world):
    submit(received_case, world, (2020, 12, 4))
    give_back(received_case, world, (2020, 12, 10))
    moment = local(2020, 12, 28, 9, 0)  # the day after 12-25: the 催办通知
    sweep.deliver(sweep.claim_due(now=moment), now=moment)
    bodies = list(Notification.objects.filter(recipient=world.liaison, channel=Channel.INBOX,
                                              event="reminder_overdue").values_list("body", flat=True))
    assert bodies
    assert all("2020-12-25" in body for body in bodies)


def test_the_rule_set_can_keep_the_due_date(received_case, world):
    RuleSet.objects.filter(case_kind="plan_execution").update(resubmit_within_days=0)
    submit(received_case, world, (2020, 12, 4))
    assert give_back(received_case, world, (2020, 12, 10)).resubmit_due is None


def test_the_revision_starts_from_the_returned_version(client, received_case, world):
    from django.urls import reverse

    submit(received_case, world, (2020, 12, 4))
    give_back(received_case, world, (2020, 12, 10))
    client.force_login(world.liaison)
    html = client.get(reverse("opinions:case_detail", args=[received_case.pk])).content.decode()
    assert 'name="submit-report-title"' in html
    assert 'value="整改报告"' in html  # the returned version's title
    assert "\n已整改。</textarea>" in html  # and its text, to revise
    assert 'data-testid="resubmit-due"' in html
