"""POST /api/v1/cases/{id}/attachments/: the file goes to the case, or to one of its own items or reports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from opinions import services
from tests.files import PDF


@pytest.fixture
def api(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = APIClient()
    client.force_authenticate(world.liaison)
    return client


def upload(api, case, **fields):
    return api.post(f"/api/v1/cases/{case.pk}/attachments/",
                    {"file": SimpleUploadedFile("整改方案.pdf", PDF), **fields}, format="multipart")


def test_a_file_is_attached_to_the_item_it_names(api, received_case):
    item = received_case.items.first()
    response = upload(api, received_case, item=str(item.pk))
    assert response.status_code == 201
    assert response.json()["item"] == item.pk
    assert item.attachments.count() == 1


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
