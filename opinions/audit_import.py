"""The audit office's problem list, from Excel (issue 15 §2): a template to fill in, and an import that checks every
row and names each error by row and column, imports nothing while any row is wrong, and updates rather than
duplicates on re-import (by year and the problem's own reference).

A long list is imported by a task (start() then run()), so the page and the API can show how far it has got; the
progress lives in the cache (the saving is one transaction, which no other connection sees before it commits).

The cost is bounded: at most MAX_ROWS problems and MAX_COLUMNS columns are read, whatever the file holds."""

import itertools
import logging
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from agencies.models import Body
from npc_tracker.errors import DomainError, InvalidInput

from . import uploads
from .choices import RectificationType
from .models import AuditArea, AuditImport, AuditProblem, Case
from .services.audit import ListedProblem, ListSaved, audit_problems_save, check_list_case

logger = logging.getLogger(__name__)

MAX_ROWS = 5000
MAX_COLUMNS = 30
HEADER_SEARCH_ROWS = 5  # the header may sit under a title row or two

# (key, the column's heading in the template, in English, required). Offices work in Chinese, so the template's
# headings are; an English heading is recognised too.
COLUMNS = (
    ("reference", "问题编号", "Reference", True),
    ("audit_year", "审计年度", "Audit year", True),
    ("area", "问题领域", "Area", True),
    ("problem_type", "问题类型", "Problem type", True),
    ("unit", "责任单位", "Unit responsible", True),
    ("heading", "问题概要", "Summary", True),
    ("text", "问题描述", "Description", False),
    ("amount", "涉及金额（万元）", "Amount involved (10,000 yuan)", False),
    ("rectification_type", "整改类型", "Rectification type", True),
)
RECTIFICATION_WORDS = {"立行立改": RectificationType.IMMEDIATE, "分阶段整改": RectificationType.PHASED,
                       "持续整改": RectificationType.CONTINUING}
LIMITS = {"reference": 40, "problem_type": 100, "heading": 500}


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it
    column: str  # the column's heading
    message: str


def describe(error: RowError) -> str:
    """One error as a sentence: where, then what."""
    if not error.row:
        return error.message
    if not error.column:
        return _("Row %(row)d: %(message)s") % {"row": error.row, "message": error.message}
    return _("Row %(row)d, %(column)s: %(message)s") % {"row": error.row, "column": error.column,
                                                          "message": error.message}


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    saved: ListSaved | None = None


class _Row:
    def __init__(self, number: int, values: dict):
        self.number, self.values, self.errors = number, values, []

    def error(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.number, column_heading(key), message))


def column_heading(key: str) -> str:
    zh, en = next((zh, en) for name, zh, en, _required in COLUMNS if name == key)
    return en if (get_language() or "").startswith("en") else zh


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a reference or year typed as a number
    return str(value).strip()


def _find_header(rows) -> tuple[int, dict[str, int]] | None:
    """The row number of the header and each column's position, by its Chinese or English heading."""
    names = {}
    for key, zh, en, _required in COLUMNS:
        names[zh] = names[en.casefold()] = key
    for number, row in rows:
        found = {}
        for index, cell in enumerate(row):
            key = names.get(_text(cell)) or names.get(_text(cell).casefold())
            if key is not None:
                found.setdefault(key, index)
        if "reference" in found:
            return number, found
    return None


