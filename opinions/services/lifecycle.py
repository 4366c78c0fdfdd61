"""A case's life from 交办 to 办结: issue, withdraw, acknowledge receipt, close, reopen, publish and unpublish, the
leadership's further supervision, and the 通报 the reminder ladder ends with."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from npc_tracker.errors import DomainError, InvalidInput

from .. import rules
from ..choices import DocumentKind, FurtherSupervision
from ..documents import Letter
from ..models import Case
from ..tracking import locked_case
from ..workflow import Action
from . import documents
from .common import local_date, required_text
from .transitions import apply_due, check_action, compute_due, transition


@transaction.atomic
def case_issue(*, case: Case, actor, issued_date: date | None = None, reason: str = "", at=None) -> Case:
    """交办: hand the case to its body and start the clock."""
    case = locked_case(case)
    check_action(case, Action.ISSUE, actor)
    issued_date = issued_date or local_date(at)
    if case.meeting and issued_date < case.meeting.start_date:
        raise InvalidInput(_("A case cannot be issued before its meeting."), field="issued_date")
    rule_set = rules.rule_set_for(case.kind)
    anchor_event = rule_set.anchor_event if rule_set else "issue"
    # Henan counts from receipt; until receipt is recorded the issue date stands in (domain.md §6).
    if anchor_event == "meeting" and case.meeting:
        due = compute_due(case, "meeting", case.meeting.last_date)
    else:
        due = compute_due(case, "issue", issued_date)
    apply_due(case, due)
    number = documents.assignment_number(case, issued_date)
    case = transition(case, Action.ISSUE, actor=actor, reason=reason or _("Issued to the body"), at=at,
                      issued_date=issued_date, doc_number=number)
    documents.keep_document(case, Letter(kind=DocumentKind.ASSIGNMENT, case=case, number=number,
                                         issued_on=issued_date), actor=actor, at=at)
    return case


@transaction.atomic
def case_withdraw(*, case: Case, actor, reason: str) -> Case:
    case = locked_case(case)
    reason = required_text(reason, "reason", _("Say why the draft is withdrawn."))
    return transition(case, Action.WITHDRAW, actor=actor, reason=reason)


@transaction.atomic
def case_acknowledge(*, case: Case, actor, received_date: date | None = None, at=None) -> Case:
    """签收: the body confirms receipt; where the rule counts from receipt, the due date is recomputed."""
    case = locked_case(case)
    check_action(case, Action.ACKNOWLEDGE, actor)
    received_date = received_date or local_date(at)
    if case.issued_date and received_date < case.issued_date:
        raise InvalidInput(_("Receipt cannot be before the issue date."), field="received_date")
    if received_date > local_date(None):
        raise InvalidInput(_("Receipt cannot be in the future."), field="received_date")
    rule_set = rules.rule_set_for(case.kind)
    if rule_set and rule_set.anchor_event == "receipt" and case.deadline_rule and not _has_extension(case):
        apply_due(case, compute_due(case, "receipt", received_date))
    return transition(case, Action.ACKNOWLEDGE, actor=actor, reason=_("Receipt acknowledged"), at=at,
                      received_date=received_date)


def _has_extension(case: Case) -> bool:
    return bool(case.due_basis) and any(step["kind"] == "extended" for step in case.due_basis.get("steps", []))


@transaction.atomic
def case_close(*, case: Case, actor, reason: str = "", at=None) -> Case:
    case = locked_case(case)
    return transition(case, Action.CLOSE, actor=actor, reason=reason or _("Case closed"), at=at,
                      closed_date=local_date(at))


@transaction.atomic
def case_reopen(*, case: Case, actor, reason: str) -> Case:
    case = locked_case(case)
    reason = required_text(reason, "reason", _("Say why the case is reopened."))
    return transition(case, Action.REOPEN, actor=actor, reason=reason, closed_date=None)


@transaction.atomic
def case_publish(*, case: Case, actor, at=None) -> Case:
    """向社会公布: the case is marked public. What goes out is the public app's choice (public.services)."""
    case = locked_case(case)
    check_action(case, Action.PUBLISH, actor)
    if case.is_public:
        raise DomainError(_("This case is already published: unpublish it first to publish it differently."),
                          code="wrong_status")
    return transition(case, Action.PUBLISH, actor=actor, reason=_("Published"), at=at, is_public=True)


@transaction.atomic
def case_unpublish(*, case: Case, actor, reason: str, at=None) -> Case:
    """Take a published case off the public site, with the reason on its history."""
    case = locked_case(case)
    check_action(case, Action.UNPUBLISH, actor)
    if not case.is_public:
        raise DomainError(_("This case is not published."), code="wrong_status")
    reason = required_text(reason, "reason", _("Say why the case is taken off the public site."))
    return transition(case, Action.UNPUBLISH, actor=actor, reason=_("Unpublished: %(reason)s") % {"reason": reason},
                      at=at, is_public=False)


@transaction.atomic
def case_decide_further_supervision(*, case: Case, actor, measure: str, reason: str, at=None) -> Case:
    """Leadership's decision beyond 通报 (专题询问 / 质询 / 跟踪检查), recorded on the case and sent to the body."""
    case = locked_case(case)
    if measure not in FurtherSupervision.values:
        raise InvalidInput(_("Choose a special inquiry, an interpellation or a follow-up inspection."),
                           field="measure")
    reason = required_text(reason, "reason", _("Say why and what is decided (e.g. the meeting that decided it)."))
    label = FurtherSupervision(measure).label
    return transition(case, Action.PROPOSE_ESCALATION, actor=actor, at=at, reason=f"{label}：{reason}",
                      further_supervision=measure, further_supervision_on=local_date(at))
