"""Leadership's figures (domain.md §11), as aggregate queries over the cases a user may see.

Each figure is one SQL aggregate whatever the number of cases: the database counts, Python only names the
results. "Overdue", "on time", "late" and the colours are the selectors' conditions (design.md rule 3), the same
ones the case list filters by, so every figure links to exactly the cases behind it.
"""

import hashlib
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear, TruncMonth
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agencies.models import Membership, MembershipRole
from agencies.selectors import user_scope
from npc_tracker.errors import InvalidInput

from . import audit_figures
from . import reminder_schedule as schedule
from .choices import DocumentKind, EvaluationResult, ReminderState
from .models import Case, CaseDocument, Evaluation, Reminder
from .reminders.log import step_label
from .selectors import (
    DueSoon,
    due_soon,
    due_within_q,
    late_handovers,
    late_q,
    lateness,
    on_time_q,
    overdue_q,
    owed_with_due_date_q,
    rate,
)
from .workflow import OPEN_STATUSES, CaseStatus


def _dissatisfied() -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(result=EvaluationResult.DISSATISFIED)


def rehandled_q() -> Q:
    """Re-handled after an evaluation found the handling 不满意."""
    return Q(pk__in=_dissatisfied().values("case"))


@dataclass(frozen=True)
class Figures:
    open: int
    overdue: int
    due_within_7: int
    due_within_30: int
    closed_this_year: int
    on_time: int
    late: int
    on_time_rate: float | None
    rehandled: int
    late_handovers: int
    red: int
    amber: int
    green: int
    audit_problems: int
    audit_problems_rectified: int
    audit_repeats: int
    rectification_rate: float | None
    amount_involved: Decimal
    amount_rectified: Decimal
    rectification_rate_by_amount: float | None

    def as_dict(self) -> dict:
        return asdict(self)


def _timeliness(today: date) -> dict:
    return {"on_time": Count("pk", filter=on_time_q(today)), "late": Count("pk", filter=late_q(today))}


def figures(cases: QuerySet[Case], today: date, soon: DueSoon) -> Figures:
    """The headline figures of the given cases (already scoped to what the user sees and filtered)."""
    counts = cases.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=overdue_q(today)),
        due_within_7=Count("pk", filter=due_within_q(today, 7)),
        due_within_30=Count("pk", filter=due_within_q(today, 30)),
        amber=Count("pk", filter=soon.amber_q(today)),
        owed=Count("pk", filter=owed_with_due_date_q()),
        closed_this_year=Count("pk", filter=Q(status=CaseStatus.CLOSED, closed_date__year=today.year)),
        **_timeliness(today),
        # Its own subquery: joining the evaluations would count a case once per evaluation in the figures above.
        rehandled=Count("pk", filter=rehandled_q()),
    )
    audit = audit_figures.rectification(audit_figures.problems_of(cases))
    return Figures(
        open=counts["open"], overdue=counts["overdue"], due_within_7=counts["due_within_7"],
        due_within_30=counts["due_within_30"], closed_this_year=counts["closed_this_year"],
        on_time=counts["on_time"], late=counts["late"],
        on_time_rate=rate(counts["on_time"], counts["on_time"] + counts["late"]),
        rehandled=counts["rehandled"], late_handovers=late_handovers(cases, today).count(),
        red=counts["overdue"], amber=counts["amber"],
        green=counts["owed"] - counts["overdue"] - counts["amber"],  # the three colours split what is owed
        audit_problems=audit.problems, audit_problems_rectified=audit.rectified, audit_repeats=audit.repeats,
        rectification_rate=audit.rate,
        amount_involved=audit.amount_involved, amount_rectified=audit.amount_rectified,
        rectification_rate_by_amount=audit.rate_by_amount,
    )


LEAGUE_SORTS = ("overdue", "cases", "on_time_rate", "average_days_late", "dissatisfied", "rectification_rate",
                "body_name")


