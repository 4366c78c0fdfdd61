"""The year's statistics (issue 16 §3, 年度监督意见办理情况统计): what the office did in one calendar year, for the
page, the Word report and the Excel workbook alike — nine aggregate queries whatever the number of cases.

A year is the calendar year in Asia/Shanghai. Each figure says what it counts:
- the year's cases: those issued (交办) in the year, by `issued_date`; their open / closed / overdue / on time / late
  are judged as of `today` by the dashboard's own conditions (opinions.selectors: overdue_q, on_time_q, late_q,
  lateness), so the same case is on time or late on both pages, and each figure is the case list filtered by
  issue date and that condition;
- closed in the year: cases closed (办结) in the year, by `closed_date`, whenever they were issued (the dashboard's
  "closed this year");
- extension requests, returned reports and satisfaction evaluations: those made in the year (requested, reviewed,
  recorded), whatever year their case was issued in; re-handled cases are the cases that an evaluation recorded in
  the year found 不满意 (the dashboard's "re-handled", over the year's evaluations), each counted once;
- 整改率: opinions.audit_figures' one definition over the problems of the audit rectification cases issued in the
  year.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from npc_tracker.errors import InvalidInput

from . import audit_figures
from .choices import EvaluationResult, ExtensionDecision, ReportKind, ReviewOutcome
from .models import Case, Evaluation, Extension, Report
from .selectors import late_q, lateness, on_time_q, overdue_q, rate
from .workflow import OPEN_STATUSES, CaseStatus

FIRST_YEAR = 2000  # no case of the office's is older; a year outside FIRST_YEAR…next year names nothing
SLOWEST = 10  # bodies listed among the slowest
QUERIES = 9  # what figures() costs, at any size: the tests hold it to this


def years(today: date) -> range:
    """The years there are figures for, latest first: from FIRST_YEAR to next year (cases may be issued in December
    for January)."""
    return range(today.year + 1, FIRST_YEAR - 1, -1)


def check_year(year: int, today: date) -> None:
    if year not in years(today):
        raise InvalidInput(_("Choose a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR,
                                                                               "last": today.year + 1}, field="year")


@dataclass(frozen=True)
class Row:
    """One line of a breakdown (or the total) over the year's cases."""

    key: object
    label: str
    issued: int
    open: int
    closed: int
    overdue: int
    on_time: int
    late: int
    on_time_rate: float | None
    average_days_late: float | None

    @property
    def not_judged(self) -> int:
        """Neither on time nor late yet: not yet due and never reported, or without a due date."""
        return self.issued - self.on_time - self.late


@dataclass(frozen=True)
class Extensions:
    """Extension requests (延期申请) made in the year, by their decision now."""

    requested: int
    approved: int
    refused: int
    pending: int
    cases: int


@dataclass(frozen=True)
class Returns:
    """Final reports returned for revision (退回修改) in the year, and the cases they belong to."""

    reports: int
    cases: int


@dataclass(frozen=True)
class Evaluations:
    """Satisfaction evaluations (满意度测评) recorded in the year, by result; `rehandled`: the cases found 不满意,
    which report again (重新办理)."""

    evaluations: int
    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    rehandled: int


@dataclass(frozen=True)
class YearFigures:
    year: int
    today: date
    first_day: date
    last_day: date
    total: Row
    closed_in_year: int
    by_kind: tuple[Row, ...]
    by_body: tuple[Row, ...]
    by_committee: tuple[Row, ...]
    slowest: tuple[Row, ...]
    extensions: Extensions
    returns: Returns
    evaluations: Evaluations
    audit: audit_figures.Rectification
    audit_by_unit: tuple[tuple[int | None, str | None, audit_figures.Rectification], ...]

    def as_dict(self) -> dict:
        return asdict(self)


def _moments(year: int) -> tuple[datetime, datetime]:
    """The year's first moment and the next year's, in Asia/Shanghai (the project's time zone)."""
    zone = timezone.get_default_timezone()
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def issued_in(year: int) -> Q:
    return Q(issued_date__gte=date(year, 1, 1), issued_date__lte=date(year, 12, 31))


def _closed_on_a_day_of(year: int) -> Q:
    return Q(closed_date__gte=date(year, 1, 1), closed_date__lte=date(year, 12, 31))


def closed_in(year: int) -> Q:
    """As the dashboard's "closed this year": closed now, on a day of the year."""
    return Q(status=CaseStatus.CLOSED) & _closed_on_a_day_of(year)


