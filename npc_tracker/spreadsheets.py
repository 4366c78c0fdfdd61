"""Ledgers (台账) of many rows as Excel workbooks and CSV, written as the rows are read: memory does not grow with
the number of rows. Knows nothing of the apps: a caller gives each sheet's title, header, column widths and rows
(lists of plain values), and the heading and as-of line already translated.

The workbook is written by XlsxWriter in constant-memory mode into a temporary file: each row goes to disk as soon
as the next one starts, so rows must come in order, and a sheet's rows are read to the end before the next sheet
starts. Every sheet is laid out the same way: the heading (bold, across the columns), the as-of line, the column
header (bold, shaded, wrapped), then the data; the panes are frozen below the header, the header and data carry an
auto-filter, and it prints landscape on A4, one page wide, the column header repeated on every page and the heading,
as-of and page number in the footer.

Cells keep their type: str as text, int/float/Decimal as numbers, date as a yyyy-mm-dd date cell, datetime as
yyyy-mm-dd hh:mm (an aware one in the current time zone), None and "" as an empty cell. Text is always a text cell:
text that starts like a formula ("=HYPERLINK(…)", design.md rule 15) is never a formula — written as text, and
marked so that it stays text when someone edits the cell in Excel. The CSV, which has no cell types, puts an
apostrophe before such text instead (OWASP, CSV injection).
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO

import xlsxwriter
from django.utils import timezone

# What a spreadsheet reads as the start of a formula (OWASP, CSV injection), tab and carriage return included.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Rows of a sheet above the data: the heading, the as-of line, the column header.
HEADING_ROW, AS_OF_ROW, HEADER_ROW = 0, 1, 2
FIRST_DATA_ROW = HEADER_ROW + 1
MAX_ROWS = 1_048_576  # Excel's limit per sheet
A4 = 9  # XlsxWriter's paper code
HEADER_FILL = "#F2DCDB"


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


@dataclass(frozen=True)
class Sheet:
    """One sheet: its tab's `title` (Excel allows 31 characters, none of []:*?/\\), the column `header`, the `rows`
    (an iterable of sequences of values, one per column, read once and in order — a generator over a database
    cursor keeps memory flat), the column `widths` in characters (a CJK character counts as two; empty: Excel's
    default), and the `heading` of its first row when it is not the workbook's."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[float] = ()
    heading: str | None = None

    def __post_init__(self):
        if not self.header:
            raise ValueError(f"Sheet {self.title!r} has no columns.")
        if self.widths and len(self.widths) != len(self.header):
            raise ValueError(f"Sheet {self.title!r}: {len(self.widths)} widths for {len(self.header)} columns.")


def write_workbook(sheets: Iterable[Sheet], *, heading: str, as_of: str) -> IO[bytes]:
    """The workbook of `sheets`, in order, in a temporary file positioned at its start, ready to be streamed (a
    FileResponse closes it, which deletes it). `heading` is each sheet's first row (unless the sheet has its own)
    and `as_of` its second, e.g. "截至 2026-06-10"; both also go in the printed footer."""
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 -- returned open: the caller streams it
    try:
        workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
        formats = _Formats(workbook)
        for sheet in sheets:
            _write_sheet(workbook, formats, sheet, heading=sheet.heading or heading, as_of=as_of)
        workbook.close()
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output


class _Formats:
    def __init__(self, workbook):
        self.heading = workbook.add_format({"bold": True, "font_size": 14, "valign": "vcenter"})
        self.as_of = workbook.add_format({"valign": "vcenter"})
        self.header = workbook.add_format({"bold": True, "bg_color": HEADER_FILL, "text_wrap": True,
                                           "valign": "top", "border": 1})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        # Text that starts like a formula: a text cell with Excel's quote prefix ('), so that editing the cell
        # keeps it text.
        self.quoted = workbook.add_format({"quote_prefix": True})
        self.plain = workbook.add_format()


