"""整改率 on one basis (issue 15 §4), for the dashboard, the league table, the ledger and the December report alike:
over audit problems only, by count — problems verified as rectified (销号) over all problems — and by amount — the
amount rectified over the amount involved (万元), overall, per unit and per area."""

from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from .models import AuditProblem, Case
from .selectors import rate
from .workflow import ItemStatus


@dataclass(frozen=True)
class Rectification:
    problems: int
    rectified: int
    rate: float | None
    amount_involved: Decimal
    amount_rectified: Decimal
    rate_by_amount: float | None
    repeats: int

    def as_dict(self) -> dict:
        return asdict(self)


def _zero():
    return Value(Decimal(0), output_field=models.DecimalField(max_digits=18, decimal_places=2))


AGGREGATES = {
    "problems": lambda: Count("pk"),
    "rectified": lambda: Count("pk", filter=Q(item__status=ItemStatus.CLOSED)),
    "amount_involved": lambda: Coalesce(Sum("item__amount"), _zero()),
    "amount_rectified": lambda: Coalesce(Sum("item__rectified_amount"), _zero()),
    "repeats": lambda: Count("pk", filter=Q(repeat_of__isnull=False)),
}


def _rectification(row: dict) -> Rectification:
    return Rectification(problems=row["problems"], rectified=row["rectified"],
                         rate=rate(row["rectified"], row["problems"]), amount_involved=row["amount_involved"],
                         amount_rectified=row["amount_rectified"],
                         rate_by_amount=rate(row["amount_rectified"], row["amount_involved"]),
                         repeats=row["repeats"])


def problems_of(cases: QuerySet[Case]) -> QuerySet[AuditProblem]:
    return AuditProblem.objects.filter(item__case__in=cases.values("pk"))


def rectification(problems: QuerySet[AuditProblem]) -> Rectification:
    return _rectification(problems.aggregate(**{name: make() for name, make in AGGREGATES.items()}))


# Grouping keys: the unit (the item's responsible body) and the area, each with its name.
GROUPS = {"unit": ("item__responsible_body", "item__responsible_body__name"), "area": ("area", "area__name")}


def rectification_by(problems: QuerySet[AuditProblem], group: str) -> list[tuple[int, str, Rectification]]:
    """Per unit or per area, in the order of the area list or of the units' names; one query."""
    key, name = GROUPS[group]
    order = ("area__order", "area__name") if group == "area" else (name,)
    rows = (problems.order_by().values(key, name, *order[:-1])
            .annotate(**{label: make() for label, make in AGGREGATES.items()}).order_by(*order))
    return [(row[key], row[name], _rectification(row)) for row in rows]


def suggested_repeats(problems: list[AuditProblem]) -> dict[int, list[AuditProblem]]:
    """屡审屡犯 to confirm: for each problem not yet linked, the same unit's problems of the same type in earlier
    audit years, latest first; one query for the batch (a page of the ledger)."""
    open_ = [p for p in problems if p.repeat_of_id is None]
    if not open_:
        return {}
    earlier = (AuditProblem.objects.filter(problem_type__in={p.problem_type for p in open_},
                                           item__responsible_body__in={p.item.responsible_body_id for p in open_},
                                           audit_year__lt=max(p.audit_year for p in open_))
               .select_related("item").order_by("-audit_year", "reference"))
    by_key = {}
    for candidate in earlier:
        by_key.setdefault((candidate.item.responsible_body_id, candidate.problem_type), []).append(candidate)
    return {p.pk: [c for c in by_key.get((p.item.responsible_body_id, p.problem_type), [])
                   if c.audit_year < p.audit_year]
            for p in open_}
