"""A report to be heard at a registered meeting (issue 14 §3): its due date counts back from that meeting
(监督法: the report reaches the committee twenty days before the session)."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from npc_tracker.errors import DomainError
from opinions import rules, services
from opinions.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def august_session(db):
    return Meeting.objects.create(term=14, session=22, start_date=date(2026, 8, 26), end_date=date(2026, 8, 27))


def test_the_due_date_counts_back_from_the_meeting_that_hears_the_report(make_case, world, august_session):
    draft = make_case(deadline_rule="before_meeting:20", deadline_rule_reason="监督法第九条：会议举行二十日前送交",
                      hearing_meeting=august_session)
    case = services.case_issue(case=draft, actor=world.staff, issued_date=date(2026, 6, 1))
    case = services.case_acknowledge(case=case, actor=world.liaison, received_date=date(2026, 6, 3))
    assert case.due_date == date(2026, 8, 6)
    assert rules.explain_due(case).startswith("听取报告的会议前二十日 → 常委会会议 2026-08-26")


def test_without_a_chosen_meeting_the_issue_is_refused_and_says_why(make_case, world):
    draft = make_case(deadline_rule="before_meeting:20", deadline_rule_reason="监督法")
    with pytest.raises(DomainError) as refused:
        services.case_issue(case=draft, actor=world.staff, issued_date=date(2026, 6, 1))
    assert "尚未选择听取报告的会议" in refused.value.message
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_api_takes_and_shows_the_meeting(world, august_session):
    api = APIClient()
    api.force_authenticate(world.staff)
    created = api.post("/api/v1/cases/", {
        "kind": "special_work_report", "title": "关于全市养老服务工作情况的报告的审议意见", "lead_body": world.gov.pk,
        "supervising_committee": world.caijing.pk, "deadline_rule": "before_meeting:20",
        "deadline_rule_reason": "监督法", "hearing_meeting": august_session.pk}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["hearing_meeting"] == august_session.pk
