"""The audit-problem ledger (审计查出问题整改台账, issue 15): problems entered from the audit office's list, the
units' rectification reports, and 屡审屡犯. Each problem is an item of the audit rectification case, so its progress,
mark-done, 销号 and carry-over are the item workflow's (services.items); what is here is what only an audit problem
has."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Body
from npc_tracker.errors import DomainError, InvalidInput, NotAllowed

from .. import audit_report
from ..choices import RECTIFIED_BY_WAY, CaseKind, ItemKind
from ..models import AuditArea, AuditProblem, AuditReportText, Case, CaseItem
from ..permissions import case_roles
from ..tracking import locked_case, save_tracked
from ..workflow import CaseStatus, ItemAction, ItemStatus, Role
from .attachments import attachment_add
from .common import local_date
from .items import item_report_follow_up, report_on_item

# The list is still being drawn up and worked on: problems are added and corrected until the report is submitted.
LIST_OPEN_STATUSES = frozenset({CaseStatus.DRAFT, CaseStatus.ISSUED, CaseStatus.IN_PROGRESS,
                                CaseStatus.IN_CONSULTATION})
# What the audit office's list says of a problem; the rest is what the unit and the committee record later.
LISTED_FIELDS = ("audit_year", "area", "problem_type", "rectification_type")
LISTED_ITEM_FIELDS = ("heading", "text", "amount", "responsible_body")
WAYS = tuple(name for name, _label in RECTIFIED_BY_WAY)
PROGRESS_EVERY = 100  # rows saved between two reports of the progress


@dataclass(frozen=True)
class ListedProblem:
    """One problem of the audit office's list, checked (opinions.audit_import)."""

    reference: str
    audit_year: int
    area: AuditArea
    problem_type: str
    unit: Body
    heading: str
    text: str
    amount: Decimal | None
    rectification_type: str


@dataclass(frozen=True)
class ListSaved:
    created: int
    updated: int
    unchanged: int


def _check_staff(case: Case, actor) -> None:
    if Role.STAFF not in case_roles(actor, case):
        raise NotAllowed(_("Only the committee staff of this case enter its audit problems."))


def check_list_case(case: Case, actor) -> None:
    """Problems go on an audit rectification case the actor follows up, while its list is still open."""
    _check_staff(case, actor)
    if case.kind != CaseKind.AUDIT_RECTIFICATION:
        raise DomainError(_("Audit problems belong to an audit rectification case."), code="wrong_kind")
    if case.status not in LIST_OPEN_STATUSES:
        raise DomainError(_("The problem list of a case whose report is submitted can no longer change."),
                          code="wrong_status")


@transaction.atomic
def audit_problems_save(*, case: Case, actor, problems: list[ListedProblem], reason: str,
                        at: datetime | None = None, progress=None) -> ListSaved:
    """Add the listed problems to the case, or correct those already there (by year and reference): a re-import
    updates and never duplicates. All or nothing: the caller has checked every row (opinions.audit_import); what
    only the database can tell — a reference on another case, a verified problem changed — refuses the whole list.
    Each unit becomes a co-handling body of the case, so its liaisons see the case and report on their own
    problems only."""
    case = locked_case(case)
    check_list_case(case, actor)
    existing = {(p.audit_year, p.reference): p for p in AuditProblem.objects.select_for_update(of=("self",))
                .select_related("item").filter(reference__in=[row.reference for row in problems])}
    number = max(case.items.values_list("number", flat=True), default=0)
    created = updated = unchanged = 0
    for done, row in enumerate(problems):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress("saving", done, len(problems))
        problem = existing.get((row.audit_year, row.reference))
        if problem is None:
            number += 1
            item = CaseItem(case=case, number=number, kind=ItemKind.AUDIT_PROBLEM)
            problem = AuditProblem(reference=row.reference)
            created += 1
        elif problem.item.case_id != case.pk:
            raise InvalidInput(_("Problem %(reference)s of %(year)s is on another case.")
                               % {"reference": row.reference, "year": row.audit_year}, field="reference")
        else:
            item = problem.item
            if not _differs(problem, item, row):
                unchanged += 1
                continue
            if item.status == ItemStatus.CLOSED:
                raise InvalidInput(_("Problem %(reference)s is verified (销号): its listing can no longer change.")
                                   % {"reference": row.reference}, field="reference")
            updated += 1
        _listed(problem, item, row)
        save_tracked(item, actor=actor, reason=reason, at=at)
        problem.item = item
        save_tracked(problem, actor=actor, reason=reason, at=at)
    case.co_bodies.add(*({row.unit.pk for row in problems} - {case.lead_body_id}))
    return ListSaved(created=created, updated=updated, unchanged=unchanged)


def _listed(problem: AuditProblem, item: CaseItem, row: ListedProblem) -> None:
    for name in LISTED_FIELDS:
        setattr(problem, name, getattr(row, name))
    item.heading, item.text, item.amount, item.responsible_body = row.heading, row.text, row.amount, row.unit


