"""The staff's publish and unpublish forms on the case page, without a browser: offered only to who may, showing
this case's files and the report's text to edit, and doing what was chosen."""

import lxml.html
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from public.models import Part, Publication, PublishedFile

from .conftest import PUBLIC, SECRETS, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def case_page(client, user, case):
    client.force_login(user)
    response = client.get(reverse("opinions:case_detail", args=[case.pk]))
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def action_form(document, slug):
    forms = document.xpath(f"//details[@data-action='{slug}']//form")
    return forms[0] if forms else None


def post(client, user, case, slug, data, files=None):
    client.force_login(user)
    payload = {f"{slug}-{key}": value for key, value in data.items()}
    payload.update({f"{slug}-{key}": value for key, value in (files or {}).items()})
    return client.post(reverse("opinions:case_action", args=[case.pk, slug]), payload)


def test_the_publish_form_offers_the_parts_this_cases_files_and_the_report_to_edit(client, story, received_case,
                                                                                   world):
    from opinions import services

    services.attachment_add(case=received_case, actor=world.liaison, file=pdf("别的案件的附件.pdf"))
    form = action_form(case_page(client, world.staff, story.case), "publish")
    assert form is not None
    assert form.get("enctype") == "multipart/form-data"
    parts = form.xpath(".//input[@name='publish-parts']")
    assert sorted(box.get("value") for box in parts) == sorted(Part.values)
    assert all(box.checked for box in parts)  # everything the law asks for, unless the staff leave a part out
    files = form.xpath(".//input[@name='publish-attachments']")
    assert sorted(box.get("value") for box in files) == sorted([str(story.internal_file.pk),
                                                                str(story.public_file.pk)])
    assert not any(box.checked for box in files)  # files stay internal unless chosen
    assert "别的案件的附件.pdf" not in lxml.html.tostring(form, encoding="unicode")
    assert form.xpath(".//textarea[@name='publish-redacted_text']")[0].text.strip() == SECRETS["original_report"]
    assert form.xpath(".//input[@name='publish-redacted_file' and @type='file']")
    assert not form.xpath(".//input[@name='publish-drop_redacted_file']")  # nothing published before to withdraw


@pytest.mark.parametrize("who", ["liaison", "leader"])
def test_who_may_not_publish_sees_no_form_and_is_refused(client, story, world, who):
    document = case_page(client, getattr(world, who), story.case)
    assert action_form(document, "publish") is None
    assert post(client, getattr(world, who), story.case, "publish", {"parts": ["items"]}).status_code == 403
    assert not story.fresh().is_public


def test_publishing_from_the_form_puts_out_what_was_chosen(client, story, world):
    response = post(client, world.staff, story.case, "publish",
                    {"parts": ["items", "report"], "attachments": [story.public_file.pk],
                     "redacted_text": PUBLIC["redacted"]}, files={"redacted_file": pdf("脱敏版.pdf")})
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.parts == {Part.ITEMS, Part.REPORT}
    assert publication.redacted_text == PUBLIC["redacted"]
    assert [f.original_name for f in publication.files.order_by("role")] == [PUBLIC["public_file"], "脱敏版.pdf"]
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"/public/{publication.slug}/" in message
    public = client.get(f"/public/{publication.slug}/").content.decode()
    assert PUBLIC["redacted"] in public
    assert PUBLIC["opinion_text"] not in public


def test_a_bad_redacted_file_keeps_the_form_open_with_the_reason_and_publishes_nothing(client, story, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = post(client, world.staff, story.case, "publish", {"parts": ["report"]},
                    files={"redacted_file": SimpleUploadedFile("脱敏版.pdf", b"plain text, not a PDF")})
    assert response.status_code == 400
    assert ' open data-action="publish"' in response.content.decode()
    assert not story.fresh().is_public
    assert not Publication.objects.exists()


def test_the_unpublish_form_says_where_the_case_is_public_and_needs_a_reason(client, story, world):
    publication = story.publish()
    document = case_page(client, world.staff, story.case)
    assert action_form(document, "publish") is None
    form = action_form(document, "unpublish")
    assert f"/public/{publication.slug}/" in form.xpath(".//*[@data-testid='action-intro']")[0].text_content()
    assert post(client, world.staff, story.case, "unpublish", {"reason": " "}).status_code == 400
    assert story.fresh().is_public
    assert post(client, world.staff, story.case, "unpublish", {"reason": "含个人信息"}).status_code == 302
    assert not story.fresh().is_public
    assert client.get(f"/public/{publication.slug}/").status_code == 404


def test_the_form_to_publish_again_starts_from_what_was_published(client, story, world):
    story.publish(parts=[Part.ITEMS], redacted_file=pdf("脱敏版.pdf"))
    story.unpublish(reason="更正")
    form = action_form(case_page(client, world.staff, story.case), "publish")
    intro = form.xpath(".//*[@data-testid='action-intro']")[0].text_content()
    assert "更正" in intro
    checked = [box.get("value") for box in form.xpath(".//input[@name='publish-parts']") if box.checked]
    assert checked == ["items"]
    files = {box.get("value"): box.checked for box in form.xpath(".//input[@name='publish-attachments']")}
    assert files == {str(story.internal_file.pk): False, str(story.public_file.pk): True}
    assert form.xpath(".//textarea[@name='publish-redacted_text']")[0].text.strip() == PUBLIC["redacted"]
    assert form.xpath(".//input[@name='publish-drop_redacted_file']")
    assert post(client, world.staff, story.case, "publish", {"parts": ["items"], "drop_redacted_file": "on"}
                ).status_code == 302
    assert not PublishedFile.objects.filter(role="redacted_report").exists()


@pytest.mark.parametrize("who", ["liaison", "leader"])
def test_who_may_not_unpublish_sees_no_form_and_is_refused(client, story, world, who):
    story.publish()
    assert action_form(case_page(client, getattr(world, who), story.case), "unpublish") is None
    assert post(client, getattr(world, who), story.case, "unpublish", {"reason": "撤下"}).status_code == 403
    assert story.fresh().is_public
