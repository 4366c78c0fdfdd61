"""One check that an item, a report or a file belongs to the case (selectors.belonging_to); each caller refuses
another case's row in its own way: the services with InvalidInput, the pages and the API with a 404 or a 400."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from npc_tracker.errors import InvalidInput
from opinions import selectors, services
from opinions.models import Attachment, CaseItem, Report
from opinions.services.attachments import attachment_add
from tests.files import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


@pytest.fixture
def other_case(make_case, world):
    return make_case(title="另一件")


def report_of(case, world):
    return services.report_submit(case=case, actor=world.liaison, kind="interim", title="阶段报告", text="进展")


def test_another_cases_rows_are_not_the_cases_own_and_its_own_rows_carry_it(received_case, other_case, world):
    assert set(selectors.belonging_to(received_case, CaseItem)) == set(received_case.items.all())
    assert not selectors.belonging_to(received_case, CaseItem).filter(pk=other_case.items.first().pk).exists()
    report_of(received_case, world)
    assert list(selectors.belonging_to(other_case, Report)) == []
    item = selectors.belonging_to(received_case, CaseItem).first()
    with CaptureQueriesContext(connection) as queries:
        assert item.case is received_case
    assert not queries.captured_queries


def test_a_file_for_another_cases_item_or_report_is_refused_by_the_service(received_case, make_case, world):
    other = services.case_acknowledge(case=services.case_issue(case=make_case(title="另一件"), actor=world.staff),
                                      actor=world.liaison)
    with pytest.raises(InvalidInput) as refused:
        attachment_add(case=received_case, actor=world.liaison, file=SimpleUploadedFile("a.pdf", PDF),
                       item=other.items.first())
    assert (refused.value.message, refused.value.field) == ("That item is not part of this case.", "item")
    with pytest.raises(InvalidInput) as refused:
        attachment_add(case=received_case, actor=world.liaison, file=SimpleUploadedFile("a.pdf", PDF),
                       report=report_of(other, world))
    assert (refused.value.message, refused.value.field) == ("That report is not part of this case.", "report")
    assert not Attachment.objects.exists()


def test_a_draft_refuses_to_take_another_cases_item(make_case, other_case, world):
    case = make_case()
    with pytest.raises(InvalidInput) as refused:
        services.draft_items_set(case=case, actor=world.staff,
                                 items=[{"pk": other_case.items.first().pk, "heading": "一、别人的"}])
    assert (refused.value.message, refused.value.field) == ("An item does not belong to this case.", "items")
    assert other_case.items.first().case_id == other_case.pk


def test_the_api_does_not_find_another_cases_item_or_file(received_case, make_case, world):
    other = services.case_acknowledge(case=services.case_issue(case=make_case(title="另一件"), actor=world.staff),
                                      actor=world.liaison)
    attachment = attachment_add(case=other, actor=world.liaison, file=SimpleUploadedFile("a.pdf", PDF))
    api = APIClient()
    api.force_authenticate(world.liaison)
    base = f"/api/v1/cases/{received_case.pk}"
    progress = api.post(f"{base}/items/{other.items.first().pk}/report-progress/", {"progress_note": "推进中"},
                        format="json")
    assert progress.status_code == 404
    assert api.get(f"{base}/attachments/{attachment.pk}/download/").status_code == 404
    upload = api.post(f"{base}/attachments/", {"file": SimpleUploadedFile("b.pdf", PDF),
                                               "item": other.items.first().pk}, format="multipart")
    assert upload.status_code == 400
    assert "item" in upload.json()["fields"]