def league_table(cases: QuerySet[Case], today: date, sort: str = "overdue") -> list[dict]:
    """Per lead body: cases, overdue now, on time / late, on-time rate, average days late, 不满意 count.
    Sorted worst first by the chosen column (by name: alphabetically), then by overdue and name."""
    if sort not in LEAGUE_SORTS:
        raise InvalidInput(_("Choose one of: %s") % ", ".join(LEAGUE_SORTS), field="league_sort")
    rows = (cases.order_by().values("lead_body", "lead_body__name")
            .annotate(cases=Count("pk"), overdue=Count("pk", filter=overdue_q(today)),
                      average_delay=Avg(lateness(today)), **_timeliness(today)))
    # Cases found 不满意 (re-handled), not evaluations: a case evaluated twice is one body's one failure.
    dissatisfied = dict(_dissatisfied().filter(case__in=cases.values("pk")).order_by()
                        .values_list("case__lead_body").annotate(n=Count("case", distinct=True)))
    table = [{
        "body": row["lead_body"], "body_name": row["lead_body__name"], "cases": row["cases"],
        "overdue": row["overdue"], "on_time": row["on_time"], "late": row["late"],
        "on_time_rate": rate(row["on_time"], row["on_time"] + row["late"]),
        "average_days_late": (round(row["average_delay"].total_seconds() / 86400, 1)
                              if row["average_delay"] is not None else None),
        "dissatisfied": dissatisfied.get(row["lead_body"], 0),
    } for row in rows]
    _add_rectification(table, cases)
    table.sort(key=lambda row: (-row["overdue"], -row["late"], row["body_name"]))
    if sort == "body_name":
        table.sort(key=lambda row: row["body_name"])
    elif sort in ("on_time_rate", "rectification_rate"):  # the worst rate first; nothing to measure last
        table.sort(key=lambda row: (row[sort] is None, row[sort] or 0))
    else:
        table.sort(key=lambda row: -(row[sort] or 0))
    return table


def _add_rectification(table: list[dict], cases: QuerySet[Case]) -> None:
    """整改率 of each body as the unit responsible for audit problems (audit_figures' one definition); a unit with
    problems but no case of its own joins the table."""
    units = audit_figures.rectification_by(audit_figures.problems_of(cases), "unit")
    seen = {row["body"] for row in table}
    for pk, name, _r in units:
        if pk is not None and pk not in seen:
            table.append({"body": pk, "body_name": name, "cases": 0, "overdue": 0, "on_time": 0, "late": 0,
                          "on_time_rate": None, "average_days_late": None, "dissatisfied": 0})
    by_unit = {pk: r for pk, _name, r in units}
    for row in table:
        audit = by_unit.get(row["body"])
        row["audit_problems"] = audit.problems if audit else 0
        row["rectification_rate"] = audit.rate if audit else None


def meeting_year():
    """The year a case belongs to: its meeting's, or the year it was issued when it came from no meeting (the same
    rule as the list's year filter)."""
    return Coalesce(ExtractYear("meeting__start_date"), ExtractYear("issued_date"))


BREAKDOWNS = {
    "committee": ("supervising_committee", ("supervising_committee__short_name", "supervising_committee__name")),
    "kind": ("kind", ("kind",)),
    "year": ("year", ("year",)),
}


def breakdown(cases: QuerySet[Case], today: date, by: str) -> list[dict]:
    """Cases, open, overdue, closed and on-time rate per supervising committee, kind or meeting year."""
    key, label_fields = BREAKDOWNS[by]
    if by == "year":
        cases = cases.annotate(year=meeting_year())
    rows = (cases.order_by().values(key, *label_fields)
            .annotate(cases=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
                      overdue=Count("pk", filter=overdue_q(today)),
                      closed=Count("pk", filter=Q(status=CaseStatus.CLOSED)), **_timeliness(today)))
    kinds = dict(Case._meta.get_field("kind").flatchoices)

    def label(row):
        value = next((row[name] for name in label_fields if row[name]), None)  # a short name when there is one
        return None if value is None else str(kinds.get(value, value))

    table = [{"key": row[key], "label": label(row), "cases": row["cases"], "open": row["open"],
              "overdue": row["overdue"], "closed": row["closed"],
              "on_time_rate": rate(row["on_time"], row["on_time"] + row["late"])} for row in rows]
    if by == "year":
        return sorted(table, key=lambda row: row["key"] or 0, reverse=True)
    return sorted(table, key=lambda row: (-row["cases"], row["label"] or ""))


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_back(today: date, months: int) -> list[date]:
    """The first days of the last N months, oldest first, this month included."""
    first, result = month_start(today), []
    for _month in range(months):
        result.append(first)
        first = month_start(first - timedelta(days=1))
    return result[::-1]


def month_end(first: date) -> date:
    return month_start(first + timedelta(days=32)) - timedelta(days=1)


def _per_month(cases: QuerySet[Case], field: str, since: date, condition: Q | None = None) -> dict[date, int]:
    rows = (cases.filter(condition or Q(), **{f"{field}__gte": since}).order_by()
            .annotate(month=TruncMonth(field)).values("month").annotate(n=Count("pk")))
    return {row["month"]: row["n"] for row in rows}


def monthly_trend(cases: QuerySet[Case], today: date, months: int = 12) -> list[dict]:
    """Per month of the last N: cases issued, closed, and that went overdue (their due date passed in that month
    without the report: submitted late, or not yet submitted)."""
    firsts = months_back(today, months)
    since = firsts[0]
    opened = _per_month(cases, "issued_date", since)
    closed = _per_month(cases, "closed_date", since, Q(status=CaseStatus.CLOSED))
    went_overdue = _per_month(cases, "due_date", since, Q(due_date__lt=today) & late_q(today))
    return [{"month": first, "opened": opened.get(first, 0), "closed": closed.get(first, 0),
             "went_overdue": went_overdue.get(first, 0)} for first in firsts]


