"""Beyond 通报: leadership records a 专题询问 / 质询 / 跟踪检查 on the case (domain.md §7)."""

import pytest
from django.urls import reverse

from notifications.models import Channel, Notification
from npc_tracker.errors import DomainError, InvalidInput, NotAllowed
from opinions import services
from opinions.models import Case
from tests.moments import local

pytestmark = pytest.mark.django_db


def test_leadership_records_an_interpellation_with_its_reason_and_the_people_involved_are_told(received_case, world):
    services.case_decide_further_supervision(case=received_case, actor=world.leader, measure="interpellation",
                                             reason="主任会议决定", at=local(2020, 12, 20, 15, 0))
    case = Case.objects.get(pk=received_case.pk)
    assert case.further_supervision == "interpellation"
    assert str(case.further_supervision_on) == "2020-12-20"
    assert case.status == "in_progress"  # a record, not a transition
    record = case.history.latest("history_id")
    assert record.history_user == world.leader
    assert record.history_change_reason == "质询：主任会议决定"
    told = set(Notification.objects.filter(event="further_supervision", channel=Channel.INBOX)
               .values_list("recipient__username", flat=True))
    assert told == {"liaison", "staff"}


@pytest.mark.parametrize("who", ["staff", "liaison", "court_liaison", "nobody"])
def test_only_leadership_may_decide_it(received_case, world, who):
    with pytest.raises(NotAllowed):
        services.case_decide_further_supervision(case=received_case, actor=getattr(world, who),
                                                 measure="special_inquiry", reason="x")
    assert Case.objects.get(pk=received_case.pk).further_supervision == ""


def test_not_on_a_draft_or_a_closed_case(make_case, world):
    draft = make_case()
    with pytest.raises(DomainError) as refused:
        services.case_decide_further_supervision(case=draft, actor=world.leader, measure="special_inquiry",
                                                 reason="x")
    assert refused.value.code == "wrong_status"


@pytest.mark.parametrize(("measure", "reason", "field"),
                         [("hearing", "理由", "measure"), ("interpellation", " ", "reason")])
def test_bad_input_is_refused_and_nothing_is_saved(received_case, world, measure, reason, field):
    before = received_case.history.count()
    with pytest.raises(InvalidInput) as refused:
        services.case_decide_further_supervision(case=received_case, actor=world.leader, measure=measure,
                                                 reason=reason)
    assert refused.value.field == field
    assert received_case.history.count() == before


def test_the_decision_shows_on_the_case_page(client, received_case, world):
    services.case_decide_further_supervision(case=received_case, actor=world.leader,
                                             measure="follow_up_inspection", reason="列入明年跟踪检查")
    client.force_login(world.liaison)
    html = client.get(reverse("opinions:case_detail", args=[received_case.pk])).content.decode()
    assert 'data-testid="further-supervision"' in html
    assert "跟踪检查" in html
    assert "列入明年跟踪检查" in html  # the timeline gives the reason


def test_an_event_recorded_after_the_fact_is_dated_in_the_inbox_when_it_happened(received_case, world):
    services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告", text="正文",
                           at=local(2020, 11, 30, 9, 30))
    message = Notification.objects.get(recipient=world.staff, event="report_submitted", channel=Channel.INBOX)
    assert message.created_at == local(2020, 11, 30, 9, 30)
    assert message.sent_at == local(2020, 11, 30, 9, 30)
