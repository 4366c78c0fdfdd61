"""The three journeys of issue 4, in Chromium, through the pages only (set-up data aside).

Screenshots land in test-artifacts/browser/<test>/.
"""

import pytest

from opinions import services
from opinions.models import Case
from opinions.selectors import today
from tests.files import PDF

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]



def evidence(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def status_of(case) -> str:
    return Case.objects.get(pk=case.pk).status


def test_staff_register_a_meeting_create_a_case_with_three_items_and_issue_it(open_session, world):
    staff = open_session("staff")
    page = staff.page
    page.click("nav >> a[href='/cases/meetings/']")
    page.click("a[href='/cases/meetings/new/']")
    page.fill("#id_term", "14")
    page.fill("#id_session", "30")
    page.fill("#id_start_date", today().isoformat())
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.fill("#id_title", "关于全市优化营商环境工作情况的报告")
    page.fill("#id_reporter_name", "王五")
    page.select_option("#id_body", str(world.gov.pk))
    page.select_option("#id_committee", str(world.caijing.pk))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    staff.shot("meeting")
    page.click("a[href^='/cases/new/?report=']")
    assert page.input_value("#id_title") == "关于全市优化营商环境工作情况的报告的审议意见"
    page.select_option("#id_kind", "special_work_report")
    page.fill("#id_doc_number", "安人常办〔2026〕30号")
    page.fill("#id_items-0-heading", "一、进一步优化政务服务")
    page.click("[data-add-item]")
    page.fill("#id_items-1-heading", "二、加强涉企执法监督")
    page.click("[data-add-item]")
    page.fill("#id_items-2-heading", "三、完善政企沟通机制")
    page.fill("#id_opinion_text", "市人民政府：\n市十四届人大常委会第三十次会议听取和审议了……")
    staff.shot("case-form")
    with page.expect_navigation():
        page.click("form.case-form button[type=submit].primary")
    case = Case.objects.get(doc_number="安人常办〔2026〕30号")
    assert case.status == "draft"
    assert list(case.items.values_list("heading", flat=True)) == [
        "一、进一步优化政务服务", "二、加强涉企执法监督", "三、完善政企沟通机制"]
    staff.act("issue")
    assert status_of(case) == "issued"
    assert page.locator(".badge.status-issued").first.is_visible()
    staff.shot("issued")


def issued_case(world, **extra):
    case = services.case_create(
        actor=world.staff, kind="special_work_report", title="关于全市养老服务体系建设情况的审议意见",
        lead_body=world.gov, supervising_committee=world.caijing, **extra,
        items=[{"heading": "一、加快养老设施建设"}, {"heading": "二、壮大养老服务队伍"},
               {"heading": "三、完善扶持政策"}])
    return services.case_issue(case=case, actor=world.staff, issued_date=today())


def test_the_liaison_acknowledges_reports_on_every_item_with_evidence_and_sends_a_consultation_draft(
        open_session, world):
    case = issued_case(world, consulted_committee=world.yusuan)
    liaison = open_session("liaison")
    page = liaison.page
    page.click(f"a[href='/cases/{case.pk}/']")
    liaison.act("acknowledge")
    assert status_of(case) == "in_progress"
    assert "签收" in page.locator("[data-testid=due-provenance]").inner_text()  # the due date says why
    for item in case.items.order_by("number"):
        liaison.act("report-progress", {"progress_note": f"第{item.number}项已制定工作方案"},
                    scope=f"#item-{item.number}", files=[evidence(f"第{item.number}项佐证.pdf")])
    assert set(case.items.values_list("status", flat=True)) == {"in_progress"}
    assert sorted(case.attachments.values_list("original_name", flat=True)) == [
        "第1项佐证.pdf", "第2项佐证.pdf", "第3项佐证.pdf"]
    liaison.act("submit-consultation-draft", {"title": "关于审议意见研究处理情况的报告（征求意见稿）",
                                              "text": "一、养老设施建设……\n二、养老服务队伍……"})
    assert status_of(case) == "in_consultation"
    liaison.shot("liaison-case-page")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    for url in ("/cases/", f"/cases/{case.pk}/"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{url} scrolls sideways on a phone"
    liaison.shot("phone-case-page")


def test_comment_report_return_resubmit_accept_evaluate_and_close(open_session, world):
    case = issued_case(world)
    services.case_acknowledge(case=case, actor=world.liaison, received_date=today())
    for item in case.items.all():
        services.item_report_progress(item=item, actor=world.liaison, progress_note="推进中")
    services.report_submit(case=case, actor=world.liaison, kind="consultation_draft", title="征求意见稿",
                           text="一、正在推进。")
    staff, liaison = open_session("staff"), open_session("liaison")
    case_url = f"/cases/{case.pk}/"
    staff.page.goto(case_url)
    staff.act("comment-consultation", {"comment": "请补充各项措施的完成时限和量化指标。"})
    liaison.page.goto(case_url)
    assert "请补充各项措施的完成时限" in liaison.page.inner_text("#reports")
    for number in (1, 2, 3):
        liaison.act("mark-done", {"measures": f"第{number}项已完成"}, scope=f"#item-{number}")
    liaison.act("submit-report", {"title": "关于审议意见研究处理情况的报告", "text": "一、正在推进。"},
                files=[evidence("报告正文.pdf")])
    assert status_of(case) == "submitted"
    staff.page.goto(case_url)
    staff.act("return-report", {"reason": "报告未逐条回应审议意见，请补充整改成效。"})
    assert status_of(case) == "in_progress"
    liaison.page.goto(case_url)
    assert "报告未逐条回应审议意见" in liaison.page.inner_text("#reports")
    liaison.act("submit-report", {"title": "关于审议意见研究处理情况的报告（修改稿）", "text": "一、已全部完成。"})
    staff.page.goto(case_url)
    staff.page.locator("#reports details.diff summary").last.click()
    assert staff.page.locator("#reports details.diff ins").last.inner_text() == "已全部完成"
    for number in (1, 2, 3):
        staff.act("verify", scope=f"#item-{number}")
    staff.act("accept-report")
    assert status_of(case) == "accepted"
    staff.act("evaluate", {"entitled_to_vote": "30", "satisfied": "10", "basically_satisfied": "15",
                           "dissatisfied": "2"})
    case = Case.objects.get(pk=case.pk)
    assert case.status == "closed"
    assert case.evaluations.get().result == "basically_satisfied"
    assert staff.page.locator(".badge.status-closed").first.is_visible()
    staff.shot("staff-case-closed")
    liaison.page.goto(case_url)
    liaison.shot("liaison-case-closed")
