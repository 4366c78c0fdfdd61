"""The ledger (台账) of a filtered case list: as CSV, and as an Excel workbook with a sheet of cases and one of
items. Both stream: rows are read from the database in chunks, and the workbook is written row by row to a
temporary file (openpyxl's write-only mode), so memory does not grow with the number of cases.

Text typed by users (a title, a progress note) that starts like a formula is written as text, never as a formula
(design.md rule 15): "=HYPERLINK(…)" in a ledger would otherwise run on the desk of whoever opens it."""

import csv
import itertools
import tempfile
from collections.abc import Iterator
from datetime import date, datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .models import Case, CaseItem
from .selectors import today, with_item_counts
from .workflow import OWED_STATUSES

CHUNK = 2000

# What a spreadsheet reads as the start of a formula (OWASP, CSV injection), tab and carriage return included.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def ledger_header() -> list[str]:
    return [_("No."), _("Document number"), _("Title"), _("Meeting"), _("Kind"), _("Issued on"), _("Lead body"),
            _("Co-handling bodies"), _("Supervising committee"), _("Due date"), _("Due date provisional"), _("Status"),
            _("Days left (negative: overdue)"), _("Items"), _("Items closed"), _("Last updated")]


def _with_last_update(cases):
    latest = Case.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date").values("history_date")
    return cases.annotate(last_updated=Subquery(latest[:1]))


def _labels(model, field_name: str) -> dict:
    """A choice field's labels, translated once per export: get_FOO_display() costs a translation lookup on every
    row, a third of the time of a 10,000-case ledger."""
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def ledger_rows(cases) -> Iterator[list]:
    """One row per case; dates stay dates (the CSV writes them as YYYY-MM-DD, the workbook as date cells)."""
    as_of = today()
    kinds, statuses = _labels(Case, "kind"), _labels(Case, "status")
    provisional = _("provisional")
    cases = (with_item_counts(_with_last_update(cases))
             .select_related("lead_body", "meeting", "supervising_committee"))
    for case in cases.prefetch_related("co_bodies").iterator(chunk_size=CHUNK):
        yield [
            case.pk, case.doc_number, case.title, str(case.meeting) if case.meeting else None,
            kinds.get(case.kind, case.kind), case.issued_date, case.lead_body.name,
            "、".join(body.name for body in case.co_bodies.all()) or None,
            case.supervising_committee.name if case.supervising_committee else None, case.due_date,
            provisional if case.due_provisional else None, statuses.get(case.status, case.status),
            case.days_to_due(as_of) if case.status in OWED_STATUSES else None,
            case.item_count, case.items_closed,
            timezone.localtime(case.last_updated).replace(tzinfo=None) if case.last_updated else None,
        ]


def item_header() -> list[str]:
    return [_("Case No."), _("Case title"), _("Item"), _("Heading"), _("Responsible body"), _("Status"),
            _("Amount involved (10,000 yuan)"), _("Amount rectified (10,000 yuan)"), _("Measures taken"),
            _("Latest progress"), _("Committee's remark")]


def item_rows(cases) -> Iterator[list]:
    # Plain rows, not model instances: a ledger has five items per case, and building four objects per item (the
    # item, its case, two bodies) would cost more than writing the row.
    items = (CaseItem.objects.filter(case__in=cases.values("pk")).order_by("case_id", "number")
             .values_list("case_id", "case__title", "number", "heading", "responsible_body__name",
                          "case__lead_body__name", "status", "amount", "rectified_amount", "measures",
                          "progress_note", "committee_note"))
    statuses = _labels(CaseItem, "status")
    for (case_id, title, number, heading, responsible, lead, status, amount, rectified, measures, progress,
         remark) in items.iterator(chunk_size=CHUNK):
        yield [case_id, title, number, heading, responsible or lead, statuses.get(status, status), amount,
               rectified, measures or None, progress or None, remark or None]


CASE_WIDTHS = [8, 22, 48, 30, 22, 12, 24, 24, 24, 12, 12, 12, 8, 8, 17]
ITEM_WIDTHS = [8, 40, 6, 48, 24, 14, 12, 12, 48, 48, 30]
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


def _sheet(workbook, title: str, header: list[str], rows: Iterator[list], widths: list[int]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"  # the header stays in view while scrolling
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, Alignment(wrap_text=True)
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])


def _cell(sheet, value):
    if isinstance(value, datetime | date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, datetime) else "yyyy-mm-dd"
        return cell
    if _looks_like_formula(value):
        # The text as typed, in a text cell; quotePrefix keeps it text when someone edits it in Excel.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type, cell.quotePrefix = "s", True
        return cell
    return value


def ledger_csv(cases) -> Iterator[str]:
    """The case rows as CSV lines, UTF-8 with a BOM so that Excel shows the Chinese correctly. A cell that looks like
    a formula gets a leading apostrophe (OWASP): CSV has no cell types, so that is the only way to say "text";
    numbers, negative ones included, are not strings and stay as they are."""

    class Line:
        def write(self, value):
            return value

    writer = csv.writer(Line())
    header = "\ufeff" + writer.writerow(ledger_header())  # now, in the language of the request
    rows = (writer.writerow([f"'{value}" if _looks_like_formula(value) else value for value in row])
            for row in ledger_rows(cases))
    return itertools.chain([header], rows)


def ledger_workbook(cases):
    """The workbook in a temporary file, ready to be streamed; it is deleted when closed."""
    workbook = Workbook(write_only=True)
    _sheet(workbook, _("Cases"), ledger_header(), ledger_rows(cases), CASE_WIDTHS)
    _sheet(workbook, _("Items"), item_header(), item_rows(cases), ITEM_WIDTHS)
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 -- the response streams it, then closes it
    workbook.save(output)
    output.seek(0)
    return output
