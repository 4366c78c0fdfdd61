"""The ledger (台账, issue 15 §6 and issue 18 §2): numbered 1…N in the list's order, with a heading, an as-of line,
an auto-filter and a print set-up; 签收日期, 办结日期 and the latest 测评结果 in the workbook and the CSV; the items
sheet names each item's case by its running number and follows the case sheet's order; a constant number of
queries whatever the number of cases."""

import csv
import io
import re
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opinions import exports, services
from opinions.models import Case, CaseItem, Evaluation, Meeting
from opinions.selectors import by_urgency, case_list, today
from tests.cases import accepted

pytestmark = pytest.mark.django_db

FORMULA_TITLE = '=HYPERLINK("http://evil.example/","点此查看")'
COLUMNS = ["序号", "文号", "标题", "会议", "类别", "交办日期", "签收日期", "主办单位", "协办单位", "督办机构",
           "截止日期", "期限暂定", "状态", "剩余天数（负数表示已逾期）", "办结日期", "测评结果", "意见事项",
           "已销号意见事项", "最后更新"]
RECEIVED, CLOSED, RESULT, LAST_UPDATED = (COLUMNS.index(name)
                                          for name in ("签收日期", "办结日期", "测评结果", "最后更新"))


def evaluate(case, world, satisfied, basically, dissatisfied, **kwargs):
    return services.evaluation_record(case=case, actor=world.staff, satisfied=satisfied,
                                      basically_satisfied=basically, dissatisfied=dissatisfied, entitled_to_vote=46,
                                      **kwargs)


@pytest.fixture
def ledger_cases(issued_case, make_case, world):
    """The first case, received 2020-09-05, evaluated 不满意, reported on again and evaluated 满意: closed today.
    The second, created after it, issued and still owed: most urgent, so first in the list."""
    evaluated = accepted(issued_case, world)  # acknowledged on 2020-09-05
    Meeting.objects.create(term=15, session=17, start_date=today() + timedelta(days=60))  # the re-report's session
    evaluate(evaluated, world, 5, 5, 30, follow_up="逐条说明整改成效")
    follow_up = CaseItem.objects.get(case=evaluated, kind="follow_up")
    services.item_report_progress(item=follow_up, actor=world.liaison, progress_note="已逐条说明")
    services.item_mark_done(item=follow_up, actor=world.liaison, measures="已落实")
    services.report_submit(case=evaluated, actor=world.liaison, kind="final", title="再次报告", text="正文")
    services.report_accept(case=evaluated, actor=world.staff, verify_done=True)
    evaluate(evaluated, world, 30, 10, 2)
    owed = services.case_issue(case=make_case(title=FORMULA_TITLE), actor=world.staff, issued_date=date(2020, 9, 3))
    evaluated = Case.objects.get(pk=evaluated.pk)
    assert evaluated.status == "closed"
    assert evaluated.closed_date == today()
    assert list(Evaluation.objects.filter(case=evaluated).order_by("recorded_at").values_list("result", flat=True)) \
        == ["dissatisfied", "satisfied"]
    return owed, evaluated