def _counts(today: date, where: Q | None = None) -> dict:
    """The columns of a Row, as aggregates; `where` narrows each of them (the year's cases among others)."""
    def only(condition: Q) -> Q:
        return condition if where is None else where & condition

    return {
        "issued": Count("pk", filter=where),
        "open": Count("pk", filter=only(Q(status__in=OPEN_STATUSES))),
        "closed": Count("pk", filter=only(Q(status=CaseStatus.CLOSED))),
        "overdue": Count("pk", filter=only(overdue_q(today))),
        "on_time": Count("pk", filter=only(on_time_q(today))),
        "late": Count("pk", filter=only(late_q(today))),
        "average_delay": Avg(lateness(today), filter=where),
    }


def _row(key, label, values: dict) -> Row:
    delay = values["average_delay"]
    return Row(key=key, label=label, issued=values["issued"], open=values["open"], closed=values["closed"],
               overdue=values["overdue"], on_time=values["on_time"], late=values["late"],
               on_time_rate=rate(values["on_time"], values["on_time"] + values["late"]),
               average_days_late=round(delay.total_seconds() / 86400, 1) if delay is not None else None)


# Grouping: the field grouped by and the fields naming a group (the first that is filled in).
GROUPS = {
    "kind": ("kind", ("kind",)),
    "body": ("lead_body", ("lead_body__name",)),
    "committee": ("supervising_committee", ("supervising_committee__short_name", "supervising_committee__name")),
}


def _breakdown(cases: QuerySet[Case], today: date, group: str) -> tuple[Row, ...]:
    key, label_fields = GROUPS[group]
    kinds = dict(Case._meta.get_field("kind").flatchoices)
    rows = cases.order_by().values(key, *label_fields).annotate(**_counts(today))
    table = []
    for values in rows:
        label = next((values[name] for name in label_fields if values[name]), None)
        table.append(_row(values[key], None if label is None else str(kinds.get(label, label)), values))
    return tuple(sorted(table, key=lambda row: (-row.issued, row.label or "")))


def slowest(by_body: tuple[Row, ...], limit: int = SLOWEST) -> tuple[Row, ...]:
    """The bodies with late cases, the longest average delay first (then the most late cases)."""
    late = [row for row in by_body if row.late]
    return tuple(sorted(late, key=lambda row: (-(row.average_days_late or 0), -row.late, row.label or ""))[:limit])


def figures(year: int, today: date) -> YearFigures:
    """The year's figures over every case (the office's view: staff and leadership see all cases). Nine queries."""
    check_year(year, today)
    cohort = issued_in(year)
    start, end = _moments(year)
    # The rows are narrowed by dates only: with the status in the WHERE, SQLite reads most cases through the status
    # index (most cases are closed), twice as slow as scanning them (bench/annual.py).
    total = (Case.objects.filter(cohort | _closed_on_a_day_of(year))
             .aggregate(**_counts(today, cohort), closed_in_year=Count("pk", filter=closed_in(year))))
    cases = Case.objects.filter(cohort)
    by_body = _breakdown(cases, today, "body")
    extensions = Extension.objects.filter(requested_at__gte=start, requested_at__lt=end).aggregate(
        requested=Count("pk"),
        **{decision: Count("pk", filter=Q(decision=value)) for decision, value in (
            ("approved", ExtensionDecision.APPROVED), ("refused", ExtensionDecision.REFUSED),
            ("pending", ExtensionDecision.PENDING))},
        cases=Count("case", distinct=True))
    returns = Report.objects.filter(kind=ReportKind.FINAL, review_outcome=ReviewOutcome.RETURNED,
                                    reviewed_at__gte=start, reviewed_at__lt=end).aggregate(
        reports=Count("pk"), cases=Count("case", distinct=True))
    dissatisfied = Q(result=EvaluationResult.DISSATISFIED)
    evaluations = Evaluation.objects.filter(recorded_at__gte=start, recorded_at__lt=end).aggregate(
        evaluations=Count("pk"), satisfied=Count("pk", filter=Q(result=EvaluationResult.SATISFIED)),
        basically_satisfied=Count("pk", filter=Q(result=EvaluationResult.BASICALLY_SATISFIED)),
        dissatisfied=Count("pk", filter=dissatisfied), rehandled=Count("case", distinct=True, filter=dissatisfied))
    problems = audit_figures.problems_of(cases)
    return YearFigures(
        year=year, today=today, first_day=date(year, 1, 1), last_day=date(year, 12, 31),
        total=_row(None, _("Total"), total), closed_in_year=total["closed_in_year"],
        by_kind=_breakdown(cases, today, "kind"), by_body=by_body,
        by_committee=_breakdown(cases, today, "committee"), slowest=slowest(by_body),
        extensions=Extensions(**extensions), returns=Returns(**returns), evaluations=Evaluations(**evaluations),
        audit=audit_figures.rectification(problems),
        audit_by_unit=tuple(audit_figures.rectification_by(problems, "unit")),
    )
