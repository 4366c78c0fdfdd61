"""定期报告 (issue 14 §3): a decision's execution reported every N months until a date; each report moves the due
date on to the next, each in the history, and the case page lists the series."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from opinions import services
from opinions.models import Case
from tests.moments import local

pytestmark = pytest.mark.django_db
RULE = "periodic:6:2026-06-30"


@pytest.fixture
def decision_case(make_case, world):
    draft = make_case(kind="decision", deadline_rule=RULE,
                      deadline_rule_reason="决定：每半年报告一次，至 2026 年 6 月")
    case = services.case_issue(case=draft, actor=world.staff, issued_date=date(2024, 9, 5))
    return services.case_acknowledge(case=case, actor=world.liaison, received_date=date(2024, 9, 10))


def interim(case, world, when):
    with time_machine.travel(local(*when, 10, 0), tick=False):
        services.report_submit(case=Case.objects.get(pk=case.pk), actor=world.liaison, kind="interim",
                               title=f"{when[0]} 年定期报告", text="进展情况。")
    return Case.objects.get(pk=case.pk)


def test_each_report_moves_the_due_date_to_the_next_period(decision_case, world):
    # The decision rule set counts from the issue (2024-09-05): every six months, the last on 2026-06-30.
    assert decision_case.due_date == date(2025, 3, 5)
    case = interim(decision_case, world, (2025, 3, 4))
    assert case.due_date == date(2025, 9, 5)
    assert "第 2 期应于 2025-09-05 前报送" in case.history.order_by("-history_id").first().history_change_reason
    case = interim(case, world, (2025, 9, 8))
    case = interim(case, world, (2026, 3, 9))
    assert case.due_date == date(2026, 6, 30)  # the last: the written report, due on the end date
    case = interim(case, world, (2026, 6, 1))
    assert case.due_date == date(2026, 6, 30)  # nothing after the last period
    assert case.status == "in_progress"


def test_the_case_page_lists_the_series(client, decision_case, world):
    interim(decision_case, world, (2025, 3, 4))
    client.force_login(world.staff)
    html = client.get(reverse("opinions:case_detail", args=[decision_case.pk])).content.decode()
    assert 'data-testid="periodic-schedule"' in html
    assert "第 1 期" in html
    assert "2025-03-04" in html  # when period 1 was answered
    assert "本期待报" in html
    assert "第 2 期（共 4 期）2025-09-05" in html  # the explanation names the period