def _differs(problem: AuditProblem, item: CaseItem, row: ListedProblem) -> bool:
    listed = (row.audit_year, row.area.pk, row.problem_type, row.rectification_type,
              row.heading, row.text, row.amount, row.unit.pk)
    stored = (problem.audit_year, problem.area_id, problem.problem_type, problem.rectification_type,
              item.heading, item.text, item.amount, item.responsible_body_id)
    return listed != stored


@transaction.atomic
def audit_problem_report(*, problem: AuditProblem, actor, progress_note: str, ways: dict[str, Decimal | None],
                         rules_made: int | None = None, people_dealt_with: int | None = None,
                         matters_referred: int | None = None, files=(), at: datetime | None = None) -> AuditProblem:
    """The unit reports on its problem: the progress, the money rectified so far by way (上缴财政, 拨付 …, totals to
    date; their sum is the amount rectified and never exceeds the amount involved), rules made and accountability.
    The item's progress step (or, carried over, its follow-up report) with the same permissions: a unit's liaison
    reports on its own problems only."""
    unknown = set(ways) - set(WAYS)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    problem = AuditProblem.objects.select_for_update(of=("self",)).select_related("item").get(pk=problem.pk)
    for name, value in ways.items():
        if value is not None and value < 0:
            raise InvalidInput(_("An amount cannot be negative."), field=name)
        setattr(problem, name, value)
    given = [getattr(problem, name) for name in WAYS if getattr(problem, name) is not None]
    rectified = sum(given, Decimal(0)) if given else None
    for name, value in (("rules_made", rules_made), ("people_dealt_with", people_dealt_with),
                        ("matters_referred", matters_referred)):
        if value is not None:
            setattr(problem, name, value)
    if problem.item.status == ItemStatus.CARRIED_OVER:  # it answers the next report date, as the item's step does
        item = item_report_follow_up(item=problem.item, actor=actor, progress_note=progress_note,
                                     rectified_amount=rectified, files=files, at=at)
    else:
        item = report_on_item(problem.item, ItemAction.REPORT_PROGRESS, actor=actor, progress_note=progress_note,
                              measures=None, rectified_amount=rectified, files=files, at=at)
    problem.item = item
    save_tracked(problem, actor=actor, reason=item.progress_note, at=at)
    return problem


@transaction.atomic
def audit_problem_confirm_repeat(*, problem: AuditProblem, actor, repeat_of: AuditProblem | None,
                                 at: datetime | None = None) -> AuditProblem:
    """屡审屡犯: the staff confirm that the problem repeats one of the same unit in an earlier audit year (None takes
    a confirmation back)."""
    problem = AuditProblem.objects.select_for_update(of=("self",)).select_related("item__case").get(pk=problem.pk)
    _check_staff(problem.item.case, actor)
    if repeat_of is not None:
        earlier = AuditProblem.objects.select_related("item").get(pk=repeat_of.pk)
        if earlier.audit_year >= problem.audit_year:
            raise InvalidInput(_("A repeat is of a problem found in an earlier audit year."), field="repeat_of")
        if earlier.item.responsible_body_id != problem.item.responsible_body_id:
            raise InvalidInput(_("A repeat is of a problem of the same unit."), field="repeat_of")
        reason = _("Confirmed as a repeat (屡审屡犯) of %(reference)s") % {"reference": earlier.reference}
    else:
        reason = _("Not a repeat finding")
    problem.repeat_of = repeat_of
    save_tracked(problem, actor=actor, reason=reason, at=at)
    return problem


@transaction.atomic
def audit_report_text_save(*, case: Case, actor, introduction: str, measures: str, next_steps: str,
                           at: datetime | None = None) -> AuditReportText:
    """The staff's own words in the December report; each save is a version in its history."""
    case = locked_case(case)
    _check_staff(case, actor)
    if case.kind != CaseKind.AUDIT_RECTIFICATION:
        raise DomainError(_("The December report belongs to an audit rectification case."), code="wrong_kind")
    text = AuditReportText.objects.select_for_update().filter(case=case).first() or AuditReportText(case=case)
    text.introduction, text.measures, text.next_steps = introduction.strip(), measures.strip(), next_steps.strip()
    save_tracked(text, actor=actor, reason=_("December report text edited"), at=at)
    return text


@transaction.atomic
def audit_report_attach(*, case: Case, actor, at: datetime | None = None):
    """Keep the report as issued: generated from the ledger as it stands, attached to the case (a file is never
    changed or deleted, and the case's history says who attached it and when)."""
    case = locked_case(case)
    _check_staff(case, actor)
    with audit_report.build(case, as_of=local_date(at)) as output:
        year = audit_report.audit_year_of(case)
        upload = File(output, name=f"{audit_report.report_title(year)}.docx")
        upload.size = output.seek(0, 2)
        output.seek(0)
        return attachment_add(case=case, actor=actor, file=upload)
