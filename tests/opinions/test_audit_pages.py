"""The audit-problem ledger's pages (issue 15): the ledger with its 整改率 per role and filter, its Excel 台账, the
import of the audit office's list, 屡审屡犯 confirmed by the staff, and a unit's report by way of rectification on
the case page."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import lxml.html
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from agencies.models import Body, BodyKind
from npc_tracker.errors import InvalidInput
from opinions import audit_exports, audit_figures, audit_import, audit_report, services
from opinions.models import AuditArea, AuditImport, AuditProblem, AuditReportText, CaseItem
from opinions.selectors import today
from tests.audit_lists import HEADER, row, xlsx
from tests.files import PDF

pytestmark = pytest.mark.django_db

LEDGER = "/cases/audit/"


def received(case, world, day=date(2026, 6, 1)):
    case = services.case_issue(case=case, actor=world.staff, issued_date=day)
    return services.case_acknowledge(case=case, actor=world.liaison, received_date=day + timedelta(days=1))


def imported(case, world, rows):
    result = audit_import.import_problems(case=case, actor=world.staff, file=xlsx(rows))
    assert result.errors == []
    return result


class Ledger:
    """2022: one problem of 市财政局. 2023: two of 市财政局 (one verified, 100 of 100 rectified; one 60 of 200
    disbursed), two of 市发改委 (300 involved, one without money); 2023-001 repeats 2022-001's unit and type."""


@pytest.fixture
def ledger(audit_case, world, finance, make_case):
    earlier = make_case(kind="audit_rectification", items=[], co_bodies=[],
                        title="关于 2022 年度市本级预算执行和其他财政收支审计查出问题的整改")
    imported(earlier, world, [row("SJ2022-01-001", year=2022, amount=40)])
    earlier = received(earlier, world, day=date(2025, 6, 2))
    imported(audit_case, world, [
        row("SJ2023-01-001", amount=100),
        row("SJ2023-01-002", amount=200, area="专项资金", kind="专项资金闲置"),
        row("SJ2023-01-003", unit="市发改委", amount=300, how="分阶段整改", kind="违规拨付资金"),
        row("SJ2023-01-004", unit="市发改委", amount=None, area="部门预算", kind="预算编制不细"),
    ])
    p = {problem.reference: problem for problem in AuditProblem.objects.select_related("item")}
    services.audit_problem_report(problem=p["SJ2023-01-001"], actor=finance.liaison, progress_note="已全部上缴",
                                  ways={"paid_to_treasury": Decimal("100")}, rules_made=1)
    services.item_mark_done(item=p["SJ2023-01-001"].item, actor=finance.liaison, measures="全部上缴国库")
    services.item_verify(item=p["SJ2023-01-001"].item, actor=world.staff, note="同意销号")
    services.audit_problem_report(problem=p["SJ2023-01-002"], actor=finance.liaison, progress_note="已拨付 60 万元",
                                  ways={"disbursed": Decimal("60")}, people_dealt_with=2)
    w = Ledger()
    w.case, w.earlier, w.finance, w.world = audit_case, earlier, finance, world
    w.p = {reference: AuditProblem.objects.select_related("item").get(pk=problem.pk)
           for reference, problem in p.items()}
    return w


def get(client, user, url=LEDGER, **params):
    client.force_login(user)
    return client.get(url, params)


def by_testid(element, name: str, below: str = "") -> list:
    return element.xpath(f'.//*[@data-testid="{name}"]{below}')


def references(response) -> list[str]:
    return [problem.reference for problem in response.context["rows"]]


# --- who sees what ------------------------------------------------------------------------------------------------


