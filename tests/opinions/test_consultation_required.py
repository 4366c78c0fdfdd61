"""A stored rule that is enforced (issue 14 §3): where the rule set requires consultation (预算工委 on a budget
opinion), the written report is refused until a draft has been commented on."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from npc_tracker.errors import DomainError
from opinions import services
from opinions.models import Case, Report, RuleSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget_case(make_case, world):
    assert RuleSet.objects.get(case_kind="budget_execution").consultation_required  # the seeded Henan rule
    case = make_case(kind="budget_execution", title="关于 2020 年上半年预算执行情况的审议意见",
                     consulted_committee=world.yusuan, supervising_committee=world.caijing)
    case = services.case_issue(case=case, actor=world.staff, issued_date=date(2020, 9, 3))
    return services.case_acknowledge(case=case, actor=world.liaison, received_date=date(2020, 9, 5))


def final(case, world):
    return services.report_submit(case=case, actor=world.liaison, kind="final", title="整改报告", text="已整改。")


def test_the_written_report_waits_for_the_consulted_committees_comments(budget_case, world):
    with pytest.raises(DomainError) as refused:
        final(budget_case, world)
    assert refused.value.code == "consultation_required"
    assert "安阳市人大常委会预算工作委员会" in refused.value.message
    assert Case.objects.get(pk=budget_case.pk).status == "in_progress"
    assert not Report.objects.filter(case=budget_case).exists()

    services.report_submit(case=budget_case, actor=world.liaison, kind="consultation_draft", title="征求意见稿",
                           text="草稿")
    with pytest.raises(DomainError):  # sent, but not commented on yet: the case is in consultation
        final(budget_case, world)
    services.consultation_comment(case=budget_case, actor=world.other_staff, comment="请补充数据")
    assert final(budget_case, world).kind == "final"
    assert Case.objects.get(pk=budget_case.pk).status == "submitted"


def test_without_the_rule_the_report_goes_straight(budget_case, world):
    RuleSet.objects.filter(case_kind="budget_execution").update(consultation_required=False)
    assert final(budget_case, world).kind == "final"


def test_a_report_in_the_wrong_state_is_refused_for_its_state_first(budget_case, world):
    Case.objects.filter(pk=budget_case.pk).update(status="accepted")
    with pytest.raises(DomainError) as refused:
        final(Case.objects.get(pk=budget_case.pk), world)
    assert refused.value.code == "wrong_status"


def test_the_api_answers_409_with_the_reason(budget_case, world):
    api = APIClient()
    api.force_authenticate(world.liaison)
    response = api.post(f"/api/v1/cases/{budget_case.pk}/submit-report/", {"title": "整改报告", "text": "已整改。"},
                        format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "consultation_required"
    assert "征求意见" in response.json()["detail"]
