"""A case through its whole life with something internal at every step — remarks, review comments, progress notes,
people's names, files — so that the public site's tests can look for each of them where it must not be."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from opinions import services
from opinions.models import Case, Meeting
from public import services as public_services
from tests.files import PDF

# What must never reach the public site, each written somewhere internal by the story below.
SECRETS = {
    "committee_remark": "委员会内部意见-核实批注",
    "review_comment": "审核意见-内部退回理由",
    "accept_comment": "审核通过意见-内部",
    "progress_note": "进展记录-内部推进情况",
    "measures": "整改措施-内部台账",
    "original_report": "原始报告正文-含个人身份证号",
    "internal_file": "内部材料-未公开.pdf",
    "staff_username": "zhao-secretary-7731",
    "staff_name": "赵秘书长",
    "liaison_username": "qian-liaison-4412",
    "liaison_name": "钱联络员",
    "source_note": "来源备注-内部",
    "deadline_reason": "时限理由-内部",
}
PUBLIC = {
    "title": "关于我市 2020 年上半年国民经济和社会发展计划执行情况报告的审议意见",
    "doc_number": "安人常〔2020〕9号",
    "opinion_text": "审议意见全文-第一段",
    "redacted": "脱敏后的报告正文-可以公开",
    "public_file": "公开附件-整改清单.pdf",
    "reporter": "市发改委主任 孙报告人",
}


def pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _public_site_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLIC_RATE_LIMIT = ""  # the rate limit's own test sets one


class Story:
    """The case, its files and the people, with `publish(**choices)` and `unpublish(reason)` as the staff do."""

    def __init__(self, world, case, internal_file, public_file):
        self.world, self.case, self.internal_file, self.public_file = world, case, internal_file, public_file

    def publish(self, **choices):
        choices.setdefault("attachments", [self.public_file])
        choices.setdefault("redacted_text", PUBLIC["redacted"])
        return public_services.publication_publish(case=self.fresh(), actor=self.world.staff, **choices)

    def unpublish(self, reason="发现未脱密内容"):
        return public_services.publication_unpublish(case=self.fresh(), actor=self.world.staff, reason=reason)

    def fresh(self) -> Case:
        return Case.objects.get(pk=self.case.pk)


@pytest.fixture
def story(world, make_case):
    """The 2020 plan opinion: issued, received, items reported and verified with remarks, a report returned with a
    review comment, the revised report accepted, a satisfied vote (closed); two files, one to be published."""
    User = get_user_model()
    User.objects.filter(pk=world.staff.pk).update(username=SECRETS["staff_username"], first_name=SECRETS["staff_name"])
    User.objects.filter(pk=world.liaison.pk).update(username=SECRETS["liaison_username"],
                                                    first_name=SECRETS["liaison_name"])
    world.staff.refresh_from_db()
    world.liaison.refresh_from_db()
    meeting = Meeting.objects.create(term=14, session=15, start_date=date(2020, 8, 27), members=40, present=36)
    case = make_case(meeting=meeting, doc_number=PUBLIC["doc_number"], opinion_text=PUBLIC["opinion_text"],
                     source_report_title="关于计划执行情况的报告", reporter_name="孙报告人",
                     reporter_position="市发改委主任", source_note=SECRETS["source_note"])
    case = services.case_issue(case=case, actor=world.staff, issued_date=date(2020, 9, 3))
    case = services.case_acknowledge(case=case, actor=world.liaison, received_date=date(2020, 9, 5))
    for item in case.items.order_by("number"):
        services.item_report_progress(item=item, actor=world.liaison, progress_note=SECRETS["progress_note"])
        services.item_mark_done(item=item, actor=world.liaison, measures=SECRETS["measures"])
    internal = services.attachment_add(case=case, actor=world.liaison, file=pdf(SECRETS["internal_file"]))
    public = services.attachment_add(case=case, actor=world.staff, file=pdf(PUBLIC["public_file"]))
    services.report_submit(case=case, actor=world.liaison, kind="final", title="关于审议意见研究处理情况的报告",
                           text="初稿")
    services.report_return(case=case, actor=world.staff, reason=SECRETS["review_comment"])
    for item in case.items.order_by("number"):
        services.item_verify(item=item, actor=world.staff, note=SECRETS["committee_remark"])
    services.report_submit(case=case, actor=world.liaison, kind="final", title="关于审议意见研究处理情况的报告",
                           text=SECRETS["original_report"])
    services.report_accept(case=case, actor=world.staff, comment=SECRETS["accept_comment"])
    services.evaluation_record(case=case, actor=world.staff, entitled_to_vote=36, satisfied=30,
                               basically_satisfied=4, dissatisfied=1, meeting=meeting)
    return Story(world, Case.objects.get(pk=case.pk), internal, public)
