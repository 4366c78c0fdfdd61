"""Satisfaction votes on the pages (issue 14 §4): the evaluation form says what the vote will do before, the
confirmation and the timeline what it did after; refusals show beside their field; carry-over asks for the next
report date; meetings take and show their members and attendance. English UI: the msgids."""


import pytest
from django.urls import reverse
from django.utils import translation

from opinions.models import Case, Meeting
from opinions.selectors import today
from opinions.services import meetings
from tests.cases import accepted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def accepted_case(received_case, world):
    """Accepted, the first item carried over to 2026-12-31 and the second verified."""
    return accepted(received_case, world, carry_first=True)


def page(client, user, case):
    client.force_login(user)
    return client.get(reverse("opinions:case_detail", args=[case.pk])).content.decode()


def post(client, user, case, slug, data, **kwargs):
    client.force_login(user)
    return client.post(reverse("opinions:case_action", args=[case.pk, slug]),
                       {f"{slug}-{key}": value for key, value in data.items()}, **kwargs)


def test_the_evaluation_form_says_before_that_the_vote_closes_the_case_and_what_stays_carried_over(
        client, world, accepted_case):
    html = page(client, world.staff, accepted_case)
    intro = html.split('data-testid="action-intro">', 1)[1].split("</p>", 1)[0]
    assert "A satisfied or basically satisfied result closes the case (办结)" in intro
    assert "more than half of the votes cast" in intro
    assert "No. 1 “一、全力以赴抓好“六稳”“六保”。” (next report by 2026-12-31)" in intro
    assert "Next report due:</strong> 2026-12-31" in html  # and the item itself shows its date


def test_a_closing_vote_says_after_that_the_case_is_closed_and_names_the_items_carried_over(
        client, world, accepted_case):
    response = post(client, world.staff, accepted_case, "evaluate",
                    {"entitled_to_vote": "46", "satisfied": "15", "basically_satisfied": "20", "dissatisfied": "5",
                     "follow_up": "建立长效管护机制", "next_report_date": "2027-03-31"}, follow=True)
    html = response.content.decode()
    message = next(str(m) for m in response.context["messages"])
    assert message.startswith("Satisfaction evaluation: Basically satisfied (satisfied 15, basically satisfied 20, "
                              "dissatisfied 5; more than half of the votes cast, 40). The case is closed (办结).")
    assert "No. 1 “一、全力以赴抓好“六稳”“六保”。” (next report by 2026-12-31)" in message
    assert "No. 3 “建立长效管护机制” (next report by 2027-03-31)" in message
    assert Case.objects.get(pk=accepted_case.pk).status == "closed"
    assert 'data-testid="item-follow-up"' in html  # the follow-up is an item of the case now
    assert "more than half of: Votes cast (40)" in html


def test_a_vote_at_a_meeting_without_a_quorum_is_refused_beside_the_meeting(client, world, accepted_case):
    meeting = meetings.meeting_create(actor=world.staff, kind="sc_meeting", term=15, session=16, start_date=today(),
                                      members=48, present=20)
    response = post(client, world.staff, accepted_case, "evaluate",
                    {"meeting": meeting.pk, "satisfied": "15", "basically_satisfied": "3", "dissatisfied": "1"})
    assert response.status_code == 400
    form = next(o.form for o in response.context["offered"] if o.spec.slug == "evaluate")
    assert form.errors["meeting"] == ["No quorum: 20 of the 48 members were present, not more than half, so the "
                                      "meeting cannot take a satisfaction vote."]
    assert Case.objects.get(pk=accepted_case.pk).status == "accepted"


def test_follow_up_without_a_next_report_date_is_refused_beside_the_date(client, world, accepted_case):
    response = post(client, world.staff, accepted_case, "evaluate",
                    {"entitled_to_vote": "46", "satisfied": "15", "basically_satisfied": "20", "dissatisfied": "5",
                     "follow_up": "建立长效管护机制"})
    assert response.status_code == 400
    form = next(o.form for o in response.context["offered"] if o.spec.slug == "evaluate")
    assert form.errors["next_report_date"] == ["Give the date of the next report on the follow-up items."]


def test_carrying_an_item_over_on_the_page_asks_for_the_next_report_date(client, world, received_case):
    item = received_case.items.order_by("number").first()
    client.force_login(world.staff)
    url = reverse("opinions:item_action", args=[received_case.pk, item.pk, "carry-over"])
    prefix = f"item{item.pk}-carry-over"
    assert f'name="{prefix}-next_report_date"' in page(client, world.staff, received_case)
    assert client.post(url, {f"{prefix}-reason": "长期工作"}).status_code == 400
    response = client.post(url, {f"{prefix}-reason": "长期工作", f"{prefix}-next_report_date": "2026-12-31"},
                           follow=True)
    assert "Next report due:</strong> 2026-12-31" in response.content.decode()


def test_staff_register_a_meetings_members_and_attendance_and_its_page_warns_without_a_quorum(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("opinions:meeting_create"), {
        "kind": "sc_meeting", "term": "15", "session": "16", "start_date": "2026-06-25", "members": "48",
        "present": "24"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.members, meeting.present) == (48, 24)
    html = client.get(reverse("opinions:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Members (组成人员): 48 · Members present: 24" in html
    assert "Not more than half of all members present: no satisfaction vote can be taken at this meeting." in html


def test_more_present_than_members_is_refused_in_the_meeting_form(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("opinions:meeting_create"), {
        "kind": "sc_meeting", "term": "15", "session": "16", "start_date": "2026-06-25", "members": "45",
        "present": "46"})
    assert response.status_code == 400
    assert "More members present (46) than members (45)." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_without_attendance_says_a_vote_needs_it(client, world):
    meeting = meetings.meeting_create(actor=world.staff, kind="sc_meeting", term=15, session=16, start_date=today())
    client.force_login(world.liaison)
    html = client.get(reverse("opinions:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Members and attendance not recorded: a satisfaction vote at this meeting needs them." in html


def test_an_administrator_chooses_the_vote_base_in_the_admin(admin_client, admin_user):
    from opinions.models import RuleSet
    from tests.opinions.test_admin import rule_set_form, url

    rule_set = RuleSet.objects.get(case_kind="plan_execution")
    page = admin_client.get(url("opinions_ruleset_change", rule_set.pk)).content.decode()
    assert 'name="vote_base"' in page
    response = admin_client.post(url("opinions_ruleset_change", rule_set.pk),
                                 rule_set_form(rule_set, vote_base="members_present", reason="依本地测评办法"))
    assert response.status_code == 302
    rule_set.refresh_from_db()
    assert rule_set.vote_base == "members_present"
    assert rule_set.history.first().history_user == admin_user
