"""The API contract an outside system relies on (issue 13): bodies are JSON (multipart only where files travel),
nothing sent is silently dropped, every refusal has one documented shape."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from opinions import services
from opinions.models import Case
from opinions.selectors import today
from tests.files import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def next_year_calendar(db):
    services.calendar_enter_year(year=today().year + 1, actor=None, rest_days={}, make_up_workdays={})


def client_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def case_url(case, action=""):
    return f"/api/v1/cases/{case.pk}/" + (f"{action}/" if action else "")


def test_an_explicit_issue_date_in_json_is_recorded(world, make_case):
    draft = make_case()
    response = client_for(world.staff).post(case_url(draft, "issue"), {"issued_date": "2026-06-01"}, format="json")
    assert response.status_code == 200, response.json()
    assert Case.objects.get(pk=draft.pk).issued_date == date(2026, 6, 1)


@pytest.mark.parametrize("fmt", ["multipart", None])  # None: the test client's default, urlencoded-like form data
def test_a_body_that_is_not_json_is_refused_not_read_as_empty(world, make_case, fmt):
    draft = make_case()
    api = client_for(world.staff)
    response = api.post(case_url(draft, "issue"), {"issued_date": "2026-06-01"}, format=fmt)
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert Case.objects.get(pk=draft.pk).status == "draft"
    response = api.patch(case_url(draft), {"title": "新标题"}, format=fmt)
    assert response.status_code == 415
    assert Case.objects.get(pk=draft.pk).title == draft.title


@pytest.mark.parametrize(("url", "payload", "field"), [
    ("", {"titel": "拼错了"}, "titel"),
    ("", {"title": "新标题", "status": "closed"}, "status"),
    ("", {"items": [{"heading": "一、", "colour": "red"}]}, "items.0.colour"),
    ("issue", {"issue_date": "2026-06-01"}, "issue_date"),
])
def test_a_field_the_server_does_not_read_is_a_400_naming_it_and_nothing_changes(world, make_case, url, payload,
                                                                                    field):
    draft = make_case()
    api = client_for(world.staff)
    response = (api.patch(case_url(draft), payload, format="json") if not url
                else api.post(case_url(draft, url), payload, format="json"))
    assert response.status_code == 400, response.json()
    body = response.json()
    assert field in body["fields"]
    assert body["code"] in {"unknown_field", "invalid"}
    case = Case.objects.get(pk=draft.pk)
    assert (case.title, case.status) == (draft.title, "draft")


def test_files_travel_as_multipart_and_a_json_body_cannot_name_them(world, received_case):
    api = client_for(world.liaison)
    response = api.post(case_url(received_case, "submit-report"),
                        {"title": "整改报告", "text": "已整改。", "files": ["a.pdf"]}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["files"][0]
    response = api.post(case_url(received_case, "submit-report"),
                        {"title": "整改报告", "text": "已整改。",
                         "files": [SimpleUploadedFile("报告.pdf", PDF, content_type="application/pdf")]},
                        format="multipart")
    assert response.status_code == 200, response.json()
    assert [a["original_name"] for a in response.json()["attachments"]] == ["报告.pdf"]


def test_the_schema_offers_json_everywhere_and_multipart_only_where_files_travel(client, world):
    client.force_login(world.staff)
    schema = client.get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if not content:
                continue
            assert "application/x-www-form-urlencoded" not in content, (method, path)
            if path.endswith(("/attachments/", "/audit-problems/import/")):
                assert set(content) == {"multipart/form-data"}, (method, path)
                continue
            assert "application/json" in content, (method, path)
            json_schema = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
            assert not takes_a_file(schema["components"]["schemas"][json_schema]), path
            if "multipart/form-data" in content:
                upload = content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
                assert takes_a_file(schema["components"]["schemas"][upload]), path


def takes_a_file(component: dict) -> bool:
    """A property that is a file, or a list of files."""
    return any("binary" in (field.get("format"), field.get("items", {}).get("format"))
               for field in component.get("properties", {}).values())


def test_a_file_the_cases_state_refuses_is_409_and_one_the_role_refuses_is_403(world, received_case):
    upload = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    response = client_for(world.fgw_liaison).post(case_url(received_case, "attachments"), {"file": upload},
                                                  format="multipart")
    assert (response.status_code, response.json()["code"]) == (403, "not_allowed")
    services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告", text="正文")
    services.report_accept(case=received_case, actor=world.staff, carry_over_reason="持续整改",
                           next_report_date=date(2099, 6, 30))
    upload.seek(0)
    response = client_for(world.liaison).post(case_url(received_case, "attachments"), {"file": upload},
                                              format="multipart")
    assert (response.status_code, response.json()["code"]) == (409, "wrong_status")


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_path_without_its_trailing_slash_is_a_json_404_naming_the_right_one(world, received_case, method):
    response = getattr(client_for(world.staff), method)(f"/api/v1/cases/{received_case.pk}/close", format="json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"
    assert f"/api/v1/cases/{received_case.pk}/close/" in response.json()["detail"]


def test_an_unknown_api_route_and_a_bad_host_answer_json(world, settings):
    response = client_for(world.staff).get("/api/v1/nothing-here/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    response = client_for(world.staff).get("/api/v1/cases/", HTTP_HOST="evil.example")
    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert response.json()["code"] == "bad_request"


def test_pages_still_get_their_slash(client, world):
    client.force_login(world.staff)
    response = client.get("/cases")
    assert (response.status_code, response.url) == (301, "/cases/")


def test_two_people_editing_one_draft_the_second_gets_412_and_overwrites_nothing(world, make_case):
    draft = make_case()
    first, second = client_for(world.staff), client_for(world.staff)  # two sessions of the same office
    etag = first.get(case_url(draft))["ETag"]
    assert etag == second.get(case_url(draft))["ETag"]
    saved = first.patch(case_url(draft), {"title": "第一个人的标题"}, format="json", HTTP_IF_MATCH=etag)
    assert saved.status_code == 200
    assert saved["ETag"] != etag
    stale = second.patch(case_url(draft), {"title": "第二个人的标题"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert Case.objects.get(pk=draft.pk).title == "第一个人的标题"
    again = second.patch(case_url(draft), {"title": "第二个人的标题"}, format="json", HTTP_IF_MATCH=saved["ETag"])
    assert again.status_code == 200


def test_a_workflow_step_honours_if_match_and_a_write_without_it_goes_through(world, make_case):
    draft = make_case()
    api = client_for(world.staff)
    etag = api.get(case_url(draft))["ETag"]
    api.patch(case_url(draft), {"title": "改过了"}, format="json")  # no If-Match: written as before
    refused = api.post(case_url(draft, "issue"), {}, format="json", HTTP_IF_MATCH=etag)
    assert refused.status_code == 412
    assert Case.objects.get(pk=draft.pk).status == "draft"
    current = api.get(case_url(draft))["ETag"]
    issued = api.post(case_url(draft, "issue"), {}, format="json", HTTP_IF_MATCH=f'"stale", {current}')
    assert issued.status_code == 200
    assert api.post(case_url(draft, "withdraw"), {"reason": "x"}, format="json", HTTP_IF_MATCH="*").status_code != 412


def test_an_item_step_changes_the_cases_etag(world, received_case):
    api = client_for(world.liaison)
    etag = api.get(case_url(received_case))["ETag"]
    item = received_case.items.first()
    response = api.post(f"{case_url(received_case)}items/{item.pk}/report-progress/", {"progress_note": "推进中"},
                        format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert api.get(case_url(received_case))["ETag"] != etag
    stale = api.post(f"{case_url(received_case)}items/{item.pk}/report-progress/", {"progress_note": "又推进"},
                     format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412


def test_every_answer_says_how_many_calls_are_left_and_a_429_when_to_come_back(world, settings, monkeypatch):
    from npc_tracker import throttling

    monkeypatch.setattr(throttling.UserRateThrottle, "THROTTLE_RATES", {"user": "3/hour", "anon": "2/min"})
    api = client_for(world.staff)
    answers = [api.get("/api/v1/bodies/") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert {a["RateLimit-Limit"] for a in answers} == {"3"}
    assert 0 < int(answers[0]["RateLimit-Reset"]) <= 3600
    assert answers[3].json()["code"] == "throttled"
    assert int(answers[3]["Retry-After"]) > 0


def test_calls_that_fail_to_authenticate_are_throttled_like_anonymous_ones(world, monkeypatch):
    from npc_tracker import throttling

    monkeypatch.setattr(throttling.AnonRateThrottle, "THROTTLE_RATES", {"user": "100/hour", "anon": "2/min"})
    guesser = APIClient()
    guesser.credentials(HTTP_AUTHORIZATION="Token npc_guessed0000000000000000")
    statuses = [guesser.get("/api/v1/cases/").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    assert APIClient().get("/api/v1/cases/").status_code == 429  # the same address, without a token


def test_an_unreadable_body_is_a_400_with_the_documented_shape(world, make_case):
    response = client_for(world.staff).generic("PATCH", case_url(make_case()), b"\xbb{", "application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "parse_error", "detail": response.json()["detail"], "fields": {}}
