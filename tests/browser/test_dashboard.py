"""Leadership's dashboard and the API docs in Debian's Chromium: the charts draw from the app's own ECharts, a
number leads to its cases, the big screen and the printed sheet show the same figures, and Swagger UI works
offline."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest

from opinions.models import Case, CaseItem
from opinions.selectors import today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def portfolio(world):
    """Cases of three bodies in every colour, some closed, one year of history."""
    now = today()

    def case(title, body, status, due_in, issued_ago, submitted_ago=None, closed_ago=None, items=2):
        made = Case.objects.create(
            kind="special_work_report", title=title, lead_body=body, status=status,
            supervising_committee=world.caijing, issued_date=now - timedelta(days=issued_ago),
            due_date=now + timedelta(days=due_in),
            submitted_date=now - timedelta(days=submitted_ago) if submitted_ago is not None else None,
            closed_date=now - timedelta(days=closed_ago) if closed_ago is not None else None)
        for number in range(1, items + 1):
            CaseItem.objects.create(case=made, number=number, heading=f"{title} 第{number}项",
                                    status="closed" if status == "closed" else "in_progress")
        return made

    case("关于全市优化营商环境工作情况报告的审议意见", world.gov, "in_progress", due_in=-40, issued_ago=130)
    case("关于市中级人民法院执行工作情况报告的审议意见", world.court, "issued", due_in=-3, issued_ago=95)
    case("关于全市重点项目建设情况的审议意见", world.fgw, "in_progress", due_in=6, issued_ago=84)
    case("关于国民经济和社会发展计划执行情况的审议意见", world.gov, "in_consultation", due_in=45, issued_ago=45)
    case("关于预算执行情况的审议意见", world.gov, "closed", due_in=-200, issued_ago=290, submitted_ago=205,
         closed_ago=170)
    case("关于法治政府建设情况的审议意见", world.court, "closed", due_in=-100, issued_ago=190, submitted_ago=90,
         closed_ago=60)


def test_the_leader_reads_the_dashboard_and_opens_the_cases_behind_a_number(open_session, portfolio):
    leader = open_session("leader")
    page = leader.page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(request.url))
    page.goto("/cases/dashboard/")
    overdue = page.locator(".kpi.red")
    assert overdue.locator(".n").inner_text() == "2"
    # The charts are drawn by the app's own ECharts, as SVG, with the last twelve months on the trend's axis.
    page.wait_for_selector("#chart-trend svg")
    page.wait_for_function("document.querySelectorAll('#chart-rag svg path').length >= 3")  # three slices
    months = page.evaluate("echarts.getInstanceByDom(document.getElementById('chart-trend')).getOption().xAxis[0].data")
    assert len(months) == 12
    assert months[-1] == f"{today():%Y-%m}"
    assert page.locator("section:has(#league) tbody tr").count() == 3
    assert page.locator("#overdue-board").locator("xpath=..").locator("tbody tr").count() == 2
    leader.shot("dashboard")
    assert errors == []

    with page.expect_navigation():
        overdue.click()
    assert "overdue=true" in page.url
    assert page.locator("table.cases tbody tr").count() == 2
    leader.shot("overdue-cases")

    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto("/cases/dashboard/screen/")
    page.wait_for_selector("#chart-trend svg")
    assert page.locator(".kpi.red .n").inner_text() == "2"
    assert page.locator("meta[http-equiv=refresh]").get_attribute("content") == "300"
    leader.shot("big-screen")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/cases/dashboard/print/")
    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()
    assert page.locator(".kpi.red .n").inner_text() == "2"
    leader.shot("print")
    assert errors == []


def test_a_liaison_sees_only_their_bodys_figures(open_session, portfolio):
    liaison = open_session("court_liaison")
    liaison.page.goto("/cases/dashboard/")
    assert liaison.page.locator(".kpi.red .n").inner_text() == "1"
    assert liaison.page.locator("section:has(#league) tbody tr").count() == 1
    assert "营商环境" not in liaison.page.content()


def test_swagger_ui_lists_every_operation_without_a_cdn(open_session, world):
    staff = open_session("staff")
    page = staff.page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() >= 40
    assert page.locator(".opblock-summary-path").filter(has_text="/api/v1/cases/{id}/acknowledge/").count() == 1
    staff.shot("swagger-ui")
    served_here = urlparse(page.url).netloc
    assert [url for url in requested if urlparse(url).netloc not in (served_here, "")] == []
