"""Publishing and taking a case off the public site, as services: through the workflow, with history on the case and
on the publication, refused to whoever may not and in the wrong state, and nothing half-written when refused."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from npc_tracker.errors import DomainError, InvalidInput, NotAllowed
from opinions import services
from opinions.models import Case
from public import services as public_services
from public.models import Part, Publication, PublishedFile

from .conftest import PUBLIC, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """History reasons are written in the language of the moment: these tests read them in English."""
    with translation.override("en"):
        yield


def test_publishing_writes_the_publication_and_the_case_history_together(story):
    publication = story.publish(parts=[Part.ITEMS, Part.REPORT])
    case = story.fresh()
    assert case.is_public
    assert publication.parts == {Part.ITEMS, Part.REPORT}
    assert publication.report == case.reports.get(review_outcome="accepted")
    assert publication.published_by == story.world.staff
    assert publication.year == 2020
    [row] = publication.history.all()
    assert (row.history_type, row.history_user, row.history_change_reason) == ("+", story.world.staff, "Published")
    latest = case.history.order_by("-history_id").first()
    assert (latest.is_public, latest.history_user, latest.history_change_reason) == (
        True, story.world.staff, "Published")
    assert PublishedFile.objects.get().history.get().history_user == story.world.staff


def test_unpublishing_needs_a_reason_and_is_recorded_on_both(story):
    story.publish()
    with pytest.raises(InvalidInput) as refused:
        story.unpublish(reason="  ")
    assert refused.value.field == "reason"
    assert story.fresh().is_public
    story.unpublish(reason="报告附件含个人信息")
    case = story.fresh()
    assert not case.is_public
    latest = case.history.order_by("-history_id").first()
    assert not latest.is_public
    assert "报告附件含个人信息" in latest.history_change_reason
    publication = Publication.objects.get()
    assert publication.unpublish_reason == "报告附件含个人信息"
    assert publication.unpublished_by == story.world.staff
    assert publication.unpublished_at is not None
    assert [row.history_type for row in publication.history.order_by("history_id")] == ["+", "~"]


def test_publishing_again_keeps_the_address_and_the_history(story):
    first = story.publish(redacted_file=pdf("脱敏版.pdf"))
    old_token = PublishedFile.objects.get(role="attachment").token
    story.unpublish()
    again = story.publish(parts=[Part.OPINION_TEXT], attachments=[])
    assert again.pk == first.pk
    assert again.slug == first.slug
    assert again.unpublished_at is None
    assert again.unpublish_reason == ""
    assert again.parts == {Part.OPINION_TEXT}
    assert not PublishedFile.objects.filter(token=old_token).exists()  # files chosen before: gone with their tokens
    assert PublishedFile.objects.filter(role="redacted_report").count() == 1  # the redacted copy is kept
    assert [row.history_change_reason for row in again.history.order_by("history_id")] == [
        "Published", "Unpublished: 发现未脱密内容", "Published again"]
    assert story.fresh().is_public


def test_a_new_redacted_file_replaces_the_old_one_and_it_can_be_withdrawn(story):
    story.publish(redacted_file=pdf("第一版.pdf"))
    story.unpublish()
    story.publish(redacted_file=pdf("第二版.pdf"))
    assert PublishedFile.objects.get(role="redacted_report").original_name == "第二版.pdf"
    story.unpublish()
    story.publish(drop_redacted_file=True)
    assert not PublishedFile.objects.filter(role="redacted_report").exists()
    deleted = PublishedFile.history.filter(history_type="-", role="redacted_report")
    assert sorted(deleted.values_list("original_name", flat=True)) == ["第一版.pdf", "第二版.pdf"]


@pytest.mark.parametrize("who", ["liaison", "fgw_liaison", "leader", "other_staff"])
def test_only_the_cases_staff_may_publish(story, who):
    with pytest.raises(NotAllowed):
        public_services.publication_publish(case=story.fresh(), actor=getattr(story.world, who))
    assert not story.fresh().is_public
    assert not Publication.objects.exists()


@pytest.mark.parametrize("who", ["liaison", "leader"])
def test_only_the_cases_staff_may_unpublish(story, who):
    story.publish()
    with pytest.raises(NotAllowed):
        public_services.publication_unpublish(case=story.fresh(), actor=getattr(story.world, who), reason="撤下")
    assert story.fresh().is_public


def test_a_case_is_published_only_once_its_report_is_accepted(received_case, world):
    with pytest.raises(DomainError) as refused:
        public_services.publication_publish(case=received_case, actor=world.staff)
    assert refused.value.code == "wrong_status"
    assert not Publication.objects.exists()


def test_publishing_a_published_case_or_unpublishing_an_unpublished_one_is_refused(story):
    with pytest.raises(DomainError) as refused:
        story.unpublish()
    assert refused.value.code == "wrong_status"
    story.publish()
    with pytest.raises(DomainError) as refused:
        story.publish()
    assert refused.value.code == "wrong_status"
    assert Publication.objects.get().history.count() == 1


def test_another_cases_file_cannot_be_published_and_nothing_is_written(story, world, received_case):
    foreign = services.attachment_add(case=received_case, actor=world.liaison, file=pdf("别的案件.pdf"))
    with pytest.raises(InvalidInput) as refused:
        story.publish(attachments=[story.public_file, foreign])
    assert refused.value.field == "attachments"
    assert not story.fresh().is_public
    assert not Publication.objects.exists()
    assert not PublishedFile.objects.exists()


def test_a_redacted_file_is_checked_like_every_upload(story):
    with pytest.raises(InvalidInput) as refused:
        story.publish(redacted_file=SimpleUploadedFile("脱敏版.pdf", b"not a pdf at all"))
    assert refused.value.field == "file"
    assert not story.fresh().is_public
    assert not Publication.objects.exists()


def test_unknown_parts_are_refused(story):
    with pytest.raises(InvalidInput) as refused:
        story.publish(parts=["items", "history"])
    assert refused.value.field == "parts"


def test_a_published_case_sent_back_to_the_body_can_still_be_taken_off(story, world):
    story.publish()
    services.case_reopen(case=story.fresh(), actor=world.staff, reason="群众反映问题反弹")
    assert story.fresh().status == "in_progress"
    story.unpublish()
    assert not Case.objects.get(pk=story.case.pk).is_public


def test_a_case_marked_public_before_publications_were_kept_can_be_taken_off(story, world):
    services.case_publish(case=story.fresh(), actor=world.staff)
    case = public_services.publication_unpublish(case=story.fresh(), actor=world.staff, reason="重新选择公开内容")
    assert not case.is_public
    assert not Publication.objects.exists()


def test_the_address_starts_with_the_cases_year_and_reveals_nothing_else(story):
    publication = story.publish()
    year, random_part = publication.slug.split("-")
    assert year == str(date(2020, 8, 27).year)
    assert len(random_part) == 10
    assert PUBLIC["title"] not in publication.slug