def _write_sheet(workbook, formats: _Formats, sheet: Sheet, *, heading: str, as_of: str) -> None:
    worksheet = workbook.add_worksheet(sheet.title)
    last_column = len(sheet.header) - 1
    for column, width in enumerate(sheet.widths):
        worksheet.set_column(column, column, width)
    # In constant-memory mode a row is final once a later one is written: the rows above the data come first.
    worksheet.set_row(HEADING_ROW, 24)
    write_string = _string_writer(worksheet, formats)
    for row, text, cell_format in ((HEADING_ROW, heading, formats.heading), (AS_OF_ROW, as_of, formats.as_of)):
        if last_column:
            worksheet.merge_range(row, 0, row, last_column, "", cell_format)
        write_string(row, 0, text, cell_format)
    for column, text in enumerate(sheet.header):
        write_string(HEADER_ROW, column, text, formats.header)
    last_row = _write_rows(worksheet, formats, sheet.rows)
    worksheet.freeze_panes(FIRST_DATA_ROW, 0)
    worksheet.autofilter(HEADER_ROW, 0, last_row, last_column)
    worksheet.set_landscape()
    worksheet.set_paper(A4)
    worksheet.fit_to_pages(1, 0)  # one page wide, as many long as it takes
    worksheet.repeat_rows(HEADER_ROW)
    footer = f"{heading}  {as_of}".replace("&", "&&")
    worksheet.set_footer(f"&L{footer}&R&P / &N")


def _write_rows(worksheet, formats: _Formats, rows: Iterable[Sequence]) -> int:
    """Writes the rows below the header; returns the last row's index (the header's if there are none)."""
    write_string, write_number, write_datetime = (_string_writer(worksheet, formats), worksheet.write_number,
                                                  worksheet.write_datetime)
    row = HEADER_ROW
    for row, values in enumerate(rows, start=FIRST_DATA_ROW):
        if row >= MAX_ROWS:
            raise ValueError(f"More rows than an Excel sheet holds ({MAX_ROWS:,}).")
        for column, value in enumerate(values):
            kind = type(value)
            if kind is str:
                if value:
                    write_string(row, column, value)
            elif value is None:
                continue
            elif kind is int or kind is float:
                write_number(row, column, value)
            elif kind is Decimal:
                write_number(row, column, float(value))
            elif kind is date:
                write_datetime(row, column, value, formats.date)
            elif kind is datetime:
                write_datetime(row, column, _naive(value), formats.datetime)
            else:
                _write_other(worksheet, formats, write_string, row, column, value)
    return row


def _write_other(worksheet, formats: _Formats, write_string, row: int, column: int, value) -> None:
    """Subclasses (a TextChoices member is a str, an IntEnum an int, bool an int) and anything else, as text."""
    if isinstance(value, bool):
        worksheet.write_boolean(row, column, value)
    elif isinstance(value, int | float | Decimal):
        worksheet.write_number(row, column, float(value))
    elif isinstance(value, datetime):
        worksheet.write_datetime(row, column, _naive(value), formats.datetime)
    elif isinstance(value, date):
        worksheet.write_datetime(row, column, value, formats.date)
    elif text := str(value):
        write_string(row, column, text)


def _string_writer(worksheet, formats: _Formats):
    """write_string that keeps every text a text, in two cases where XlsxWriter would not:
    - text starting like a formula is already a text cell with write_string (write() would make it a formula);
      the quote prefix keeps it text when the cell is edited;
    - text of the form "<r>…</r>" is taken by XlsxWriter for the XML of a rich string it built itself and copied
      into the file unescaped (XlsxWriter 3.3.1, worksheet._write_cell): typed by a user, it could close the cell
      and add a formula of its own. It is written as a two-run rich string instead, which XlsxWriter escapes; the
      text is the same."""
    write = worksheet.write_string

    def write_string(row: int, column: int, text: str, cell_format=None) -> None:
        if text.startswith(FORMULA_START):
            write(row, column, text, formats.quoted)
        elif text.startswith("<r>") and text.endswith("</r>"):
            worksheet.write_rich_string(row, column, text[0], formats.plain, text[1:], cell_format or formats.plain)
        else:
            write(row, column, text, cell_format)

    return write_string


def _naive(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(tzinfo=None) if moment.tzinfo else moment


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The rows as CSV lines for a StreamingHttpResponse: UTF-8 with a byte-order mark, so that Excel shows the
    Chinese correctly; dates YYYY-MM-DD, date-times YYYY-MM-DD HH:MM (an aware one in the current time zone),
    decimals as written (120.50), None empty. Text that starts like a formula gets a leading apostrophe (OWASP):
    CSV has no cell types, so that is the only way to say "text"; numbers, negative ones included, are not text
    and stay as they are."""

    class Line:
        def write(self, value):
            return value

    writer = csv.writer(Line())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_csv_value(value) for value in row])


def _csv_value(value):
    if isinstance(value, str):
        return f"'{value}" if value.startswith(FORMULA_START) else value
    if isinstance(value, datetime):
        return f"{_naive(value):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return value