def download(client, world, name: str) -> bytes:
    client.force_login(world.staff)
    response = client.get(reverse(name))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_workbook_is_a_numbered_ledger_with_heading_filter_and_print_setup(client, world, ledger_cases):
    owed, evaluated = ledger_cases
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, world, "opinions:case_export_xlsx")))
    cases, items = workbook.worksheets
    assert (cases.title, items.title) == ("案件", "意见事项")
    assert cases["A1"].value == "审议意见跟踪督办台账"
    assert cases["A1"].font.b
    assert items["A1"].value == "审议意见跟踪督办台账（意见事项）"
    assert cases["A2"].value == items["A2"].value == "截至 2026-06-10"
    assert {"A1:S1", "A2:S2"} <= {str(merged) for merged in cases.merged_cells.ranges}
    assert [cell.value for cell in cases[3]] == COLUMNS
    assert cases["A3"].font.b
    assert cases["A3"].alignment.wrap_text
    assert cases.freeze_panes == items.freeze_panes == "A4"
    assert cases.auto_filter.ref == "A3:S5"  # the header and the two cases
    assert cases.print_title_rows == items.print_title_rows == "$3:$3"  # the column header on every page
    setup = cases.page_setup
    # Fit to one page wide (fitToWidth is left out at its default, 1), as many pages long as it takes; A4 is 9.
    assert (setup.orientation, setup.paperSize, setup.fitToWidth or 1, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert cases.sheet_properties.pageSetUpPr.fitToPage

    rows = list(cases.iter_rows(min_row=4, values_only=True))
    assert [row[0] for row in rows] == [1, 2]  # running numbers, in the list's order: the owed case first
    assert [row[2] for row in rows] == [owed.title, evaluated.title]
    assert rows[0][RECEIVED] is None
    assert rows[0][CLOSED] is None
    assert rows[0][RESULT] is None
    assert rows[1][RECEIVED] == datetime(2020, 9, 5)
    assert rows[1][CLOSED] == datetime(2026, 6, 10)
    assert rows[1][RESULT] == "满意"  # the latest evaluation's, not the 不满意 before it
    for column in (5, RECEIVED, CLOSED):
        cell = cases.cell(row=5, column=column + 1)
        assert cell.is_date
        assert cell.number_format == "yyyy-mm-dd"
    updated = cases.cell(row=5, column=LAST_UPDATED + 1)
    assert updated.is_date
    assert updated.number_format == "yyyy-mm-dd hh:mm"
    assert updated.value.date() == today()

    title = cases["C4"]
    assert (title.data_type, title.value, title.quotePrefix) == ("s", FORMULA_TITLE, True)
    assert not [cell for sheet in (cases, items) for row in sheet.iter_rows() for cell in row
                if cell.data_type == "f"]


def test_the_items_sheet_names_each_case_by_its_running_number_in_the_case_sheets_order(client, world,
                                                                                        ledger_cases):
    owed, evaluated = ledger_cases
    assert owed.pk > evaluated.pk  # by id, the evaluated case's items would come first
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, world, "opinions:case_export_xlsx")))
    items = workbook.worksheets[1]
    assert items["A3"].value == "案件序号"
    rows = list(items.iter_rows(min_row=4, values_only=True))
    expected = [(1, owed.title, item.number) for item in owed.items.order_by("number")] + [
        (2, evaluated.title, item.number) for item in evaluated.items.order_by("number")]
    assert [(row[0], row[1], row[2]) for row in rows] == expected
    assert len(expected) == 5  # two items each, and the follow-up item of the 不满意 vote
    assert items.auto_filter.ref == f"A3:K{3 + len(expected)}"


def test_the_csv_has_the_same_columns_and_last_updated_to_the_minute(client, world, ledger_cases):
    content = download(client, world, "opinions:case_export").decode()
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0] == COLUMNS
    assert [row[0] for row in rows[1:]] == ["1", "2"]
    assert rows[1][2] == f"'{FORMULA_TITLE}"
    assert (rows[1][RECEIVED], rows[1][CLOSED], rows[1][RESULT]) == ("", "", "")
    assert (rows[2][RECEIVED], rows[2][CLOSED], rows[2][RESULT]) == ("2020-09-05", "2026-06-10", "满意")
    for row in rows[1:]:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", row[LAST_UPDATED]), row[LAST_UPDATED]
        assert row[LAST_UPDATED].startswith("2026-06-10 ")  # in Shanghai time, as the clock was set


def test_the_ledger_makes_as_many_queries_for_many_cases_as_for_one(world, make_case):
    def count_queries() -> int:
        cases = by_urgency(case_list(world.staff))
        with CaptureQueriesContext(connection) as queries:
            exports.ledger_workbook(cases).close()
            list(exports.ledger_csv(cases))
        return len(queries)

    make_case(title="第一件")
    one = count_queries()
    for n in range(5):
        services.case_issue(case=make_case(title=f"第{n}件", co_bodies=[world.fgw, world.court]), actor=world.staff,
                            issued_date=date(2020, 9, 3))
    assert count_queries() == one