def test_the_staff_see_every_row_with_the_rates_of_audit_figures(client, world, ledger):
    response = get(client, world.staff)
    assert response.status_code == 200
    assert references(response) == ["SJ2022-01-001", "SJ2023-01-001", "SJ2023-01-002", "SJ2023-01-003",
                                     "SJ2023-01-004"]
    everything = AuditProblem.objects.all()
    figures = response.context["figures"]
    assert figures == audit_figures.rectification(everything)
    assert (figures.problems, figures.rectified, figures.rate) == (5, 1, 20.0)
    assert (figures.amount_involved, figures.amount_rectified, figures.rate_by_amount) == (
        Decimal("640.00"), Decimal("160.00"), 25.0)
    assert response.context["by_unit"] == audit_figures.rectification_by(everything, "unit")
    assert response.context["by_area"] == audit_figures.rectification_by(everything, "area")
    html = lxml.html.fromstring(response.content.decode())
    assert by_testid(html, "rate")[0].text_content() == "20.0%"
    assert by_testid(html, "rate-by-amount")[0].text_content() == "25.0%"
    units = [tr.xpath("./td")[0].text_content() for tr in by_testid(html, "rates-by-unit", "//tbody/tr")]
    assert units == ["安阳市发展和改革委员会", "安阳市财政局"]
    # 概要 opens the item on its case page.
    first = ledger.p["SJ2023-01-001"].item
    assert f'href="/cases/{ledger.case.pk}/#item-{first.number}"' in response.content.decode()


def test_a_units_liaison_sees_its_own_rows_and_another_none(client, world, ledger, finance):
    own = get(client, finance.liaison)
    assert references(own) == ["SJ2022-01-001", "SJ2023-01-001", "SJ2023-01-002"]
    assert own.context["figures"] == audit_figures.rectification(
        AuditProblem.objects.filter(item__responsible_body=finance))
    assert [name for _pk, name, _r in own.context["by_unit"]] == ["安阳市财政局"]
    assert get(client, finance.liaison, f"/cases/{ledger.case.pk}/").status_code == 200  # the 概要's link
    assert references(get(client, world.fgw_liaison)) == ["SJ2023-01-003", "SJ2023-01-004"]
    # The lead body (the government) coordinates the rectification: every row of its cases.
    assert len(references(get(client, world.liaison))) == 5
    other = get(client, world.court_liaison)
    assert other.status_code == 200
    assert references(other) == []
    assert other.context["figures"].problems == 0
    assert "还没有您可见的审计查出问题" in other.content.decode()
    # The unit filter offers the liaison's own unit only; another unit's id is a mistake, not a leak.
    assert [body.name for body in own.context["filter"].form.fields["unit"].queryset] == ["安阳市财政局"]
    assert get(client, finance.liaison, unit=world.fgw.pk).status_code == 400
    assert get(client, world.court_liaison, case=ledger.case.pk).status_code == 400


def test_the_nav_links_to_the_ledger_for_everyone_signed_in(client, world, ledger):
    for user in (world.staff, world.court_liaison, world.leader):
        html = get(client, user, "/cases/").content.decode()
        assert f'<a href="{LEDGER}">审计整改台账</a>' in html


# --- filters, rates, pages ----------------------------------------------------------------------------------------


def test_each_filter_gives_the_rows_and_rates_of_audit_figures_over_the_same_rows(client, world, ledger, finance):
    area = AuditArea.objects.get(name="专项资金")
    cases = {
        "unit": (finance.pk, {"item__responsible_body": finance}),
        "area": (area.pk, {"area": area}),
        "status": ("closed", {"item__status": "closed"}),
        "audit_year": (2023, {"audit_year": 2023}),
        "rectification_type": ("phased", {"rectification_type": "phased"}),
        "case": (ledger.case.pk, {"item__case": ledger.case}),
    }
    for name, (value, lookup) in cases.items():
        response = get(client, world.staff, **{name: value})
        assert response.status_code == 200, name
        expected = AuditProblem.objects.filter(**lookup)
        assert references(response) == list(expected.order_by("audit_year", "reference")
                                            .values_list("reference", flat=True)), name
        assert response.context["figures"] == audit_figures.rectification(expected), name
        assert response.context["by_unit"] == audit_figures.rectification_by(expected, "unit"), name
    by_unit = get(client, world.staff, unit=finance.pk).context["figures"]
    assert (by_unit.problems, by_unit.rectified, by_unit.rate, by_unit.rate_by_amount) == (3, 1, 33.3, 47.1)


