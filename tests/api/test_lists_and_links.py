"""Lists and links (issue 13 §6): every list paginated the same way, a detail bounded however big its case, links
absolute and proxy-aware, Location on 201, downloads typed, and the people named in records readable within the
caller's scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from opinions import services
from opinions.api.serializers import FIRST_ROWS
from tests.api.test_contract import case_url, client_for
from tests.files import PDF

pytestmark = pytest.mark.django_db


def many_items(n):
    return [{"heading": f"{k}、第{k}条意见。", "text": ""} for k in range(1, n + 1)]


SUB_LISTS = ["items", "reports", "attachments", "extensions", "evaluations", "documents", "timeline"]


def test_a_detail_keeps_the_first_rows_and_links_to_all_of_them(world, make_case):
    case = make_case(items=many_items(FIRST_ROWS + 5))
    api = client_for(world.staff)
    detail = api.get(case_url(case)).json()
    assert len(detail["items"]) == FIRST_ROWS
    assert detail["lists"]["items"]["count"] == FIRST_ROWS + 5
    assert detail["lists"]["reports"]["count"] == 0
    url = detail["lists"]["items"]["url"]
    assert url == f"http://testserver/api/v1/cases/{case.pk}/items/"
    first = api.get(url).json()
    assert first["count"] == FIRST_ROWS + 5
    assert [row["id"] for row in first["results"][:FIRST_ROWS]] == [row["id"] for row in detail["items"]]
    rest = api.get(url, {"page_size": 10, "page": 6}).json()
    assert [row["number"] for row in rest["results"]] == list(range(51, 56))
    assert set(detail["lists"]) == {"items", "reports", "attachments", "extensions", "evaluations", "documents"}


def test_the_detail_costs_the_same_queries_however_many_rows(world, make_case):
    small, big = make_case(items=many_items(2)), make_case(items=many_items(FIRST_ROWS * 3))
    api = client_for(world.staff)
    with CaptureQueriesContext(connection) as few:
        api.get(case_url(small))
    with CaptureQueriesContext(connection) as many:
        api.get(case_url(big))
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("name", SUB_LISTS)
def test_every_sub_list_is_paginated_and_strict(world, received_case, name):
    api = client_for(world.liaison)
    page = api.get(case_url(received_case, name), {"page_size": 1}).json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert len(page["results"]) <= 1
    refused = api.get(case_url(received_case, name), {"colour": "red"})
    assert refused.status_code == 400
    assert refused.json()["code"] == "unknown_field"
    assert list(refused.json()["fields"]) == ["colour"]


def test_the_timeline_pages_without_overlap(world, received_case):
    api = client_for(world.staff)
    everything = api.get(case_url(received_case, "timeline"), {"page_size": 200}).json()
    assert everything["count"] >= 3
    pages = [api.get(case_url(received_case, "timeline"), {"page_size": 1, "page": n}).json()["results"][0]
             for n in range(1, everything["count"] + 1)]
    assert pages == everything["results"]


@pytest.mark.parametrize("name", SUB_LISTS)
def test_a_liaison_cannot_list_another_bodys_case(world, received_case, name):
    response = client_for(world.court_liaison).get(case_url(received_case, name))
    assert response.status_code == 404


def _upload(api, case, **headers):
    return api.post(case_url(case, "attachments"), {"file": SimpleUploadedFile("整改.pdf", PDF)},
                    format="multipart", **headers)


def test_links_are_absolute_and_a_201_says_where_the_object_is(world, make_case, received_case):
    api = client_for(world.staff)
    created = api.post("/api/v1/cases/", {"kind": "plan_execution", "title": "新的审议意见", "lead_body": world.gov.pk,
                                          "supervising_committee": world.caijing.pk}, format="json")
    assert created.status_code == 201, created.json()
    assert created["Location"] == f"http://testserver/api/v1/cases/{created.json()['id']}/"
    assert api.get(created["Location"]).status_code == 200
    uploaded = _upload(client_for(world.liaison), received_case)
    assert uploaded.status_code == 201, uploaded.json()
    link = uploaded.json()["download_url"]
    assert link.startswith("http://testserver/api/v1/cases/")
    assert uploaded["Location"] == link
    assert api.get(case_url(received_case)).json()["attachments"][0]["download_url"] == link
    assert api.get(link).status_code == 200


def test_links_are_https_behind_a_tls_proxy_only_when_the_proxy_header_is_configured(world, received_case):
    api = client_for(world.staff)
    forwarded = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_HOST": "testserver"}  # a proxy sends Host, no port
    plain = api.get(case_url(received_case), **forwarded).json()["lists"]["items"]["url"]
    assert plain.startswith("http://testserver/")  # the header alone is not trusted
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        secure = api.get(case_url(received_case), **forwarded).json()
        assert secure["lists"]["items"]["url"].startswith("https://testserver/")
        services.case_create(actor=world.staff, kind="plan_execution", title="第二件", lead_body=world.gov,
                             supervising_committee=world.caijing, items=[], co_bodies=[])
        page = api.get("/api/v1/cases/", {"page_size": 1}, **forwarded).json()
        assert page["next"].startswith("https://testserver/api/v1/cases/")


@pytest.mark.parametrize("accept", ["application/pdf", "application/json", "*/*", "text/html"])
def test_a_download_answers_with_its_stored_type_whatever_accept_asks(world, received_case, accept):
    link = _upload(client_for(world.liaison), received_case).json()["download_url"]
    response = client_for(world.staff).get(link, HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_a_missing_download_is_a_json_404_whatever_accept_asks(world, received_case):
    response = client_for(world.staff).get(case_url(received_case, "attachments/999999/download"),
                                           HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_people_named_in_records_can_be_read_within_scope(world, received_case):
    report = services.report_submit(case=received_case, actor=world.liaison, kind="final", title="整改报告",
                                    text="已整改。")
    staff = client_for(world.staff)
    submitted_by = staff.get(case_url(received_case)).json()["reports"][0]["submitted_by"]
    assert submitted_by == world.liaison.pk == report.submitted_by_id
    person = staff.get(f"/api/v1/people/{submitted_by}/").json()
    assert person["name"] == "liaison"
    assert person["places"] == [{"role": "liaison", "committee": None, "body": world.gov.pk, "is_active": True}]
    assert {row["id"] for row in staff.get("/api/v1/people/", {"page_size": 200}).json()["results"]} >= {
        world.liaison.pk, world.court_liaison.pk, world.fgw_liaison.pk, world.staff.pk}


def test_a_liaison_never_sees_another_bodys_liaisons_even_on_a_co_handled_case(world, received_case):
    # 市发改委 co-handles received_case with 市人民政府: its liaison still sees only its own body's liaisons.
    api = client_for(world.fgw_liaison)
    seen = {row["id"] for row in api.get("/api/v1/people/", {"page_size": 200}).json()["results"]}
    assert world.fgw_liaison.pk in seen
    assert world.staff.pk in seen  # the Standing Committee's side names itself in every case
    assert world.leader.pk in seen
    assert not seen & {world.liaison.pk, world.court_liaison.pk}
    assert api.get(f"/api/v1/people/{world.liaison.pk}/").status_code == 404
    assert client_for(world.nobody).get("/api/v1/people/").json()["count"] == 0
