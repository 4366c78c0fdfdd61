"""The staff's daily digest: due this week, gone overdue, reports received — once a day, only if there is news."""

from datetime import date

import pytest

from notifications.models import Notification
from opinions import services
from opinions.digest import send_daily_digests

pytestmark = pytest.mark.django_db


def digests(user):
    return list(Notification.objects.filter(recipient=user, channel="inbox", event="daily_digest")
                .values_list("body", flat=True))


def test_the_supervising_staff_hear_what_falls_due_this_week_and_what_went_overdue(received_case, world):
    # received_case is due 2020-12-07
    assert send_daily_digests(today=date(2020, 12, 2)) >= 1
    body = digests(world.staff)[0]
    assert "2020-12-07" in body
    assert received_case.title in body
    assert send_daily_digests(today=date(2020, 12, 8)) >= 1
    assert any(received_case.title in b and "逾期" in b for b in digests(world.staff))


def test_the_digest_is_sent_once_a_day_and_not_to_staff_with_nothing_to_hear(received_case, world):
    send_daily_digests(today=date(2020, 12, 2))
    send_daily_digests(today=date(2020, 12, 2))
    assert len(digests(world.staff)) == 1
    assert digests(world.other_staff) == []  # 预算工委 follows nothing due
    assert len(digests(world.office_staff)) == 1  # the general office follows every case
    assert digests(world.liaison) == []


def test_reports_received_since_yesterday_are_listed(received_case, world):
    services.report_submit(case=received_case, actor=world.liaison, kind="final", title="整改报告", text="正文")
    send_daily_digests(today=date(2020, 12, 20))
    assert any("已收到的报告" in b and received_case.title in b for b in digests(world.staff))
