"""Satisfaction votes through the API (issue 14 §4): the refusals' codes and fields, the follow-up as items, the
carry-over's next report date, and the numbers the meetings and rule sets show."""


import pytest
from rest_framework.test import APIClient

from agencies.models import Membership, MembershipRole
from opinions.models import Evaluation, RuleSet
from opinions.selectors import today
from opinions.services import meetings
from tests.cases import accepted

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    return api


def case_url(case, action=""):
    return f"/api/v1/cases/{case.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def accepted_case(issued_case, world):
    return accepted(issued_case, world)


def meeting(world, **numbers):
    return meetings.meeting_create(actor=world.staff, kind="sc_meeting", term=15, session=16, start_date=today(),
                                   **numbers)


def test_a_vote_at_a_meeting_without_a_quorum_is_a_400_naming_the_meeting(accepted_case, world):
    response = client_for(world.staff).post(case_url(accepted_case, "evaluate"), {
        "meeting": meeting(world, members=48, present=24).pk, "satisfied": 20, "basically_satisfied": 3,
        "dissatisfied": 1}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "no_quorum"
    assert body["fields"] == {"meeting": ["No quorum: 24 of the 48 members were present, not more than half, so the "
                                          "meeting cannot take a satisfaction vote."]}
    assert not Evaluation.objects.exists()


def test_a_meeting_without_its_attendance_is_refused_with_its_own_code(accepted_case, world):
    response = client_for(world.staff).post(case_url(accepted_case, "evaluate"), {
        "meeting": meeting(world).pk, "entitled_to_vote": 40, "satisfied": 20, "basically_satisfied": 3,
        "dissatisfied": 1}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "attendance_missing")


def test_more_votes_than_entitled_is_refused_in_the_requests_language(accepted_case, world):
    response = client_for(world.staff).post(case_url(accepted_case, "evaluate"), {
        "entitled_to_vote": 10, "satisfied": 9, "basically_satisfied": 5, "dissatisfied": 0}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_votes"
    assert response.json()["fields"]["satisfied"] == [
        "The vote counts are not valid: 14 votes cast, more than the 10 entitled to vote."]


def test_entitled_to_vote_may_be_left_to_the_meetings_attendance(accepted_case, world):
    response = client_for(world.staff).post(case_url(accepted_case, "evaluate"), {
        "meeting": meeting(world, members=48, present=46).pk, "satisfied": 30, "basically_satisfied": 10,
        "dissatisfied": 2}, format="json")
    assert response.status_code == 200, response.json()
    evaluation = response.json()["evaluations"][0]
    assert {k: evaluation[k] for k in ("entitled_to_vote", "members", "present", "vote_base", "result")} == {
        "entitled_to_vote": 46, "members": 48, "present": 46, "vote_base": "votes_cast", "result": "satisfied"}


def test_a_basically_satisfied_vote_returns_its_follow_up_as_items_carried_over(accepted_case, world):
    response = client_for(world.staff).post(case_url(accepted_case, "evaluate"), {
        "entitled_to_vote": 46, "satisfied": 15, "basically_satisfied": 20, "dissatisfied": 5,
        "follow_up": "建立长效管护机制\n补齐污水治理短板", "next_report_date": "2026-12-31"}, format="json")
    assert response.status_code == 200, response.json()
    detail = response.json()
    assert detail["status"] == "closed"
    evaluation = detail["evaluations"][0]
    follow_ups = [item for item in detail["items"] if item["kind"] == "follow_up"]
    assert [(i["number"], i["heading"], i["status"], i["next_report_date"], i["evaluation"]) for i in follow_ups] == [
        (3, "建立长效管护机制", "carried_over", "2026-12-31", evaluation["id"]),
        (4, "补齐污水治理短板", "carried_over", "2026-12-31", evaluation["id"])]
    timeline = client_for(world.staff).get(case_url(accepted_case, "timeline")).json()["results"]
    assert any("The case is closed (办结)." in entry["reason"] and "No. 3 “建立长效管护机制”" in entry["reason"]
               for entry in timeline)


def test_follow_up_without_its_next_report_date_is_a_400_on_that_field(accepted_case, world):
    response = client_for(world.staff).post(case_url(accepted_case, "evaluate"), {
        "entitled_to_vote": 46, "satisfied": 15, "basically_satisfied": 20, "dissatisfied": 5,
        "follow_up": "建立长效管护机制"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["next_report_date"]


def test_carrying_an_item_over_needs_and_returns_the_next_report_date(received_case, world):
    item = received_case.items.first()
    url = case_url(received_case, f"items/{item.pk}/carry-over")
    missing = client_for(world.staff).post(url, {"reason": "长期工作"}, format="json")
    assert missing.status_code == 400
    assert "next_report_date" in missing.json()["fields"]
    past = client_for(world.staff).post(url, {"reason": "长期工作", "next_report_date": "2026-06-10"}, format="json")
    assert past.json()["fields"] == {"next_report_date": ["The next report date must be after today."]}
    done = client_for(world.staff).post(url, {"reason": "长期工作", "next_report_date": "2026-12-31"}, format="json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["next_report_date"]) == ("carried_over", "2026-12-31")


def test_meetings_show_members_attendance_and_quorum(world):
    meeting(world, members=48, present=24)
    row = client_for(world.liaison).get("/api/v1/meetings/").json()["results"][0]
    assert (row["members"], row["present"], row["has_quorum"]) == (48, 24, False)


def test_an_administrator_sets_the_vote_base_of_a_rule_set(world):
    Membership.objects.create(user=world.nobody, role=MembershipRole.ADMIN)
    rule_set = RuleSet.objects.get(case_kind="plan_execution")
    url = f"/api/v1/rule-sets/{rule_set.pk}/"
    assert client_for(world.nobody).get(url).json()["vote_base"] == "votes_cast"
    response = client_for(world.nobody).patch(url, {"vote_base": "all_members"}, format="json")
    assert (response.status_code, response.json()["vote_base"]) == (200, "all_members")
    refused = client_for(world.nobody).patch(url, {"vote_base": "two_thirds"}, format="json")
    assert refused.status_code == 400


def test_the_body_reports_on_a_carried_over_item_of_a_closed_case_and_nobody_else_does(received_case, world):
    from opinions import services

    services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告", text="正文")
    services.report_accept(case=received_case, actor=world.staff, carry_over_reason="长期工作",
                           next_report_date=today().replace(year=today().year + 1))
    services.case_close(case=received_case, actor=world.staff)
    item = received_case.items.first()
    url = case_url(received_case, f"items/{item.pk}/report-follow-up")
    body = {"progress_note": "长效机制已建立"}
    assert client_for(world.court_liaison).post(url, body, format="json").status_code == 404
    staff = client_for(world.staff).post(url, body, format="json")
    assert (staff.status_code, staff.json()["code"]) == (403, "not_allowed")
    done = client_for(world.liaison).post(url, body, format="json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["next_report_date"], done.json()["progress_note"]) == (
        "carried_over", None, "长效机制已建立")
    verified = client_for(world.staff).post(case_url(received_case, f"items/{item.pk}/verify"), {}, format="json")
    assert (verified.status_code, verified.json()["status"]) == (200, "closed")
    again = client_for(world.liaison).post(url, body, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "wrong_status")
