"""Publishing through the API is the case's existing `publish` step, now choosing what goes out, and `unpublish`
beside it: the same services, the same refusals with their `code`, the schema saying what each field does."""

import pytest
from rest_framework.test import APIClient

from public.models import Part, Publication, PublishedFile

from .conftest import PUBLIC, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_publish_with_json_chooses_parts_files_and_redacted_text(story, world):
    url = f"/api/v1/cases/{story.case.pk}/publish/"
    response = api(world.staff).post(url, {"parts": ["items", "report"], "attachments": [story.public_file.pk],
                                           "redacted_text": PUBLIC["redacted"]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["is_public"] is True
    assert "unpublish" in response.json()["available_actions"]
    publication = Publication.objects.get()
    assert publication.parts == {Part.ITEMS, Part.REPORT}
    assert list(publication.files.values_list("attachment", flat=True)) == [story.public_file.pk]


def test_publish_with_nothing_chosen_puts_out_every_part_and_no_file(story, world):
    assert api(world.staff).post(f"/api/v1/cases/{story.case.pk}/publish/", {}, format="json").status_code == 200
    publication = Publication.objects.get()
    assert publication.parts == set(Part)
    assert not publication.files.exists()


def test_publish_with_multipart_takes_a_redacted_file(story, world):
    response = api(world.staff).post(f"/api/v1/cases/{story.case.pk}/publish/",
                                     {"parts": ["report"], "redacted_file": pdf("脱敏版.pdf")}, format="multipart")
    assert response.status_code == 200, response.content
    assert PublishedFile.objects.get().original_name == "脱敏版.pdf"


@pytest.mark.parametrize(("body", "field"), [({"parts": ["history"]}, "parts"),
                                             ({"attachments": [99999999]}, "attachments"),
                                             ({"unknown": 1}, "unknown")])
def test_bad_publish_input_is_a_400_naming_the_field(story, world, body, field):
    response = api(world.staff).post(f"/api/v1/cases/{story.case.pk}/publish/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not story.fresh().is_public


def test_another_cases_file_is_refused(story, world, received_case):
    from opinions import services

    foreign = services.attachment_add(case=received_case, actor=world.liaison, file=pdf("别的.pdf"))
    response = api(world.staff).post(f"/api/v1/cases/{story.case.pk}/publish/", {"attachments": [foreign.pk]},
                                     format="json")
    assert response.status_code == 400
    assert "attachments" in response.json()["fields"]


def test_a_liaison_may_not_publish_or_unpublish(story, world):
    refused = api(world.liaison).post(f"/api/v1/cases/{story.case.pk}/publish/", {}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "not_allowed")
    story.publish()
    refused = api(world.liaison).post(f"/api/v1/cases/{story.case.pk}/unpublish/", {"reason": "x"}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "not_allowed")


def test_unpublish_needs_a_reason_and_refuses_an_unpublished_case(story, world):
    url = f"/api/v1/cases/{story.case.pk}/unpublish/"
    refused = api(world.staff).post(url, {"reason": "撤下"}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "wrong_status")
    story.publish()
    assert api(world.staff).post(url, {}, format="json").status_code == 400
    again = api(world.staff).post(f"/api/v1/cases/{story.case.pk}/publish/", {}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "wrong_status")
    done = api(world.staff).post(url, {"reason": "撤下"}, format="json")
    assert done.status_code == 200
    assert done.json()["is_public"] is False
    assert "publish" in done.json()["available_actions"]


def test_the_schema_documents_the_publish_choices(client):
    schema = client.get("/api/schema/?format=json").json()
    publish = schema["paths"]["/api/v1/cases/{id}/publish/"]["post"]
    body = publish["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    fields = schema["components"]["schemas"]["PublishInputRequest"]["properties"]
    assert set(fields) == {"parts", "attachments", "redacted_text", "drop_redacted_file"}
    assert "PublicationPart" in schema["components"]["schemas"]
    assert "redacted_file" in schema["components"]["schemas"]["PublishUploadRequest"]["properties"]
    assert "/public/" in publish["description"]
    assert "/api/v1/cases/{id}/unpublish/" in schema["paths"]