def test_the_filters_read_all_when_empty_and_refuse_what_they_cannot_take(client, world, ledger):
    html = get(client, world.staff).content.decode()
    assert "---------" not in html
    for name in ("unit", "area", "status", "rectification_type", "repeat"):
        assert re.search(rf'<select name="{name}"[^>]*>\s*<option value="" selected>全部</option>', html), name
    assert get(client, world.staff, audit_year="二〇二三").status_code == 400
    assert get(client, world.staff, repeat="maybe").status_code == 400
    assert get(client, world.staff, unit="99999999999999999999").status_code == 400


def test_the_ledger_is_paged_fifty_rows_at_a_time_at_a_cost_that_does_not_grow(client, world, ledger):
    def add(count, start):
        case = ledger.case
        area = AuditArea.objects.first()
        items = CaseItem.objects.bulk_create([
            CaseItem(case=case, number=100 + n, kind="audit_problem", heading=f"问题 {n}", amount=Decimal(10),
                     responsible_body=ledger.finance) for n in range(start, start + count)])
        AuditProblem.objects.bulk_create([
            AuditProblem(item=item, reference=f"SJ2023-09-{item.number:04d}", audit_year=2023, area=area,
                         problem_type=f"类型 {item.number}", rectification_type="immediate") for item in items])

    users = (world.staff, ledger.finance.liaison, world.liaison)

    def queries(user, page=1):
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LEDGER, {"page": page})
        return len(response.context["rows"]), len(captured)

    add(55, 0)
    smaller = {user: queries(user) for user in users}
    assert {rows for rows, _queries in smaller.values()} == {50}
    # A page of fewer rows costs the same: nothing is read row by row.
    assert {user: queries(user, page=2)[1] for user in users} == {user: n for user, (_, n) in smaller.items()}
    add(150, 55)
    assert {user: queries(user) for user in users} == smaller
    client.force_login(world.staff)
    first = client.get(LEDGER)
    last = client.get(LEDGER, {"page": 5})
    assert len(last.context["rows"]) == 210 - 200
    assert client.get(LEDGER, {"page": 99}).context["page"].number == 5
    assert first.context["figures"].problems == 210


# --- the Excel 台账 -----------------------------------------------------------------------------------------------


def workbook_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def data_rows(sheet):
    return [row for row in sheet.iter_rows(min_row=4, values_only=True)]


def test_the_excel_ledger_opens_and_its_totals_are_the_ledgers(client, world, ledger, finance):
    workbook = workbook_of(get(client, world.staff, "/cases/audit/export.xlsx"))
    assert workbook.sheetnames == ["问题台账", "按责任单位", "按问题领域"]
    sheet = workbook["问题台账"]
    assert sheet["A1"].value == "审计查出问题整改台账"
    assert sheet["A2"].value == f"截至 {today():%Y-%m-%d}"
    assert [cell.value for cell in sheet[3]] == [
        "序号", "问题编号", "审计年度", "问题领域", "问题类型", "责任单位", "问题概要", "问题描述", "涉及金额（万元）",
        "整改类型", "上缴财政", "拨付", "调整账目", "归还原资金渠道", "挽回损失", "已整改金额", "建立健全制度（项）",
        "追责问责（人）", "移送（件）", "状态", "屡审屡犯（前次问题编号）", "销号人", "销号时间", "最新进展"]
    rows = data_rows(sheet)
    figures = audit_figures.rectification(AuditProblem.objects.all())
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert [r[1] for r in rows] == ["SJ2022-01-001", "SJ2023-01-001", "SJ2023-01-002", "SJ2023-01-003",
                                    "SJ2023-01-004"]
    assert sum(Decimal(str(r[8] or 0)) for r in rows) == figures.amount_involved
    assert sum(Decimal(str(r[15] or 0)) for r in rows) == figures.amount_rectified
    verified = rows[1]
    assert (verified[5], verified[9], verified[10], verified[16], verified[19], verified[21]) == (
        "安阳市财政局", "立行立改", 100, 1, "已销号", "staff")
    assert verified[22] is not None  # 销号时间, a date-time cell
    assert rows[2][11] == 60  # 拨付
    total = data_rows(workbook["按责任单位"])[-1]
    assert total[1] == "合计"
    assert total[2:] == (figures.problems, figures.rectified, figures.rate, float(figures.amount_involved),
                         float(figures.amount_rectified), figures.rate_by_amount, figures.repeats)
    by_area = data_rows(workbook["按问题领域"])
    assert [r[1] for r in by_area] == ["预算执行", "部门预算", "专项资金", "合计"]


