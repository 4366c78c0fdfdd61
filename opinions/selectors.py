"""Every non-trivial read (design.md rule 6: visibility is a queryset, so a hidden case is a 404, never a leak)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import models
from django.db.models import Count, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.selectors import user_scope

from . import rules, textdiff
from .choices import ReminderState, ReportKind, ReviewOutcome
from .deadlines import DueDate, period_dates
from .models import (
    Attachment,
    AuditProblem,
    Case,
    CaseDocument,
    CaseItem,
    Evaluation,
    Extension,
    Report,
    RuleSet,
    owed_first,
)
from .reminders.log import case_reminder_log
from .workflow import OWED_STATUSES, CaseStatus, ItemStatus

# Liaisons see a case once it has been handed to their body, never while it is drafted or after withdrawal.
HIDDEN_FROM_BODIES = (CaseStatus.DRAFT, CaseStatus.WITHDRAWN)


def belonging_to(case: Case, model: type[CaseItem | Report | Attachment]) -> QuerySet:
    """The items (reports, files) of this case: the one answer to "is this one of the case's own?" for an id a user
    sends. Another case's row is refused as if it did not exist; each caller refuses in its own way (a 404, a form
    error, InvalidInput). Each row's `case` is this case object, read no second time."""
    return getattr(case, model._meta.get_field("case").remote_field.get_accessor_name()).all()


def case_rows(case: Case, model) -> QuerySet:
    """One of a case's lists (items, reports, files, extensions, evaluations) in its one order: the model's, then
    by id, so pages never overlap."""
    return belonging_to(case, model).order_by(*model._meta.ordering, "pk")


def cases_visible_to(user) -> QuerySet[Case]:
    scope = user_scope(user)
    cases = Case.objects.all()
    if scope.sees_all_cases:
        return cases
    if not scope.liaison_body_ids:
        return cases.none()
    co_handled = Case.co_bodies.through.objects.filter(body_id__in=scope.liaison_body_ids).values("case_id")
    return cases.filter(Q(lead_body_id__in=scope.liaison_body_ids) | Q(pk__any_of=co_handled)).exclude(
        status__in=HIDDEN_FROM_BODIES
    )


def audit_problems_visible_to(user) -> QuerySet[AuditProblem]:
    """The ledger's rows a user may see: every problem for the staff and leadership; for a liaison, the problems of
    their own unit, and all of a case their body leads (the government coordinates the rectification)."""
    problems = AuditProblem.objects.filter(item__case__in=cases_visible_to(user))
    scope = user_scope(user)
    if scope.sees_all_cases:
        return problems
    return problems.filter(Q(item__responsible_body__in=scope.liaison_body_ids)
                           | Q(item__case__lead_body__in=scope.liaison_body_ids))


def _item_count(items: QuerySet[CaseItem]):
    """A correlated count per case row: computed for the rows shown (a page, a chunk of the ledger), where a join
    with GROUP BY would count the items of every case the list matches and multiply the other aggregates."""
    counted = items.filter(case=OuterRef("pk")).order_by().values("case").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def case_list(user) -> QuerySet[Case]:
    """What the list page and the API list show of each case; the ledgers add with_item_counts()."""
    return cases_visible_to(user).select_related("lead_body", "meeting")


