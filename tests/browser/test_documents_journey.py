"""Issue 16 in Chromium: a draft goes through 审签 to a numbered 交办通知, and the case is published on the public
site, through the pages only (set-up data aside). Screenshots land in test-artifacts/browser/<test>/."""

from datetime import timedelta

import pytest

from opinions import services
from opinions.models import Case
from opinions.selectors import today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.signoff]


def test_a_draft_is_signed_off_issued_with_a_numbered_notice_and_published(open_session, browser, live_server,
                                                                          world, make_case):
    case = make_case(title="关于全市优化营商环境工作情况报告的审议意见")
    staff = open_session("staff")
    staff.page.goto(f"/cases/{case.pk}/")
    assert staff.page.locator("details[data-action='issue']").count() == 0  # not before the sign-off
    staff.act("request-signoff")
    assert staff.page.locator("details[data-action='sign-off']").count() == 0  # not by whoever sent it
    staff.shot("sent-for-signoff")

    director = open_session("office")
    director.page.goto(f"/cases/{case.pk}/")
    director.act("sign-off", {"approve": "yes", "comment": "同意印发"})
    director.shot("signed-off")

    staff.page.goto(f"/cases/{case.pk}/")
    staff.act("issue")
    assert Case.objects.get(pk=case.pk).status == "issued"
    documents = staff.page.locator("[data-testid=issued-documents]")
    assert "安人常办〔2026〕1号" in documents.inner_text()
    notice = staff.page.request.get(documents.locator("a").first.get_attribute("href"))
    assert notice.status == 200
    assert notice.body()[:2] == b"PK"  # a Word document
    staff.shot("issued")

    case = services.case_acknowledge(case=case, actor=world.liaison)
    services.report_submit(case=case, actor=world.liaison, kind="final", title="研究处理情况的报告",
                           text="已逐条落实。")
    services.report_accept(case=case, actor=world.staff, carry_over_reason="持续推进",
                           next_report_date=today() + timedelta(days=90))
    staff.page.goto(f"/cases/{case.pk}/")
    staff.act("publish")
    staff.shot("published")

    visitor = browser.new_context(locale="zh-CN", base_url=live_server.url)
    page = visitor.new_page()
    page.goto("/public/")
    page.click("text=关于全市优化营商环境工作情况报告的审议意见")
    assert "已逐条落实。" in page.content()
    assert "staff" not in page.content()
    visitor.close()