def test_the_excel_ledger_has_the_filters_and_the_rows_of_the_page(client, world, ledger, finance):
    rows = data_rows(workbook_of(get(client, world.staff, "/cases/audit/export.xlsx", unit=finance.pk))["问题台账"])
    assert [r[1] for r in rows] == ["SJ2022-01-001", "SJ2023-01-001", "SJ2023-01-002"]
    own = data_rows(workbook_of(get(client, world.fgw_liaison, "/cases/audit/export.xlsx"))["问题台账"])
    assert [r[1] for r in own] == ["SJ2023-01-003", "SJ2023-01-004"]
    assert get(client, world.staff, "/cases/audit/export.xlsx", audit_year="x").status_code == 400


def test_the_excel_ledger_reads_plain_values_in_a_constant_number_of_queries(world, ledger):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            audit_exports.ledger_workbook(AuditProblem.objects.all()).close()
        return len(captured)

    before = queries()
    case, area = ledger.case, AuditArea.objects.first()
    items = CaseItem.objects.bulk_create([
        CaseItem(case=case, number=200 + n, kind="audit_problem", heading=f"问题 {n}", amount=Decimal(5),
                 responsible_body=ledger.finance if n % 2 else world.fgw) for n in range(300)])
    AuditProblem.objects.bulk_create([
        AuditProblem(item=item, reference=f"SJ2023-08-{item.number:04d}", audit_year=2023, area=area,
                     problem_type="类型", rectification_type="immediate", verified_by=world.staff)
        for item in items])
    assert queries() == before


# --- the import page ----------------------------------------------------------------------------------------------

IMPORT = "/cases/audit/import/"


def upload(content, name="清单.xlsx"):
    return SimpleUploadedFile(name, content.read())