def read_rows(file) -> tuple[list[_Row], list[RowError]]:
    """The filled rows of the first sheet, with their values by column key; or the reason the file cannot be read."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return [], [RowError(0, "", _("The file is not an Excel workbook (.xlsx): download the template and fill "
                                      "it in."))]
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        numbered = enumerate(rows, start=1)
        # Searching stops at the header, so the rows after it are still to come from `numbered`.
        header = _find_header(itertools.islice(numbered, HEADER_SEARCH_ROWS))
        if header is None:
            return [], [RowError(0, "", _("No header row with the template's columns was found in the first %(n)d "
                                          "rows.") % {"n": HEADER_SEARCH_ROWS})]
        header_row, positions = header
        missing = [key for key, _zh, _en, required in COLUMNS if required and key not in positions]
        if missing:
            return [], [RowError(header_row, column_heading(key), _("This column is missing.")) for key in missing]
        found = []
        for number, row in numbered:
            values = {key: row[index] if index < len(row) else None for key, index in positions.items()}
            if all(_text(value) == "" for value in values.values()):
                continue  # an empty line
            if len(found) == MAX_ROWS:
                return [], [RowError(number, "", _("At most %(n)d problems per file: split the list.")
                                     % {"n": MAX_ROWS})]
            found.append(_Row(number, values))
        return found, []
    finally:
        workbook.close()


def _lookups(rows: list[_Row]):
    areas = {area.name: area for area in AuditArea.objects.filter(active=True)}
    names = {_text(row.values.get("unit")) for row in rows} - {""}
    units = {}
    for body in Body.objects.filter(Q(name__in=names) | Q(short_name__in=names), is_active=True):
        units.setdefault(body.name, body)
        units.setdefault(body.short_name, body)
    types = {**RECTIFICATION_WORDS, **{value: value for value in RectificationType.values},
             **{str(label): value for value, label in RectificationType.choices}}
    return areas, units, types


def check_rows(rows: list[_Row], case: Case) -> list[ListedProblem]:
    """Each row as a problem; errors are collected on the rows."""
    areas, units, types = _lookups(rows)
    seen = {}
    problems = []
    for row in rows:
        value = {key: _text(row.values.get(key)) for key, _zh, _en, _required in COLUMNS}
        for key, _zh, _en, required in COLUMNS:
            if required and not value[key]:
                row.error(key, _("Required."))
        for key, limit in LIMITS.items():
            if len(value[key]) > limit:
                row.error(key, _("At most %(n)d characters.") % {"n": limit})
        year = None
        if value["audit_year"]:
            try:
                year = int(value["audit_year"])
                if not 1990 <= year <= 2100:
                    raise ValueError
            except ValueError:
                row.error("audit_year", _("A year such as 2023."))
                year = None
        area = areas.get(value["area"])
        if value["area"] and area is None:
            row.error("area", _("Unknown area “%(value)s”: use one of %(known)s.")
                      % {"value": value["area"], "known": "、".join(areas)})
        unit = units.get(value["unit"])
        if value["unit"] and unit is None:
            row.error("unit", _("No body is named “%(value)s”.") % {"value": value["unit"]})
        kind = types.get(value["rectification_type"])
        if value["rectification_type"] and kind is None:
            row.error("rectification_type", _("Write 立行立改, 分阶段整改 or 持续整改."))
        amount = None
        if value["amount"]:
            try:
                amount = Decimal(value["amount"].replace(",", "").replace("，", ""))
                if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
                    raise InvalidOperation
                amount = amount.quantize(Decimal("0.01"))
            except InvalidOperation:
                row.error("amount", _("A number of 10,000 yuan, 0 or more, such as 1234.56."))
                amount = None
        key = (year, value["reference"])
        if value["reference"] and year is not None:
            if key in seen:
                row.error("reference", _("The same reference as row %(row)d.") % {"row": seen[key]})
            seen.setdefault(key, row.number)
        if not row.errors:
            problems.append(ListedProblem(reference=value["reference"], audit_year=year, area=area,
                                          problem_type=value["problem_type"], unit=unit, heading=value["heading"],
                                          text=value["text"], amount=amount, rectification_type=kind))
    _check_elsewhere(rows, case)
    return problems


def _check_elsewhere(rows: list[_Row], case: Case) -> None:
    """A reference already on another case (another year's list imported into the wrong case, usually)."""
    references = {_text(row.values.get("reference")) for row in rows}
    taken = {(p.audit_year, p.reference) for p in AuditProblem.objects.filter(reference__in=references)
             .exclude(item__case=case).only("audit_year", "reference")}
    for row in rows:
        year = _text(row.values.get("audit_year"))
        if year.isdigit() and (int(year), _text(row.values.get("reference"))) in taken:
            row.error("reference", _("This reference of that year is on another case."))


def import_problems(*, case: Case, actor, file, at=None, progress=None) -> ImportResult:
    """Check the whole file, then save every problem, or nothing when any row is wrong. `progress(phase, done,
    total)` is told how far the checking and the saving have got."""
    check_list_case(case, actor)  # who and which case, before reading anything
    if progress is not None:
        progress("reading", 0, 0)
    rows, errors = read_rows(file)
    if errors:
        return ImportResult(errors=errors)
    if not rows:
        return ImportResult(errors=[RowError(0, "", _("The file has no problems under its header."))])
    if progress is not None:
        progress("checking", 0, len(rows))
    problems = check_rows(rows, case)
    errors = [error for row in rows for error in row.errors]
    if errors:
        return ImportResult(errors=sorted(errors, key=lambda e: e.row))
    try:
        saved = audit_problems_save(case=case, actor=actor, problems=problems,
                                    reason=_("Imported from the audit office's list"), at=at, progress=progress)
    except InvalidInput as exc:  # what only the database can tell, e.g. a verified problem changed
        return ImportResult(errors=[RowError(0, "", exc.message)])
    return ImportResult(saved=saved)


def template_workbook():
    """The template: the columns, an example row, and drop-down lists for the area and the rectification type."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Audit problems")
    sheet.append([zh for _key, zh, _en, _required in COLUMNS])
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="F2DCDB")
    areas = list(AuditArea.objects.filter(active=True).values_list("name", flat=True))
    sheet.append(["SJ2025-01-001", 2025, areas[0] if areas else "", "未及时上缴非税收入", "安阳市财政局",
                  "非税收入未及时上缴国库", "", 1234.56, "立行立改"])
    for column, choices in (("C", areas), ("I", list(RECTIFICATION_WORDS))):
        if choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
            validation.add(f"{column}2:{column}{MAX_ROWS + 1}")
            sheet.add_data_validation(validation)
    for column, width in zip("ABCDEFGHI", (16, 10, 14, 20, 24, 40, 60, 16, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 -- the response streams it, then closes it
    workbook.save(output)
    output.seek(0)
    return output


# --- as a task, with its progress -----------------------------------------------------------------------------------

PROGRESS_SECONDS = 24 * 3600
PHASES = ["", "reading", "checking", "saving"]  # "": not started, or finished


def _progress_key(job_pk: int) -> str:
    return f"audit-import:{job_pk}"


def progress_of(job: AuditImport) -> dict:
    """How far a running import has got: {"phase": reading | checking | saving, "done": n, "total": n}."""
    return cache.get(_progress_key(job.pk)) or {"phase": "", "done": 0, "total": 0}


def start(*, case: Case, actor, file, then) -> AuditImport:
    """Keep the upload and, once it is committed, hand its id to `then` (the task's `delay`: opinions.tasks
    imports this module, not the other way round). Who may import into which case, and whether the file is an
    Excel workbook of an acceptable size, is refused here, before anything is queued."""
    check_list_case(case, actor)
    kind = uploads.check_upload(file)
    if kind.extensions[0] != "xlsx":
        raise InvalidInput(_("The file is not an Excel workbook (.xlsx): download the template and fill it in."),
                           field="file")
    name = uploads.file_name(file)
    job = AuditImport(case=case, created_by=actor, original_name=name)
    job.file.save(f"{uuid4().hex}.xlsx", file, save=False)
    job.save()
    transaction.on_commit(lambda: then(job.pk))
    return job


def run(job_pk: int) -> AuditImport | None:
    """The task's work; safe to run twice (a second run finds the job taken)."""
    if not AuditImport.objects.filter(pk=job_pk, state=AuditImport.State.QUEUED).update(
            state=AuditImport.State.RUNNING):
        return None
    job = AuditImport.objects.select_related("case", "created_by").get(pk=job_pk)

    def progress(phase, done, total):
        cache.set(_progress_key(job_pk), {"phase": phase, "done": done, "total": total}, PROGRESS_SECONDS)

    try:
        with job.file.open("rb") as file:
            result = import_problems(case=job.case, actor=job.created_by, file=file, progress=progress)
    except DomainError as exc:  # the case moved on or the user lost their place meanwhile
        result = ImportResult(errors=[RowError(0, "", exc.message)])
    except Exception:
        logger.exception("audit list import %s failed", job_pk)
        job.state, job.errors = AuditImport.State.FAILED, [
            {"row": 0, "column": "", "message": _("The import failed on the server; nothing was imported. Try "
                                                  "again, or tell the administrator.")}]
    else:
        if result.errors:
            job.state = AuditImport.State.REFUSED
            job.errors = [{"row": e.row, "column": e.column, "message": e.message} for e in result.errors]
        else:
            job.state = AuditImport.State.DONE
            job.rows = result.saved.created + result.saved.updated + result.saved.unchanged
            job.created, job.updated, job.unchanged = (result.saved.created, result.saved.updated,
                                                       result.saved.unchanged)
    job.finished_at = timezone.now()
    job.save()
    cache.delete(_progress_key(job_pk))
    return job
