"""The API's behaviour beyond the matrix: what a list holds, draft writes, codes and messages of refusals."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from opinions import services
from opinions.models import Case
from opinions.selectors import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture(autouse=True)
def next_year_calendar(db):
    services.calendar_enter_year(year=today().year + 1, actor=None, rest_days={}, make_up_workdays={})


def as_user(api, user):
    api.force_authenticate(user)
    return api


def case_url(case, action=""):
    return f"/api/v1/cases/{case.pk}/" + (f"{action}/" if action else "")


def test_a_liaison_lists_only_their_bodys_cases(api, world, issued_case, make_case):
    court = services.case_issue(case=make_case(title="法院的", lead_body=world.court, co_bodies=[]),
                                actor=world.staff)
    ids = [row["id"] for row in as_user(api, world.liaison).get("/api/v1/cases/").json()["results"]]
    assert ids == [issued_case.pk]
    assert as_user(api, world.court_liaison).get(case_url(issued_case)).status_code == 404
    assert [row["id"] for row in api.get("/api/v1/cases/").json()["results"]] == [court.pk]


def test_the_list_uses_the_same_filters_as_the_page(api, world, issued_case, make_case):
    make_case(title="草稿")
    rows = as_user(api, world.staff).get("/api/v1/cases/", {"status": "draft"}).json()["results"]
    assert [row["title"] for row in rows] == ["草稿"]
    rows = api.get("/api/v1/cases/", {"overdue": "true"}).json()["results"]
    assert [row["id"] for row in rows] == [issued_case.pk]
    assert rows[0]["rag"] == "red"
    assert rows[0]["days_left"] < 0


def test_staff_create_a_draft_with_items_and_edit_it(api, world):
    as_user(api, world.staff)
    response = api.post("/api/v1/cases/", {
        "kind": "plan_execution", "title": "关于计划执行情况的审议意见", "lead_body": world.gov.pk,
        "co_bodies": [world.fgw.pk], "supervising_committee": world.caijing.pk,
        "items": [{"heading": "一、稳就业"}, {"heading": "二、扩投资", "responsible_body": world.fgw.pk}]},
        format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["deadline_rule"] == "months:3"
    assert [item["heading"] for item in body["items"]] == ["一、稳就业", "二、扩投资"]
    second = body["items"][1]
    response = api.patch(f"/api/v1/cases/{body['id']}/", {
        "title": "新标题", "items": [{"id": second["id"], "heading": "二、扩投资"}, {"heading": "三、促消费"}]},
        format="json")
    assert response.status_code == 200, response.json()
    assert [(i["number"], i["heading"]) for i in response.json()["items"]] == [(1, "二、扩投资"), (2, "三、促消费")]
    assert Case.objects.get(pk=body["id"]).title == "新标题"


@pytest.mark.parametrize(("payload", "field"), [
    ({"title": ""}, "title"),
    ({"title": "x", "kind": "nope"}, "kind"),
    ({"title": "x", "lead_body": 999999}, "lead_body"),
    ({"title": "x", "deadline_rule": "months:2"}, "deadline_rule_reason"),
    ({"title": "x", "items": [{"heading": ""}]}, "items.0.heading"),
    ({"title": 5, "lead_body": "gov"}, "lead_body"),
])
def test_bad_drafts_are_400_with_the_field_and_nothing_saved(api, world, payload, field):
    data = {"kind": "plan_execution", "lead_body": world.gov.pk, **payload}
    response = as_user(api, world.staff).post("/api/v1/cases/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Case.objects.exists()


def test_a_transition_out_of_order_is_409_with_the_workflow_code(api, world, received_case):
    response = as_user(api, world.liaison).post(case_url(received_case, "acknowledge"), {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "wrong_status"
    assert "签收" in response.json()["detail"]
    english = api.post(case_url(received_case, "acknowledge"), {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert "acknowledge" in english.json()["detail"]


def test_an_action_the_role_may_never_take_is_403(api, world, received_case):
    response = as_user(api, world.staff).post(case_url(received_case, "submit-report"),
                                              {"title": "报告", "text": "正文"}, format="json")
    assert response.status_code == 403
    assert Case.objects.get(pk=received_case.pk).status == "in_progress"


@pytest.mark.parametrize(("action", "payload", "field"), [
    ("submit-report", {"title": "报告"}, "text"),
    ("submit-report", {"title": ["a"], "text": "x"}, "title"),
    ("request-extension", {"requested_date": "2020-13-01", "reason": "x"}, "requested_date"),
    ("request-extension", {"reason": "x"}, "requested_date"),
])
def test_bad_input_for_an_action_is_400(api, world, received_case, action, payload, field):
    response = as_user(api, world.liaison).post(case_url(received_case, action), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_the_whole_loop_through_the_api(api, world, make_case):
    case = make_case()
    staff, liaison = APIClient(), APIClient()
    staff.force_authenticate(world.staff)
    liaison.force_authenticate(world.liaison)
    assert staff.post(case_url(case, "issue"), {}, format="json").json()["status"] == "issued"
    body = liaison.post(case_url(case, "acknowledge"), {"received_date": today().isoformat()}, format="json").json()
    assert body["status"] == "in_progress"
    assert "签收" in body["due_explanation"]
    for item in body["items"]:
        url = case_url(case, f"items/{item['id']}/report-progress")
        assert liaison.post(url, {"progress_note": "推进中"}, format="json").json()["status"] == "in_progress"
        url = case_url(case, f"items/{item['id']}/mark-done")
        assert liaison.post(url, {"measures": "已完成"}, format="json").json()["status"] == "done"
    due = Case.objects.get(pk=case.pk).due_date
    extension = liaison.post(case_url(case, "request-extension"),
                             {"requested_date": (due + timedelta(days=20)).isoformat(), "reason": "需协调"},
                             format="json")
    assert extension.status_code == 200
    leader = APIClient()
    leader.force_authenticate(world.leader)
    decided = leader.post(case_url(case, "decide-extension"), {"approve": "yes", "comment": "同意"}, format="json")
    assert decided.json()["due_date"] == (due + timedelta(days=20)).isoformat()
    assert liaison.post(case_url(case, "submit-report"), {"title": "报告", "text": "正文"},
                        format="json").json()["status"] == "submitted"
    for item in Case.objects.get(pk=case.pk).items.all():
        assert staff.post(case_url(case, f"items/{item.pk}/verify"), {}, format="json").status_code == 200
    assert staff.post(case_url(case, "accept-report"), {}, format="json").json()["status"] == "accepted"
    closed = staff.post(case_url(case, "evaluate"), {"entitled_to_vote": 30, "satisfied": 20,
                                                     "basically_satisfied": 5, "dissatisfied": 1}, format="json")
    assert closed.json()["status"] == "closed"
    assert closed.json()["evaluations"][0]["result"] == "satisfied"
    timeline = staff.get(case_url(case, "timeline"), {"page_size": 200}).json()["results"]
    assert any("签收" in entry["reason"] for entry in timeline)


def test_the_inbox_is_ones_own(api, world, issued_case):
    mine = as_user(api, world.liaison).get("/api/v1/inbox/").json()["results"]
    assert [row["event"] for row in mine] == ["case_issued"]
    assert api.get("/api/v1/inbox/unread-count/").json() == {"unread": 1}
    assert as_user(api, world.court_liaison).get(f"/api/v1/inbox/{mine[0]['id']}/").status_code == 404
    assert api.post("/api/v1/inbox/mark-read/", {"ids": [mine[0]["id"]]}, format="json").json() == {"marked": 0}
    as_user(api, world.liaison)
    assert api.post("/api/v1/inbox/mark-read/", {}, format="json").json() == {"marked": 1}
    assert api.post("/api/v1/inbox/mark-read/", {"ids": "all"}, format="json").status_code == 400


def test_anonymous_calls_are_401_and_a_token_works(world, issued_case):
    from knox.models import get_token_model

    anonymous = APIClient()
    response = anonymous.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    _token, key = get_token_model().objects.create(user=world.liaison, expiry=timedelta(days=1), name="测试")
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert [row["id"] for row in anonymous.get("/api/v1/cases/").json()["results"]] == [issued_case.pk]


def test_the_schema_and_the_docs_are_served_without_a_cdn(client, world):
    schema = client.get(reverse("api-schema"), {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/cases/{id}/acknowledge/" in paths
    client.force_login(world.staff)
    for name in ("api-docs", "api-redoc"):
        html = client.get(reverse(name)).content.decode()
        assert "cdn." not in html
        assert "/static/drf_spectacular_sidecar/" in html


@pytest.fixture
def admin_user(db):
    from django.contrib.auth import get_user_model

    from agencies.models import Membership, MembershipRole

    user = get_user_model().objects.create_user(username="sysadmin", password="x")
    Membership.objects.create(user=user, role=MembershipRole.ADMIN)
    return user


def test_an_administrator_changes_a_rule_set_and_open_cases_are_replanned(api, admin_user, world, received_case,
                                                                          django_capture_on_commit_callbacks):
    from opinions.models import RuleSet

    rule_set = RuleSet.objects.get(case_kind="plan_execution")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = as_user(api, admin_user).patch(f"/api/v1/rule-sets/{rule_set.pk}/",
                                                  {"reminder_days": [10, 3, 0], "send_window_start": "09:00"},
                                                  format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["send_window_start"] == "09:00"
    rule_set.refresh_from_db()
    assert rule_set.reminder_days == [10, 3, 0]
    assert rule_set.history.latest("history_id").history_user == admin_user
    assert len(callbacks) == 1  # the re-planning task, sent once the change commits


@pytest.mark.parametrize("payload", [{"send_window_start": "19:00", "send_window_end": "08:00"},
                                     {"reminder_days": "soon"}, {"deadline_rule": "months:x"}])
def test_a_bad_rule_set_change_is_400_and_nothing_changes(api, admin_user, payload):
    from opinions.models import RuleSet

    rule_set = RuleSet.objects.get(case_kind="plan_execution")
    before = rule_set.history.count()
    response = as_user(api, admin_user).patch(f"/api/v1/rule-sets/{rule_set.pk}/", payload, format="json")
    assert response.status_code == 400
    assert rule_set.history.count() == before


def test_an_administrator_corrects_a_calendar_day_and_others_cannot(api, admin_user, world):
    from opinions.models import CalendarDay

    day = CalendarDay.objects.get(date="2026-10-10")
    assert as_user(api, world.staff).patch(f"/api/v1/calendar/{day.pk}/", {"is_workday": False},
                                           format="json").status_code == 403
    response = as_user(api, admin_user).patch(f"/api/v1/calendar/{day.pk}/", {"is_workday": False, "note": "更正"},
                                              format="json")
    assert response.status_code == 200
    day.refresh_from_db()
    assert (day.is_workday, day.note, day.source) == (False, "更正", "admin")


def test_an_empty_deadline_rule_means_the_rule_sets_default_as_on_the_page(api, world):
    response = as_user(api, world.staff).post("/api/v1/cases/", {
        "kind": "budget_execution", "title": "预算审议意见", "lead_body": world.gov.pk, "deadline_rule": ""},
        format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["deadline_rule"] == "months:2"


def test_a_file_downloads_through_the_api_with_a_token_and_only_from_a_visible_case(api, world, received_case,
                                                                                     settings, tmp_path):
    from knox.models import get_token_model

    from opinions.services.attachments import attachment_add
    from tests.files import PDF

    settings.MEDIA_ROOT = tmp_path
    attachment = attachment_add(case=received_case, actor=world.liaison,
                                file=SimpleUploadedFile("整改方案.pdf", PDF))
    _token, key = get_token_model().objects.create(user=world.fgw_liaison, name="系统对接")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listed = api.get(case_url(received_case)).json()["attachments"][0]
    response = api.get(listed["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert api.get(case_url(received_case, f"attachments/{attachment.pk + 1000}/download")).status_code == 404
    as_user(api, world.court_liaison)  # another body's liaison: the case, and so its file, does not exist
    assert api.get(listed["download_url"]).status_code == 404
