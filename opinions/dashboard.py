"""Leadership's figures (domain.md §11), as aggregate queries over the cases a user may see.

Each figure is one SQL aggregate whatever the number of cases: the database counts, Python only names the
results. "Overdue" and "on time" are derived from dates here, as everywhere (design.md rule 3):
- overdue: the body has not submitted its final report and today is after the due date;
- on time: the final report was first submitted on or before the due date in force;
- late: submitted after it, or overdue now (an unsubmitted overdue case is late already).
"""

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.db import models
from django.db.models import Avg, Count, ExpressionWrapper, F, Q, QuerySet, Value

from .choices import EvaluationResult
from .models import Case, CaseItem, Evaluation
from .selectors import DUE_SOON_DAYS, NOT_YET_SUBMITTED, overdue_q
from .workflow import OPEN_STATUSES, CaseStatus, ItemStatus


def _on_time_q() -> Q:
    return Q(submitted_date__isnull=False, due_date__isnull=False, submitted_date__lte=F("due_date"))


def _late_q(today: date) -> Q:
    return Q(submitted_date__isnull=False, due_date__isnull=False, submitted_date__gt=F("due_date")) | overdue_q(today)


def _due_within_q(today: date, days: int) -> Q:
    return Q(status__in=NOT_YET_SUBMITTED, due_date__gte=today, due_date__lte=today + timedelta(days=days))


def _dissatisfied() -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(result=EvaluationResult.DISSATISFIED)


def rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal, or None when there is nothing to measure (not 0 %: nothing was late)."""
    return round(100 * part / whole, 1) if whole else None


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
    red: int
    amber: int
    green: int
    items: int
    items_rectified: int
    rectification_rate: float | None

    def as_dict(self) -> dict:
        return asdict(self)


def figures(cases: QuerySet[Case], today: date) -> Figures:
    """The headline figures of the given cases (already scoped to what the user sees and filtered)."""
    counts = cases.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=overdue_q(today)),
        due_within_7=Count("pk", filter=_due_within_q(today, 7)),
        due_within_30=Count("pk", filter=_due_within_q(today, 30)),
        amber=Count("pk", filter=_due_within_q(today, DUE_SOON_DAYS)),
        owed=Count("pk", filter=Q(status__in=NOT_YET_SUBMITTED, due_date__isnull=False)),
        closed_this_year=Count("pk", filter=Q(status=CaseStatus.CLOSED, closed_date__year=today.year)),
        on_time=Count("pk", filter=_on_time_q()),
        late=Count("pk", filter=_late_q(today)),
    )
    # Its own query: joining the evaluations would count a case once per evaluation in the figures above.
    rehandled = cases.filter(pk__in=_dissatisfied().values("case")).count()
    items = CaseItem.objects.filter(case__in=cases.values("pk")).aggregate(
        total=Count("pk"), rectified=Count("pk", filter=Q(status=ItemStatus.CLOSED)))
    green = counts["owed"] - counts["overdue"] - counts["amber"]
    return Figures(
        open=counts["open"], overdue=counts["overdue"], due_within_7=counts["due_within_7"],
        due_within_30=counts["due_within_30"], closed_this_year=counts["closed_this_year"],
        on_time=counts["on_time"], late=counts["late"],
        on_time_rate=rate(counts["on_time"], counts["on_time"] + counts["late"]),
        rehandled=rehandled, red=counts["overdue"], amber=counts["amber"], green=green,
        items=items["total"], items_rectified=items["rectified"],
        rectification_rate=rate(items["rectified"], items["total"]),
    )


def _delay(today: date):
    """How late a case is, as a duration: a late submission by its delay, an overdue case by its delay so far."""
    return models.Case(
        models.When(Q(submitted_date__isnull=False, due_date__isnull=False, submitted_date__gt=F("due_date")),
                    then=ExpressionWrapper(F("submitted_date") - F("due_date"), output_field=models.DurationField())),
        models.When(overdue_q(today),
                    then=ExpressionWrapper(Value(today, output_field=models.DateField()) - F("due_date"),
                                           output_field=models.DurationField())),
        output_field=models.DurationField(),
    )


def league_table(cases: QuerySet[Case], today: date) -> list[dict]:
    """Per lead body: cases, overdue now, on time / late, on-time rate, average days late, 不满意 count."""
    rows = (cases.order_by().values("lead_body", "lead_body__name")
            .annotate(cases=Count("pk", distinct=True),
                      overdue=Count("pk", filter=overdue_q(today), distinct=True),
                      on_time=Count("pk", filter=_on_time_q(), distinct=True),
                      late=Count("pk", filter=_late_q(today), distinct=True),
                      average_delay=Avg(_delay(today))))
    dissatisfied = dict(_dissatisfied().filter(case__in=cases.values("pk")).order_by()
                        .values_list("case__lead_body").annotate(n=Count("pk")))
    table = [{
        "body": row["lead_body"], "body_name": row["lead_body__name"], "cases": row["cases"],
        "overdue": row["overdue"], "on_time": row["on_time"], "late": row["late"],
        "on_time_rate": rate(row["on_time"], row["on_time"] + row["late"]),
        "average_days_late": (round(row["average_delay"].total_seconds() / 86400, 1)
                              if row["average_delay"] is not None else None),
        "dissatisfied": dissatisfied.get(row["lead_body"], 0),
    } for row in rows]
    return sorted(table, key=lambda row: (-row["overdue"], -row["late"], row["body_name"]))