def post_import(client, case, file, capture):
    """The import page's POST, and the task's work: in-process it ran on commit; with a broker, as a worker would
    (tests/integration has the worker)."""
    with capture(execute=True):
        response = client.post(IMPORT, {"case": case.pk, "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = AuditImport.objects.order_by("-pk").first()
    assert response["Location"] == f"/cases/audit/imports/{job.pk}/"
    audit_import.run(job.pk)
    return client.get(response["Location"])


def test_only_committee_staff_open_the_import_page(client, world, audit_case, finance):
    for user in (world.liaison, finance.liaison, world.leader):
        client.force_login(user)
        assert client.get(IMPORT).status_code == 403
        assert client.post(IMPORT, {"case": audit_case.pk}).status_code == 403
    page = get(client, world.staff, IMPORT, case=audit_case.pk)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{audit_case.pk}" selected>' in html
    assert 'href="/cases/audit/template.xlsx"' in html
    # Staff of another committee follow no audit case up: nothing to choose.
    assert get(client, world.other_staff, IMPORT).context["has_cases"] is False


def test_the_template_downloads_and_opens(client, world):
    response = get(client, world.staff, "/cases/audit/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [cell.value for cell in sheet[1]] == HEADER


def test_an_imported_list_is_counted_and_the_ledger_shows_the_case(client, world, audit_case, finance,
                                                                    django_capture_on_commit_callbacks):
    client.force_login(world.staff)
    done = post_import(client, audit_case, upload(xlsx([row("SJ2023-01-001"), row("SJ2023-01-002")])),
                       django_capture_on_commit_callbacks)
    assert done.status_code == 302
    assert done["Location"] == f"{LEDGER}?case={audit_case.pk}"
    page = client.get(done["Location"])
    assert "新增 2 条，更新 0 条，未变 0 条" in page.content.decode()
    assert references(page) == ["SJ2023-01-001", "SJ2023-01-002"]
    again = post_import(client, audit_case, upload(xlsx([row("SJ2023-01-001", amount=150), row("SJ2023-01-002"),
                                                          row("SJ2023-01-003")])),
                        django_capture_on_commit_callbacks)
    assert "新增 1 条，更新 1 条，未变 1 条" in client.get(again["Location"]).content.decode()
    assert AuditProblem.objects.count() == 3


def test_a_running_import_shows_its_progress_and_reloads_itself(client, world, audit_case):
    client.force_login(world.staff)
    response = client.post(IMPORT, {"case": audit_case.pk, "file": upload(xlsx([row("SJ2023-01-001")]))})
    job = AuditImport.objects.get()
    assert job.state == "queued"  # the task runs once the upload is committed
    page = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "排队中" in page
    cache.set(f"audit-import:{job.pk}", {"phase": "saving", "done": 100, "total": 250})
    AuditImport.objects.filter(pk=job.pk).update(state="running")
    page = client.get(response["Location"]).content.decode()
    assert "已保存 100 / 250 个问题" in page
    assert '<progress max="250" value="100"' in page
    client.force_login(world.other_staff)
    assert client.get(response["Location"]).status_code == 404  # an import is its author's


def test_a_list_with_bad_rows_imports_nothing_and_shows_each_error_by_row_and_column(
        client, world, audit_case, django_capture_on_commit_callbacks):
    client.force_login(world.staff)
    bad = xlsx([row("SJ2023-01-001"), row("SJ2023-01-002", area="不存在的领域"), row("SJ2023-01-003", amount="一百")])
    response = post_import(client, audit_case, upload(bad), django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert not AuditProblem.objects.exists()
    html = lxml.html.fromstring(response.content.decode())
    table = [[cell.text_content() for cell in tr.xpath("./td")]
             for tr in by_testid(html, "import-errors", "//tbody/tr")]
    assert table == [
        ["3", "问题领域",
         "未知的问题领域“不存在的领域”，请使用：预算执行、部门预算、重大政策落实、专项资金、国有资产。"],
        ["4", "涉及金额（万元）", "请填写不小于 0 的数字（万元），如 1234.56。"]]
    assert [th.text_content() for th in by_testid(html, "import-errors", "//th")] == ["行", "列", "问题"]
    assert html.xpath(f'//select[@name="case"]/option[@value="{audit_case.pk}"]')[0].get("selected") is not None
    assert '<meta http-equiv="refresh"' not in response.content.decode()


def test_a_file_too_large_or_not_a_workbook_is_refused_with_a_clear_message(client, world, audit_case, settings):
    client.force_login(world.staff)
    response = client.post(IMPORT, {"case": audit_case.pk, "file": SimpleUploadedFile("清单.xlsx", PDF)})
    assert response.status_code == 400
    assert "PDF" in response.content.decode()
    settings.ATTACHMENT_MAX_BYTES = 1000
    response = client.post(IMPORT, {"case": audit_case.pk, "file": upload(xlsx([row("SJ2023-01-001")]))})
    assert response.status_code == 400
    assert "单个文件不得超过" in response.content.decode()
    assert not AuditProblem.objects.exists()


# --- 屡审屡犯 -----------------------------------------------------------------------------------------------------


def confirm_url(problem):
    return reverse("opinions:audit_confirm_repeat", args=[problem.pk])


def test_the_staff_confirm_a_suggested_repeat_from_the_ledger(client, world, ledger, finance):
    current, earlier = ledger.p["SJ2023-01-001"], AuditProblem.objects.get(reference="SJ2022-01-001")
    response = get(client, world.staff, audit_year=2023)
    html = lxml.html.fromstring(response.content.decode())
    forms = by_testid(html, "confirm-repeat")
    assert [form.get("action") for form in forms] == [confirm_url(current)]
    assert [option.get("value") for option in forms[0].xpath(".//option")] == [str(earlier.pk)]
    assert not get(client, finance.liaison).context["rows"][1].suggested  # the staff's, not the unit's

    client.force_login(finance.liaison)
    assert client.post(confirm_url(current), {"repeat_of": earlier.pk}).status_code == 403
    client.force_login(world.court_liaison)
    assert client.post(confirm_url(current), {"repeat_of": earlier.pk}).status_code == 404
    client.force_login(world.staff)
    other = ledger.p["SJ2023-01-003"]
    assert client.post(confirm_url(current), {"repeat_of": other.pk}).status_code == 400
    current.refresh_from_db()
    assert current.repeat_of is None

    response = client.post(confirm_url(current), {"repeat_of": earlier.pk, "back": "audit_year=2023"})
    assert response.status_code == 302
    assert response["Location"] == f"{LEDGER}?audit_year=2023#problem-{current.pk}"
    current.refresh_from_db()
    assert current.repeat_of == earlier
    page = client.get(response["Location"])
    assert "已确认 SJ2023-01-001 为 2022 年度 SJ2022-01-001 的屡审屡犯" in page.content.decode()
    assert 'data-testid="repeat-of">SJ2022-01-001（2022）' in page.content.decode()
    repeats = client.get(LEDGER, {"repeat": "true"})
    assert references(repeats) == ["SJ2023-01-001"]
    assert repeats.context["figures"].repeats == 1


# --- the case page: links, figures, the report by way ------------------------------------------------------------


def case_page(client, user, case):
    client.force_login(user)
    return client.get(reverse("opinions:case_detail", args=[case.pk])).content.decode()


def test_the_case_page_links_to_its_ledger_and_for_the_staff_to_the_import(client, world, ledger, finance):
    staff = case_page(client, world.staff, ledger.case)
    assert f'href="{LEDGER}?case={ledger.case.pk}"' in staff
    assert f'href="{IMPORT}?case={ledger.case.pk}"' in staff
    liaison = case_page(client, finance.liaison, ledger.case)
    assert f'href="{LEDGER}?case={ledger.case.pk}"' in liaison
    assert IMPORT not in liaison
    services.report_submit(case=ledger.case, actor=world.liaison, kind="final", title="整改情况报告", text="正文")
    assert IMPORT not in case_page(client, world.staff, ledger.case)  # the list is closed once the report is in


def test_the_case_page_shows_the_money_by_way_the_counts_and_who_verified(client, world, ledger):
    html = lxml.html.fromstring(case_page(client, world.staff, ledger.case))
    verified = html.get_element_by_id(f"item-{ledger.p['SJ2023-01-001'].item.number}")
    assert by_testid(verified, "audit-ways")[0].text_content() == "上缴财政 100.00"
    assert "建立健全制度 1 项" in by_testid(verified, "audit-counts")[0].text_content()
    assert by_testid(verified, "audit-verified")[0].text_content().startswith("staff，")
    reported = html.get_element_by_id(f"item-{ledger.p['SJ2023-01-002'].item.number}")
    assert by_testid(reported, "audit-ways")[0].text_content() == "拨付 60.00"
    assert not by_testid(reported, "audit-verified")


def report_url(case, problem):
    return reverse("opinions:item_action", args=[case.pk, problem.pk, "report-audit"])


def test_the_unit_reports_by_way_and_the_sum_becomes_the_amount_rectified(client, world, ledger, finance):
    problem = ledger.p["SJ2023-01-002"]
    prefix = f"item{problem.pk}-report-audit-"
    html = case_page(client, finance.liaison, ledger.case)
    page = lxml.html.fromstring(html)
    assert page.xpath(f'//input[@name="{prefix}disbursed"]')[0].get("value") == "60.00"  # the current totals
    assert page.xpath(f'//input[@name="{prefix}people_dealt_with"]')[0].get("value") == "2"
    assert f'action="{report_url(ledger.case, problem)}"' in html
    # The plain progress step is not offered on an audit problem: its amount is the ways' sum.
    assert f"/items/{problem.pk}/report-progress/" not in html
    assert f"/items/{problem.pk}/report-audit/" not in case_page(client, world.staff, ledger.case)

    client.force_login(finance.liaison)
    response = client.post(report_url(ledger.case, problem), {
        prefix + "progress_note": "已上缴 50 万元", prefix + "paid_to_treasury": "50", prefix + "disbursed": "60.00",
        prefix + "rules_made": "3", prefix + "people_dealt_with": "2", prefix + "matters_referred": "1",
        prefix + "files": [SimpleUploadedFile("缴款书.pdf", PDF)]})
    assert response.status_code == 302
    problem.refresh_from_db()
    problem.item.refresh_from_db()
    assert (problem.paid_to_treasury, problem.disbursed, problem.item.rectified_amount) == (
        Decimal("50.00"), Decimal("60.00"), Decimal("110.00"))
    assert (problem.rules_made, problem.people_dealt_with, problem.matters_referred) == (3, 2, 1)
    assert problem.item.progress_note == "已上缴 50 万元"
    assert list(problem.item.attachments.values_list("original_name", flat=True)) == ["缴款书.pdf"]
    assert get(client, world.staff, unit=finance.pk).context["figures"].amount_rectified == Decimal("210.00")


def test_more_than_the_amount_involved_is_refused_beside_the_field_and_nothing_is_lost(client, ledger, finance):
    problem = ledger.p["SJ2023-01-002"]  # 200 involved, 60 disbursed
    prefix = f"item{problem.pk}-report-audit-"
    client.force_login(finance.liaison)
    response = client.post(report_url(ledger.case, problem), {
        prefix + "progress_note": "挽回损失 150 万元", prefix + "disbursed": "60.00",
        prefix + "losses_recovered": "150", prefix + "people_dealt_with": "2"})
    assert response.status_code == 400
    page = lxml.html.fromstring(response.content.decode())
    url = report_url(ledger.case, problem)
    action = page.xpath(f'//details[@data-action="report-audit"][@open]/form[@action="{url}"]')
    assert len(action) == 1
    invalid = action[0].xpath('.//div[contains(@class, "field") and contains(@class, "invalid")]')
    assert [field.xpath(".//input")[0].get("name") for field in invalid] == [prefix + "losses_recovered"]
    assert "整改金额须在 0 与问题金额（200.00）之间" in invalid[0].text_content()
    assert action[0].xpath(".//textarea")[0].text_content().strip() == "挽回损失 150 万元"
    assert action[0].xpath(f'.//input[@name="{prefix}losses_recovered"]')[0].get("value") == "150"
    problem.refresh_from_db()
    problem.item.refresh_from_db()
    assert (problem.losses_recovered, problem.item.rectified_amount, problem.item.progress_note) == (
        None, Decimal("60.00"), "已拨付 60 万元")


def test_a_carried_over_problem_reported_by_way_answers_its_next_report_date(client, world, ledger):
    problem = ledger.p["SJ2023-01-003"]
    services.item_carry_over(item=problem.item, actor=world.staff, reason="分阶段整改",
                             next_report_date=today() + timedelta(days=60))
    prefix = f"item{problem.pk}-report-audit-"
    assert f"/items/{problem.pk}/report-follow-up/" not in case_page(client, world.fgw_liaison, ledger.case)
    response = client.post(report_url(ledger.case, problem), {prefix + "progress_note": "已拨付 100 万元",
                                                              prefix + "disbursed": "100"})
    assert response.status_code == 302
    problem.item.refresh_from_db()
    assert (problem.item.status, problem.item.next_report_date, problem.item.rectified_amount) == (
        "carried_over", None, Decimal("100.00"))


def test_a_problem_of_the_list_cannot_be_removed_from_a_draft(world, make_case):
    draft = make_case(kind="audit_rectification", items=[], co_bodies=[], title="审计整改（草稿）")
    Body.objects.create(name="安阳市财政局", short_name="市财政局", kind=BodyKind.DEPARTMENT)
    imported(draft, world, [row("SJ2023-01-001"), row("SJ2023-01-002")])
    kept = draft.items.order_by("number").first()
    with pytest.raises(InvalidInput) as refused:
        services.draft_items_set(case=draft, actor=world.staff, items=[{"pk": kept.pk, "heading": kept.heading}])
    assert "SJ2023-01-002" in refused.value.message
    assert draft.items.count() == 2


# --- English ------------------------------------------------------------------------------------------------------

CJK = re.compile(r"[\u3400-\u9fff]")


def visible_words(html: str, xpath: str) -> list[str]:
    """The page's own words in these elements (not the data: options, cells), with the bracketed terms taken out."""
    page = lxml.html.fromstring(html)
    for option in page.xpath("//option"):
        option.drop_tree()
    texts = [element.text_content() for element in page.xpath(xpath)]
    return [text for text in (re.sub(r"\([^)]*\)|（[^）]*）", "", t) for t in texts) if CJK.search(text)]


@pytest.fixture
def in_english(client):
    """Pages asked for in English; the language the requests leave active is put back afterwards."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def test_in_english_the_ledger_and_the_import_page_say_nothing_in_chinese(client, world, ledger, in_english):
    client.force_login(world.staff)
    ledger_page = client.get(LEDGER).content.decode()
    assert visible_words(ledger_page, "//main//h1 | //th | //caption | //form[@class='filters']//label | "
                                      "//span[@class='label'] | //a[@class='button'] | //button | "
                                      "//nav[@class='pager']") == []
    assert "Audit rectification ledger" in ledger_page
    import_page = client.get(IMPORT).content.decode()
    assert visible_words(import_page, "//main//h1 | //main//p | //main//label | //main//button") == []
    case = client.get(reverse("opinions:case_detail", args=[ledger.case.pk])).content.decode()
    assert visible_words(case, "//*[@data-testid='audit-problem']/dt | //*[@data-testid='audit-links']/a") == []


# --- the December report ----------------------------------------------------------------------------------------


def test_the_staff_write_and_issue_the_december_report_and_the_units_read_it(client, world, ledger, finance):
    url = f"/cases/{ledger.case.pk}/audit-report/"
    page = get(client, world.staff, url)
    html = page.content.decode()
    assert "关于 2023 年度市本级预算执行和其他财政收支审计查出问题整改情况的报告" in html
    assert page.context["summary"] == audit_report.summary_sentence(audit_report.figures(ledger.case))
    client.force_login(world.staff)
    words = {"introduction": "市政府高度重视。", "measures": "压实责任。", "next_steps": "持续督促。"}
    saved = client.post(url, {**words, "save": ""})
    assert saved.status_code == 302
    assert AuditReportText.objects.get(case=ledger.case).measures == "压实责任。"
    issued = client.post(url, {**words, "issue": ""})
    assert issued["Location"] == f"/cases/{ledger.case.pk}/"
    kept = ledger.case.attachments.get()
    assert kept.original_name.endswith("整改情况的报告.docx")
    assert AuditReportText.history.filter(case=ledger.case).count() == 2  # saved, then saved again on issuing
    reader = get(client, finance.liaison, url)
    assert reader.status_code == 200
    assert reader.context["form"] is None
    assert "压实责任。" in reader.content.decode()
    client.force_login(finance.liaison)
    assert client.post(url, {**words}).status_code == 403
    download = client.get(f"/cases/{ledger.case.pk}/audit-report.docx")
    assert download.status_code == 200
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert "压实责任。" in [p.text for p in document.paragraphs]


def test_a_report_without_problems_says_to_import_first_and_other_cases_have_none(client, world, audit_case,
                                                                                  received_case):
    page = get(client, world.staff, f"/cases/{audit_case.pk}/audit-report/")
    assert "请先导入审计机关的问题清单" in page.content.decode()
    download = client.get(f"/cases/{audit_case.pk}/audit-report.docx")
    assert download.status_code == 302
    assert get(client, world.staff, f"/cases/{received_case.pk}/audit-report/").status_code == 404
    assert get(client, world.court_liaison, f"/cases/{audit_case.pk}/audit-report/").status_code == 404