def with_item_counts(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.annotate(item_count=_item_count(CaseItem.objects.all()),
                          items_closed=_item_count(CaseItem.objects.filter(status=ItemStatus.CLOSED)))


def by_urgency(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What the body still owes first, the earliest due (so the most overdue) on top; then everything else.
    The order is the index case_urgency_idx's, so a page of it is read, not sorted."""
    return cases.order_by(owed_first(), F("due_date").asc(nulls_last=True), "-pk")


def overdue_q(today: date) -> Q:
    # "Overdue" is derived, never stored (design.md rule 3): not yet submitted and today is after the due date.
    return Q(status__in=OWED_STATUSES, due_date__lt=today)


def owed_with_due_date_q() -> Q:
    """Everything that is red, amber or green."""
    return Q(status__in=OWED_STATUSES, due_date__isnull=False)


def consultation_outstanding(case: Case) -> bool:
    """The rule set requires the body's draft report to be commented on by the consulted committee (征求意见, e.g.
    预算工委 for budget opinions) before the written report, and no draft has been commented on yet."""
    rule_set = rules.rule_set_for(case.kind)
    if rule_set is None or not rule_set.consultation_required:
        return False
    return not case.reports.filter(kind=ReportKind.CONSULTATION_DRAFT, review_outcome=ReviewOutcome.COMMENTED).exists()


def late_handovers(cases: QuerySet[Case], today: date) -> QuerySet[Case]:
    """Meetings' opinions issued (交办) later than the rule set's hand-over days after the meeting closed, or still
    drafts past that day: the office's own lateness, before any body's (rule set `handover_days`, 10 by default)."""
    days_by_kind = dict(RuleSet.objects.filter(jurisdiction=rules.jurisdiction()).values_list("case_kind",
                                                                                         "handover_days"))
    default = RuleSet._meta.get_field("handover_days").default
    meeting_closed = Coalesce(F("meeting__end_date"), F("meeting__start_date"))
    # Date minus date is an interval on every backend Django supports; date plus interval is not portable.
    cases = cases.alias(handover_delay=ExpressionWrapper(F("issued_date") - meeting_closed,
                                                         output_field=models.DurationField()),
                        meeting_closed=meeting_closed)

    def late(days: int) -> Q:
        return (Q(issued_date__isnull=False, handover_delay__gt=timedelta(days=days))
                | Q(status=CaseStatus.DRAFT, meeting_closed__lt=today - timedelta(days=days)))

    condition = Q(~Q(kind__in=list(days_by_kind)), late(default))
    for kind, days in days_by_kind.items():
        condition |= Q(Q(kind=kind), late(days))
    return cases.filter(condition, meeting__isnull=False)


def due_within_q(today: date, days: int) -> Q:
    """Still owed and due between today and today + N days (overdue cases are not "due within")."""
    return Q(status__in=OWED_STATUSES, due_date__gte=today, due_date__lte=today + timedelta(days=days))


# The due date the first submission is judged against: the one in force before any 重新办理 replaced it.
FIRST_REPORT_DUE = Coalesce(F("first_cycle_due_date"), F("due_date"))


def late_submission_q() -> Q:
    """The final report was first submitted after the due date in force for it."""
    return Q(submitted_date__isnull=False, due_date__isnull=False, submitted_date__gt=FIRST_REPORT_DUE)


def on_time_q(today: date) -> Q:
    """Timeliness (按时 / 逾期): the one definition that the dashboard's figures, league table (with its average days
    late, `lateness`), breakdowns and trend and the case list's `timeliness` filter all count by, so that every case
    is on time, late, or neither — never both.

    A case is judged by the first submission of its final report (`submitted_date`, kept through 退回 and 重新办理:
    a late submission is recorded even after the case closes, domain.md §5) against the due date in force, an
    approved extension included (延期 moves the deadline the body is held to; the original stays on the case). But
    while the body owes the report again (returned for revision, 重新办理 after 不满意, reopened) and that due date
    has passed, the case is overdue — on the overdue board and being pressed — so it is late now, whatever its
    earlier report; once a report is in again, the first submission decides again.

    - on time: first submitted on or before the due date, and not overdue now;
    - late (late_q): overdue now, or first submitted after the due date;
    - neither: no due date (drafts, cases without a deadline rule), withdrawn, or owed, not yet due and never
      submitted.

    重新办理 replaces the due date; the first submission is still judged against the one in force before it
    (`first_cycle_due_date`), so a first report that came late stays late once the redo report is in.
    """
    submitted_by_due_date = Q(submitted_date__isnull=False, due_date__isnull=False,
                              submitted_date__lte=FIRST_REPORT_DUE)
    return submitted_by_due_date & ~overdue_q(today)


def late_q(today: date) -> Q:
    """Overdue now, or the final report first submitted after the due date in force: never a case on_time_q counts
    (the rule is there)."""
    return overdue_q(today) | late_submission_q()


def lateness(today: date):
    """How late a case is, as a duration, on exactly the cases late_q counts (None on the others): an overdue case
    by its delay so far, first, since a report that came late and was returned is later still now; a late
    submission by its delay."""
    def days(since, due):
        return ExpressionWrapper(since - due, output_field=models.DurationField())

    return models.Case(models.When(overdue_q(today), then=days(Value(today, output_field=models.DateField()),
                                                              F("due_date"))),
                       models.When(late_submission_q(), then=days(F("submitted_date"), FIRST_REPORT_DUE)),
                       output_field=models.DurationField())


@dataclass(frozen=True)
class DueSoon:
    """How many days before its due date a case turns amber: a rule-set setting per kind (domain.md §11)."""

    by_kind: dict[str, int]
    default: int = 14

    def days(self, kind: str) -> int:
        return self.by_kind.get(kind, self.default)

    def amber_q(self, today: date) -> Q:
        """Amber cases, in SQL: one condition per distinct setting, so the query stays one aggregate."""
        kinds_by_days: dict[int, list[str]] = {}
        for kind, days in self.by_kind.items():
            kinds_by_days.setdefault(days, []).append(kind)
        condition = due_within_q(today, self.default)
        if self.by_kind:
            condition &= ~Q(kind__in=list(self.by_kind))
        for days, kinds in kinds_by_days.items():
            condition |= due_within_q(today, days) & Q(kind__in=kinds)
        return condition

    def green_q(self, today: date) -> Q:
        return owed_with_due_date_q() & ~overdue_q(today) & ~self.amber_q(today)


def due_soon() -> DueSoon:
    default = DueSoon({}).default
    # Only the kinds whose setting differs from the default need a condition of their own in SQL.
    return DueSoon({kind: days for kind, days in RuleSet.objects.filter(jurisdiction=rules.jurisdiction())
                    .values_list("case_kind", "due_soon_days") if days != default})


def rag(case: Case, today: date, soon: DueSoon) -> str:
    """Red (overdue) / amber (due within the rule set's days, 14 by default) / green, from the due date."""
    days = case.days_to_due(today)
    if case.status not in OWED_STATUSES or days is None:
        return "none"
    if days < 0:
        return "red"
    if days <= soon.days(case.kind):
        return "amber"
    return "green"


def status_counts(cases: QuerySet[Case]) -> dict[str, int]:
    # COUNT(*), not COUNT(id): PostgreSQL can then answer from the status index alone (19 ms instead of 61 ms for
    # 100,000 cases), and the list's total is the sum of these counts.
    return dict(cases.order_by().values_list("status").annotate(n=Count("*")))


# ---------------------------------------------------------------- timeline


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class TimelineEntry:
    when: datetime
    who: str
    subject: str
    reason: str
    changes: list[Change] = field(default_factory=list)


HIDDEN_TIMELINE_FIELDS = {"due_basis", "created_at", "created_by", "id", "case"}


class _Labels:
    """What a timeline shows for related objects, each read once per timeline: a changed foreign key or a
    many-to-many value would otherwise cost a query per history row."""

    def __init__(self):
        self.objects: dict[tuple[type, object], str] = {}  # (model, pk or tuple of pks) -> label

    def of(self, model, pk) -> str:
        if (model, pk) not in self.objects:
            related = model._default_manager.filter(pk=pk).first()
            self.objects[model, pk] = str(related) if related else str(pk)
        return self.objects[model, pk]

    def many(self, model, pks: tuple) -> str:
        """Several objects, in the model's order."""
        if (model, pks) not in self.objects:
            self.objects[model, pks] = ", ".join(str(obj) for obj in model._default_manager.filter(pk__in=pks))
        return self.objects[model, pks]


def _display(record, field_name: str, labels: _Labels) -> str:
    model_field = record.instance_type._meta.get_field(field_name)
    value = getattr(record, field_name if not model_field.is_relation else f"{field_name}_id", None)
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return labels.of(model_field.related_model, value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, datetime):  # shown in Asia/Shanghai, to the minute, like every time on the page
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def _m2m_values(records: list, m2m_fields: list) -> dict[tuple[str, int], tuple]:
    """Every history row's many-to-many values (a case's co-handling bodies) as sorted ids: one query per field
    for all the rows, where simple-history's diff_against makes two per pair of rows."""
    values = {}
    for model_field in m2m_fields:
        through = getattr(records[0], model_field.name).model
        target = model_field.m2m_reverse_field_name()
        found = defaultdict(list)
        for history_id, pk in (through.objects.filter(history__in=[r.history_id for r in records])
                               .order_by(f"{target}_id").values_list("history_id", f"{target}_id")):
            found[history_id].append(pk)
        for record in records:
            values[model_field.name, record.history_id] = tuple(found[record.history_id])
    return values


def _field_changes(previous, record, labels: _Labels, m2m: dict) -> list[Change]:
    """Field-level changes between two history rows, readable (choices and related objects by name).

    simple-history's diff_against skips non-editable fields, which are exactly the lifecycle fields (status, due
    date) that only services change, so concrete fields are compared here, and many-to-many fields from `m2m`.
    """
    changes = []
    for model_field in previous.tracked_fields:
        if model_field.name in HIDDEN_TIMELINE_FIELDS:
            continue
        if getattr(previous, model_field.attname) != getattr(record, model_field.attname):
            changes.append(Change(str(model_field.verbose_name), _display(previous, model_field.name, labels),
                                  _display(record, model_field.name, labels)))
    for model_field in record.instance_type._meta.many_to_many:
        old, new = m2m[model_field.name, previous.history_id], m2m[model_field.name, record.history_id]
        if old != new:
            changes.append(Change(str(model_field.verbose_name), labels.many(model_field.related_model, old) or "—",
                                  labels.many(model_field.related_model, new) or "—"))
    return changes


def _entries_for(history_qs, subject_of, labels: _Labels) -> list[TimelineEntry]:
    entries = []
    previous_by_object = {}
    # Insertion order, not history_date: an event recorded later may be dated earlier (paper records, `at`).
    records = list(history_qs.order_by("history_id").select_related("history_user"))
    m2m = _m2m_values(records, history_qs.model.instance_type._meta.many_to_many) if records else {}
    for record in records:
        previous = previous_by_object.get(record.id)
        previous_by_object[record.id] = record
        entries.append(TimelineEntry(
            when=record.history_date,
            who=_user_label(record.history_user),
            subject=subject_of(record),
            reason=record.history_change_reason or "",
            changes=_field_changes(previous, record, labels, m2m) if previous is not None else [],
        ))
    return entries


def _user_label(user) -> str:
    if user is None:
        return _("System")
    return user.get_full_name() or user.username


def case_timeline(case: Case, reminders: list | None = None) -> list[TimelineEntry]:
    """Who did what, when and why, field by field, across the case and everything attached to it. `reminders`:
    the case's reminder log when the caller has read it already (the case page shows it too)."""
    labels = _Labels()
    entries = _entries_for(Case.history.filter(id=case.pk), lambda r: str(Case._meta.verbose_name), labels)
    entries += _entries_for(CaseItem.history.filter(case_id=case.pk), lambda r: f"#{r.number} {r.heading[:40]}",
                            labels)
    entries += _entries_for(Report.history.filter(case_id=case.pk), lambda r: r.title[:60], labels)
    entries += _entries_for(Extension.history.filter(case_id=case.pk),
                            lambda r: f"{Extension._meta.verbose_name} → {r.requested_date}", labels)
    entries += _entries_for(Evaluation.history.filter(case_id=case.pk), lambda r: str(Evaluation._meta.verbose_name),
                            labels)
    entries += _entries_for(CaseDocument.history.filter(case_id=case.pk),
                            lambda r: f"{r.get_kind_display()} {r.number}", labels)
    if reminders is None:
        reminders = case_reminder_log(case, include_planned=False)
    entries += [TimelineEntry(when=sent.when, who=_user_label(None), subject=_("Reminder sent: %s") % sent.label,
                              reason=_("To: %s") % "、".join(sent.recipients) if sent.recipients else "")
                for sent in reminders if sent.state == ReminderState.SENT]
    return sorted(entries, key=lambda e: e.when, reverse=True)


def today() -> date:
    return timezone.localdate()


@dataclass(frozen=True)
class Period:
    number: int
    due: date  # as the series sets it; the current one, moved off a rest day, is the case's due date
    report: Report | None  # the interim report that answered it, in order
    current: bool


def periodic_schedule(case: Case) -> list[Period]:
    """A periodic rule's series (定期报告), each period with the report that answered it: the case page's table."""
    if not case.due_basis:
        return []
    basis = DueDate.from_dict(case.due_basis)
    if basis.period is None:
        return []
    reports = list(case.reports.filter(kind=ReportKind.INTERIM).in_order())
    current = basis.period[0]
    return [Period(number, case.due_date if number == current else due,
                   reports[number - 1] if number < current and number - 1 < len(reports) else None,
                   number == current)
            for number, due in enumerate(period_dates(basis.rule, basis.anchor_date), start=1)]


def reports_with_changes(case: Case) -> list[Report]:
    """The case's reports in order, each with its `version` (第 N 稿, counted over all of them: the consultation
    draft, the returned reports and their revisions are one line of versions) and what changed since the one
    before it, as stored when it was submitted: `diff`."""
    reports = list(case.reports.select_related("submitted_by", "reviewed_by").in_order())
    for version, (previous, report) in enumerate(zip([None, *reports], reports, strict=False), start=1):
        report.version = version
        report.previous = previous
        report.diff = textdiff.Diff.from_json(report.changes) if report.changes is not None else None
    return reports


def report_versions(case: Case, report_pk: int) -> tuple[Report, Report]:
    """A report of the case and the one before it, to show side by side; Report.DoesNotExist if either is
    missing."""
    report = belonging_to(case, Report).get(pk=report_pk)
    previous = belonging_to(case, Report).before(report)
    if previous is None:
        raise Report.DoesNotExist
    return previous, report


def rate(part, whole) -> float | None:
    """A percentage with one decimal, or None when there is nothing to measure (not 0 %: nothing was late)."""
    return round(float(100 * part / whole), 1) if whole else None
