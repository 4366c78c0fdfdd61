"""The ledger (台账) of a filtered case list: as CSV, and as an Excel workbook with a sheet of cases and one of
items, both written by npc_tracker.spreadsheets. Both stream: rows are read from the database in chunks, as plain
values (no model instances), and the workbook is written row by row to a temporary file, so memory does not grow
with the number of cases.

序号 is the running number of a case in the ledger (1…N, in the list's order), not its database id: that is what a
printed ledger is read and cited by. The item sheet names each item's case by that number (and its title), and
lists the items in the order of the case sheet: a title alone is ambiguous (every year has its 审计查出问题整改
opinion) and a 文号 may be missing.

Text typed by users (a title, a progress note) that starts like a formula stays text, never a formula (design.md
rule 15): "=HYPERLINK(…)" in a ledger would otherwise run on the desk of whoever opens it."""

from array import array
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from npc_tracker.spreadsheets import Sheet, csv_lines, write_workbook

from .deadlines import DueDate, days_left
from .models import Case, CaseItem, Evaluation, Meeting
from .selectors import today, with_item_counts
from .workflow import OWED_STATUSES

CHUNK = 2000


def ledger_header() -> list[str]:
    return [_("No."), _("Document number"), _("Title"), _("Meeting"), _("Kind"), _("Issued on"), _("Received on"),
            _("Lead body"), _("Co-handling bodies"), _("Supervising committee"), _("Due date"),
            _("Due date provisional"), _("Status"), _("Days left (negative: overdue)"), _("Closed on"),
            _("Evaluation result"), _("Items"), _("Items closed"), _("Last updated")]


CASE_WIDTHS = [6, 22, 48, 30, 22, 12, 12, 24, 24, 24, 12, 10, 12, 10, 12, 12, 8, 8, 17]


def _with_last_update(cases):
    latest = Case.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date").values("history_date")
    return cases.annotate(last_updated=Subquery(latest[:1]))


def _with_evaluation_result(cases):
    """The result of the case's latest satisfaction evaluation (a case re-handled after 不满意 is evaluated again)."""
    latest = (Evaluation.objects.filter(case=OuterRef("pk")).order_by("-recorded_at", "-pk").values("result"))
    return cases.annotate(evaluation_result=Subquery(latest[:1]))


def _labels(model, field_name: str) -> dict:
    """A choice field's labels, translated once per export: get_FOO_display() costs a translation lookup on every
    row."""
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


CASE_COLUMNS = ("pk", "doc_number", "title", "meeting_id", "kind", "issued_date", "received_date", "lead_body__name",
                "supervising_committee__name", "due_date", "due_basis", "status", "closed_date", "evaluation_result",
                "item_count", "items_closed", "last_updated")


def ledger_rows(cases, *, shown: array | None = None) -> Iterator[list]:
    """One row per case, numbered 1…N in the order of `cases`; dates stay dates (the CSV writes them as YYYY-MM-DD,
    the workbook as date cells). The id of each case is appended to `shown` as its row is made (the item sheet
    follows the same order)."""
    as_of = today()
    kinds, statuses = _labels(Case, "kind"), _labels(Case, "status")
    results = _labels(Evaluation, "result")
    provisional = _("provisional")
    meetings = {meeting.pk: str(meeting) for meeting in Meeting.objects.all()}  # tens a year: read once
    cases = with_item_counts(_with_evaluation_result(_with_last_update(cases))).values_list(*CASE_COLUMNS)
    number = 0
    for chunk in _chunks(cases.iterator(chunk_size=CHUNK), CHUNK):
        co_bodies = _co_bodies([row[0] for row in chunk])
        for (pk, doc_number, title, meeting, kind, issued, received, lead_body, committee, due, due_basis, status,
             closed, result, item_count, items_closed, last_updated) in chunk:
            number += 1
            if shown is not None:
                shown.append(pk)
            yield [
                number, doc_number or None, title, meetings.get(meeting), kinds.get(kind, kind), issued, received,
                lead_body, co_bodies.get(pk), committee, due,
                provisional if DueDate.stored_is_provisional(due_basis) else None, statuses.get(status, status),
                days_left(due, as_of) if due and status in OWED_STATUSES else None, closed,
                results.get(result, result), item_count, items_closed, last_updated,
            ]


def _co_bodies(case_ids: list[int]) -> dict[int, str]:
    """The co-handling bodies of a chunk of cases, joined with 、, in one query."""
    links = (Case.co_bodies.through.objects.filter(case_id__in=case_ids).order_by("body__kind", "body__name")
             .values_list("case_id", "body__name"))
    names = {}
    for case_id, name in links:
        names.setdefault(case_id, []).append(name)
    return {case_id: "、".join(bodies) for case_id, bodies in names.items()}


def item_header() -> list[str]:
    return [_("Case No."), _("Case title"), _("Item"), _("Heading"), _("Responsible body"), _("Status"),
            _("Amount involved (10,000 yuan)"), _("Amount rectified (10,000 yuan)"), _("Measures taken"),
            _("Latest progress"), _("Committee's remark")]


ITEM_WIDTHS = [8, 40, 6, 48, 24, 14, 12, 12, 48, 48, 30]


def item_rows(shown: array) -> Iterator[list]:
    """The items of the cases in `shown` (their ids, in the order of the case sheet), case by case in that order,
    each with its case's running number. Read a chunk of cases at a time; plain rows, not model instances: a ledger
    has five items per case, and building four objects per item would cost more than writing the row."""
    statuses = _labels(CaseItem, "status")
    for start in range(0, len(shown), CHUNK):
        chunk = shown[start:start + CHUNK]
        by_case = {}
        items = (CaseItem.objects.filter(case_id__in=chunk.tolist()).order_by("case_id", "number")
                 .values_list("case_id", "case__title", "number", "heading", "responsible_body__name",
                              "case__lead_body__name", "status", "amount", "rectified_amount", "measures",
                              "progress_note", "committee_note"))
        for item in items:
            by_case.setdefault(item[0], []).append(item)
        for number, case_id in enumerate(chunk, start=start + 1):
            for (_case, title, item_number, heading, responsible, lead, status, amount, rectified, measures, progress,
                 remark) in by_case.get(case_id, ()):
                yield [number, title, item_number, heading, responsible or lead, statuses.get(status, status), amount,
                       rectified, measures or None, progress or None, remark or None]


def ledger_csv(cases) -> Iterator[str]:
    """The case rows as CSV lines (npc_tracker.spreadsheets.csv_lines: UTF-8 with a BOM, formula-like text after
    an apostrophe, date-times to the minute)."""
    return csv_lines(ledger_header(), ledger_rows(cases))  # the header now, in the language of the request


def ledger_workbook(cases):
    """The workbook in a temporary file, ready to be streamed; it is deleted when closed."""
    shown = array("q")  # the cases' ids in the order of the case sheet: 8 bytes a case
    heading = _("Ledger of deliberation opinions")
    return write_workbook([
        Sheet(_("Cases"), ledger_header(), ledger_rows(cases, shown=shown), CASE_WIDTHS),
        # Read after the case sheet is written (write_workbook writes the sheets in order), so `shown` is full.
        Sheet(_("Items"), item_header(), item_rows(shown), ITEM_WIDTHS, heading=_("%(ledger)s: items") % {
            "ledger": heading}),
    ], heading=heading, as_of=_("as of %(day)s") % {"day": f"{today():%Y-%m-%d}"})