# The letters that press a late body, beside the reminder ladder's own messages.
PRESSING_LETTERS = (DocumentKind.PRESSING, DocumentKind.SUPERVISION)


@dataclass
class OverdueRow:
    case: Case
    days_overdue: int
    liaisons: list[str]
    last_reminder: str
    last_reminder_at: object
    escalation: str


def overdue_board(cases: QuerySet[Case], today: date, limit: int = 20) -> list[OverdueRow]:
    """The most overdue cases, with the body's liaisons, the last reminder sent (the ladder's, or a 催办通知 or 督办函
    the staff sent by hand) and how far escalation went. Four queries, whatever the number of cases: the rows, their
    bodies' liaisons, their reminders, their pressing letters."""
    rows = list(cases.filter(overdue_q(today)).select_related("lead_body").order_by("due_date", "pk")[:limit])
    liaisons = defaultdict(list)
    memberships = (Membership.objects.filter(role=MembershipRole.LIAISON, is_active=True,
                                             body__in={case.lead_body_id for case in rows})
                   .select_related("user").order_by("user__username"))
    for membership in memberships:
        liaisons[membership.body_id].append(membership.user.get_full_name() or membership.user.username)
    last_sent = {}
    for reminder in (Reminder.objects.filter(case__in=rows, state=ReminderState.SENT)
                     .order_by("case", "-finished_at", "-pk")):
        last_sent.setdefault(reminder.case_id, reminder)
    last_letter = {}
    for letter in (CaseDocument.objects.filter(case__in=rows, kind__in=PRESSING_LETTERS)
                   .order_by("case", "-issued_at", "-pk")):
        last_letter.setdefault(letter.case_id, letter)
    board = []
    for case in rows:
        reminder, letter = last_sent.get(case.pk), last_letter.get(case.pk)
        if case.further_supervision:
            escalation = case.get_further_supervision_display()
        elif case.escalated_on:
            escalation = step_label(schedule.ESCALATION)
        else:
            escalation = step_label(reminder.step) if reminder else ""
        if letter and (reminder is None or letter.issued_at > reminder.finished_at):
            last, last_at = f"{letter.get_kind_display()} {letter.number}", letter.issued_at
        else:
            last, last_at = (step_label(reminder.step), reminder.finished_at) if reminder else ("", None)
        board.append(OverdueRow(
            case=case, days_overdue=case.days_past_due(today), liaisons=liaisons[case.lead_body_id],
            last_reminder=last, last_reminder_at=last_at, escalation=escalation))
    return board



@dataclass
class Dashboard:
    today: date
    figures: Figures
    league_table: list[dict]
    by_committee: list[dict]
    by_kind: list[dict]
    by_year: list[dict]
    trend: list[dict]
    overdue_board: list[OverdueRow]


def build(cases: QuerySet[Case], today: date, soon: DueSoon, league_sort: str = "overdue") -> Dashboard:
    """Everything on the dashboard, for the page and the API alike: a fixed number of queries at any size.
    An unknown league_sort is refused (InvalidInput) before any figure is computed."""
    league = league_table(cases, today, league_sort)
    return Dashboard(
        today=today, figures=figures(cases, today, soon), league_table=league,
        by_committee=breakdown(cases, today, "committee"), by_kind=breakdown(cases, today, "kind"),
        by_year=breakdown(cases, today, "year"), trend=monthly_trend(cases, today),
        overdue_board=overdue_board(cases, today))


def cached(user, compute, *, filters: str, league_sort: str):
    """What compute() returns (the dashboard, and what the page derives from it), kept DASHBOARD_CACHE_SECONDS for
    everyone who sees the same cases through the same filters (all of leadership share one copy; a body's
    liaisons another): the page reads about fifteen aggregates and builds some three hundred links, so many people
    watching it cost little. Returns the value, when it was computed (a figure is at most that old), and a key for
    what is rendered from that very computation (None when nothing is kept).

    The key is the user's scope (what cases_visible_to filters by) and not the user, and holds everything else
    the figures depend on: the page's filters, today, the amber settings, the sort and the language of labels."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return compute(), timezone.now(), None
    scope = user_scope(user)
    seen = "all" if scope.sees_all_cases else ",".join(map(str, sorted(scope.liaison_body_ids)))
    soon = due_soon()
    parts = (seen, filters, timezone.localdate().isoformat(), sorted(soon.by_kind.items()), soon.default, league_sort,
             get_language())
    key = "dashboard:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = (compute(), timezone.now())
        cache.set(key, value, seconds)
    return value[0], value[1], f"{key}:{value[1].timestamp()}"
