"""The draft's deadline in Chromium (issue 14 §7): the rule set's default follows the case's kind, staff pick 三个月内
and see the due date it gives before saving, under the page's Content-Security-Policy."""

import pytest

from opinions.models import Case
from tests.browser.test_security_headers import watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_staff_pick_three_months_and_see_the_due_date_before_saving(open_session, world, live_server):
    from playwright.sync_api import expect

    staff = open_session("staff")
    page = staff.page
    seen = watch(page, live_server.url)
    page.goto("/cases/new/")
    due = page.locator("[data-preview-due]")
    explanation = page.locator("[data-preview-explanation]")
    reason = page.locator("[data-preview-reason]")
    expect(due).to_have_text("2026-09-10")  # 专项工作报告: 三个月内, counted from today as the day of receipt

    page.select_option("#id_kind", "budget_execution")  # the default follows: 两个月内
    expect(page.locator("#id_deadline_rule_0")).to_have_value("months")
    expect(page.locator("#id_deadline_rule_1")).to_have_value("2")
    expect(due).to_have_text("2026-08-10")
    expect(reason).to_be_hidden()

    page.select_option("#id_deadline_rule_0", "date")  # 指定日期前: the date replaces N
    expect(page.locator("#id_deadline_rule_1")).to_be_hidden()
    page.fill("#id_deadline_rule_2", "2026-10-31")  # a Saturday: moved back to the Friday
    expect(due).to_have_text("2026-10-30")

    page.select_option("#id_deadline_rule_0", "months")  # 三个月内
    page.fill("#id_deadline_rule_1", "3")
    expect(due).to_have_text("2026-09-10")
    expect(explanation).to_have_text("三个月，自签收日 2026-06-10 起 → 2026-09-10")
    expect(reason).to_contain_text("两个月内")  # differs from the budget rule set's default: a reason is needed
    staff.shot("deadline-preview")

    page.fill("#id_title", "关于2025年度预算执行情况的审议意见")
    page.select_option("#id_lead_body", str(world.gov.pk))
    page.select_option("#id_supervising_committee", str(world.caijing.pk))
    page.fill("#id_deadline_rule_reason", "审议意见载明三个月内报告")
    page.fill("#id_items-0-heading", "一、加强预算绩效管理")
    with page.expect_navigation():
        page.click("form.case-form button[type=submit].primary")
    case = Case.objects.get()
    assert (case.kind, case.deadline_rule) == ("budget_execution", "months:3")
    assert seen == {"violations": [], "foreign": [], "errors": []}
