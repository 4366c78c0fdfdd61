"""POST /api/v1/cases/{id}/attachments/: the file goes to the case, or to one of its own items or reports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from opinions import services
from tests.files import DOC, PDF


@pytest.fixture
def api(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = APIClient()
    client.force_authenticate(world.liaison)
    return client


def upload(api, case, file=None, **fields):
    return api.post(f"/api/v1/cases/{case.pk}/attachments/",
                    {"file": file or SimpleUploadedFile("整改方案.pdf", PDF), **fields}, format="multipart")


def test_a_file_is_attached_to_the_item_it_names(api, received_case):
    item = received_case.items.first()
    response = upload(api, received_case, item=str(item.pk))
    assert response.status_code == 201
    assert response.json()["item"] == item.pk
    assert item.attachments.count() == 1


def test_a_wps_file_is_kept_as_word_and_downloaded_under_its_own_name(api, received_case):
    # WPS Writer's .wps is Word's binary format; the browser's type says nothing, as from most office PCs.
    wps = SimpleUploadedFile("整改方案.wps", DOC, content_type="application/octet-stream")
    response = upload(api, received_case, file=wps, item=str(received_case.items.first().pk))
    assert response.status_code == 201
    assert (response.json()["original_name"], response.json()["content_type"]) == ("整改方案.wps", "application/msword")
    download = api.get(response.json()["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/msword"
    assert "filename*=utf-8''%E6%95%B4%E6%94%B9%E6%96%B9%E6%A1%88.wps" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == DOC


def test_a_word_file_named_as_a_pdf_is_a_400_naming_the_file(api, received_case):
    response = upload(api, received_case, file=SimpleUploadedFile("整改方案.pdf", DOC))
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"file"}
    assert received_case.attachments.count() == 0


def test_an_empty_item_attaches_the_file_to_the_case_itself(api, received_case):
    response = upload(api, received_case, item="")
    assert response.status_code == 201
    assert response.json()["item"] is None


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "99999999999999999999"])
def test_a_malformed_or_unknown_item_is_a_400_naming_it_and_nothing_is_stored(api, received_case, value):
    response = upload(api, received_case, item=value)
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"item"}
    assert received_case.attachments.count() == 0


def test_another_cases_report_is_refused(api, world, received_case, make_case):
    other = services.case_acknowledge(case=services.case_issue(case=make_case(title="另一件"), actor=world.staff),
                                      actor=world.liaison)
    report = services.report_submit(case=other, actor=world.liaison, kind="interim", title="阶段报告", text="进展")
    response = upload(api, received_case, report=str(report.pk))
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"report"}
    assert received_case.attachments.count() == 0


def test_a_missing_file_is_a_400_naming_it(api, received_case):
    response = api.post(f"/api/v1/cases/{received_case.pk}/attachments/", {}, format="multipart")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"file"}
