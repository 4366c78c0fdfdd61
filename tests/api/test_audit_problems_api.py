"""/api/v1/audit-problems/ (issue 15): the ledger's rows as each user may see them, its filters, the units' reports,
屡审屡犯, and the import with its template."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook
from rest_framework.test import APIClient

from opinions import audit_import
from opinions.models import AuditArea, AuditImport, AuditProblem
from tests.audit_lists import row, xlsx
from tests.files import PDF

pytestmark = pytest.mark.django_db
URL = "/api/v1/audit-problems/"


def client_for(user) -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    api.force_authenticate(user)
    return api


@pytest.fixture
def ledger(audit_case, world):
    case = audit_case
    result = audit_import.import_problems(case=case, actor=world.staff, file=xlsx([
        row("SJ2023-01-001", amount=100), row("SJ2023-01-002", unit="市发改委", area="专项资金", amount=50),
        row("SJ2023-01-003", how="持续整改", amount=None)]))
    assert result.errors == []
    return case


def references(response):
    assert response.status_code == 200, response.json()
    return [r["reference"] for r in response.json()["results"]]


def test_the_staff_see_every_row_with_its_money_in_wan_yuan(ledger, world, finance):
    response = client_for(world.staff).get(URL)
    assert references(response) == ["SJ2023-01-001", "SJ2023-01-002", "SJ2023-01-003"]
    first = response.json()["results"][0]
    assert {key: first[key] for key in ("case", "number", "audit_year", "area_name", "unit", "unit_name",
                                        "amount_involved", "amount_rectified", "rectification_type", "status",
                                        "repeat_of")} == {
        "case": ledger.pk, "number": 1, "audit_year": 2023, "area_name": "预算执行", "unit": finance.pk,
        "unit_name": "安阳市财政局", "amount_involved": "100.00", "amount_rectified": None,
        "rectification_type": "immediate", "status": "not_started", "repeat_of": None}
    assert first["url"] == f"http://testserver{URL}{first['id']}/"


def test_a_unit_sees_its_own_problems_and_the_government_all_of_its_case(ledger, world, finance):
    assert references(client_for(finance.liaison).get(URL)) == ["SJ2023-01-001", "SJ2023-01-003"]
    assert references(client_for(world.fgw_liaison).get(URL)) == ["SJ2023-01-002"]
    assert references(client_for(world.liaison).get(URL)) == ["SJ2023-01-001", "SJ2023-01-002", "SJ2023-01-003"]
    assert references(client_for(world.court_liaison).get(URL)) == []
    other = AuditProblem.objects.get(reference="SJ2023-01-002")
    assert client_for(finance.liaison).get(f"{URL}{other.pk}/").status_code == 404


@pytest.mark.parametrize(("query", "expected"), [
    ({"audit_year": 2023}, ["SJ2023-01-001", "SJ2023-01-002", "SJ2023-01-003"]),
    ({"audit_year": 2022}, []),
    ({"rectification_type": "continuing"}, ["SJ2023-01-003"]),
    ({"status": "not_started"}, ["SJ2023-01-001", "SJ2023-01-002", "SJ2023-01-003"]),
    ({"repeat": "true"}, []),
    ({"repeat": "false"}, ["SJ2023-01-001", "SJ2023-01-002", "SJ2023-01-003"]),
    ({"search": "SJ2023-01-002"}, ["SJ2023-01-002"]),
    ({"ordering": "-reference"}, ["SJ2023-01-003", "SJ2023-01-002", "SJ2023-01-001"]),
])
def test_the_filters(ledger, world, query, expected):
    assert references(client_for(world.staff).get(URL, query)) == expected


def test_the_unit_and_area_filters(ledger, world, finance):
    api = client_for(world.staff)
    assert references(api.get(URL, {"unit": finance.pk})) == ["SJ2023-01-001", "SJ2023-01-003"]
    area = AuditArea.objects.get(name="专项资金")
    assert references(api.get(URL, {"area": area.pk})) == ["SJ2023-01-002"]


@pytest.mark.parametrize("query", [{"audit_year": "2023.5"}, {"repeat": "maybe"}, {"status": "lost"},
                                   {"unit": "abc"}, {"auditt_year": 2023}, {"ordering": "text"}])
def test_a_bad_parameter_is_a_400(ledger, world, query):
    assert client_for(world.staff).get(URL, query).status_code == 400


def test_a_unit_reports_by_way_through_the_api(ledger, finance):
    problem = AuditProblem.objects.get(reference="SJ2023-01-001")
    api = client_for(finance.liaison)
    response = api.post(f"{URL}{problem.pk}/report/", {
        "progress_note": "已上缴 60 万元", "rectified_by_way": {"paid_to_treasury": "60", "accounts_adjusted": "10"},
        "rules_made": 1}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["amount_rectified"], body["rectified_by_way"]["paid_to_treasury"], body["rules_made"],
            body["status"]) == ("70.00", "60.00", 1, "in_progress")
    too_much = api.post(f"{URL}{problem.pk}/report/", {"progress_note": "多报",
                                                       "rectified_by_way": {"disbursed": "50"}}, format="json")
    assert too_much.status_code == 400
    assert list(too_much.json()["fields"]) == ["rectified_amount"]
    assert api.post(f"{URL}{problem.pk}/report/", {"progress_note": "x", "rectified_by": {}},
                    format="json").status_code == 400


def start_import(api, case, file, capture):
    with capture(execute=True):
        response = api.post(f"{URL}import/", {"case": case.pk, "file": file}, format="multipart")
    assert response.status_code == 202, response.json()
    assert response["Location"] == response.json()["url"]
    # In-process tasks ran it already; with a broker, do the worker's part here (tests/integration has the worker).
    audit_import.run(response.json()["id"])
    return api.get(response["Location"]).json()


def test_the_import_through_the_api_refuses_bad_rows_by_row_and_column(ledger, world,
                                                                        django_capture_on_commit_callbacks):
    api = client_for(world.staff)
    refused = start_import(api, ledger, xlsx([row("SJ2023-02-001", unit="不存在的单位")]),
                           django_capture_on_commit_callbacks)
    assert (refused["state"], refused["rows"], refused["created"]) == ("refused", 0, 0)
    assert refused["errors"] == [{"row": 2, "column": "责任单位", "message": "没有名为“不存在的单位”的单位。"}]
    assert not AuditProblem.objects.filter(reference="SJ2023-02-001").exists()
    done = start_import(api, ledger, xlsx([row("SJ2023-01-001", amount=120), row("SJ2023-02-001")]),
                        django_capture_on_commit_callbacks)
    assert {key: done[key] for key in ("state", "rows", "created", "updated", "unchanged", "errors")} == {
        "state": "done", "rows": 2, "created": 1, "updated": 1, "unchanged": 0, "errors": []}
    assert [job["state"] for job in api.get("/api/v1/audit-imports/").json()["results"]] == ["done", "refused"]
    assert client_for(world.other_staff).get(done["url"]).status_code == 404  # another's import


def test_an_import_is_refused_before_it_is_queued(ledger, world, make_case):
    api = client_for(world.staff)
    liaison = client_for(world.liaison).post(f"{URL}import/", {"case": ledger.pk, "file": xlsx([])},
                                             format="multipart")
    assert liaison.status_code == 403
    pdf = api.post(f"{URL}import/", {"case": ledger.pk, "file": SimpleUploadedFile("a.pdf", PDF)},
                   format="multipart")
    assert (pdf.status_code, list(pdf.json()["fields"])) == (400, ["file"])
    other = api.post(f"{URL}import/", {"case": make_case().pk, "file": xlsx([])}, format="multipart")
    assert (other.status_code, other.json()["code"]) == (409, "wrong_kind")
    assert not AuditImport.objects.exists()


def test_the_template_downloads_as_a_workbook(world):
    response = client_for(world.liaison).get(f"{URL}template/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A1"].value == "问题编号"


def test_repeats_are_suggested_and_confirmed_by_the_staff(ledger, world, make_case, finance):
    earlier_case = make_case(kind="audit_rectification", title="2022 年度审计整改", items=[], co_bodies=[])
    audit_import.import_problems(case=earlier_case, actor=world.staff, file=xlsx([row("SJ2022-01-001", year=2022)]))
    earlier = AuditProblem.objects.get(reference="SJ2022-01-001")
    problem = AuditProblem.objects.get(reference="SJ2023-01-001")
    api = client_for(world.staff)
    suggested = api.get(f"{URL}{problem.pk}/suggested-repeats/")
    assert [r["reference"] for r in suggested.json()] == ["SJ2022-01-001"]
    refused = client_for(finance.liaison).post(f"{URL}{problem.pk}/confirm-repeat/", {"repeat_of": earlier.pk},
                                               format="json")
    assert refused.status_code == 403
    confirmed = api.post(f"{URL}{problem.pk}/confirm-repeat/", {"repeat_of": earlier.pk}, format="json")
    assert confirmed.json()["repeat_of"] == earlier.pk
    assert references(api.get(URL, {"repeat": "true"})) == ["SJ2023-01-001"]
    missing = api.post(f"{URL}{problem.pk}/confirm-repeat/", {"repeat_of": 2**31 - 1}, format="json")
    assert (missing.status_code, list(missing.json()["fields"])) == (400, ["repeat_of"])


REPORTS = "/api/v1/audit-reports/"


def test_the_december_report_words_download_and_issue(ledger, world, finance):
    staff = client_for(world.staff)
    listed = staff.get(REPORTS).json()["results"]
    assert [(r["case"], r["title"]) for r in listed] == [
        (ledger.pk, "关于 2023 年度市本级预算执行和其他财政收支审计查出问题整改情况的报告")]
    words = {"introduction": "市政府高度重视。", "measures": "压实责任。", "next_steps": "持续督促。"}
    saved = staff.put(f"{REPORTS}{ledger.pk}/", words, format="json")
    assert saved.status_code == 200
    assert {key: saved.json()[key] for key in words} == words
    assert client_for(finance.liaison).put(f"{REPORTS}{ledger.pk}/", words, format="json").status_code == 403
    assert staff.put(f"{REPORTS}{ledger.pk}/", {**words, "intro": "x"}, format="json").status_code == 400
    download = client_for(finance.liaison).get(f"{REPORTS}{ledger.pk}/download/")
    assert download.status_code == 200
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert "市政府高度重视。" in [p.text for p in document.paragraphs]
    assert client_for(finance.liaison).post(f"{REPORTS}{ledger.pk}/issue/").status_code == 403
    issued = staff.post(f"{REPORTS}{ledger.pk}/issue/")
    assert issued.status_code == 201
    assert issued.json()["name"].endswith("整改情况的报告.docx")
    assert staff.get(issued.json()["download"]).status_code == 200


def test_a_report_without_problems_is_a_409_and_another_kind_is_not_a_report(audit_case, world, received_case):
    staff = client_for(world.staff)
    response = staff.get(f"{REPORTS}{audit_case.pk}/download/")
    assert (response.status_code, response.json()["code"]) == (409, "no_problems")
    assert staff.get(f"{REPORTS}{received_case.pk}/").status_code == 404
    assert client_for(world.court_liaison).get(f"{REPORTS}{audit_case.pk}/").status_code == 404
