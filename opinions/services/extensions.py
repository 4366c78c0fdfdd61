"""延期: the body asks for more time before the due date; whoever the rule set names decides."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from npc_tracker.errors import DomainError, InvalidInput

from .. import deadlines, rules
from ..choices import ExtensionDecision
from ..models import Case, Extension
from ..notices import Event, notify_event
from ..reminders.planning import replan_reminders
from ..tracking import locked_case, save_tracked
from ..workflow import Action
from .common import local_date, moment, required_text
from .documents import extension_reply_keep
from .transitions import apply_due, check_action


@transaction.atomic
def extension_request(*, case: Case, actor, requested_date: date, reason: str, at=None) -> Extension:
    """延期申请: before the deadline, with a reason and a proposed date (Anyang 办法 art. 17)."""
    case = locked_case(case)
    check_action(case, Action.REQUEST_EXTENSION, actor)
    reason = required_text(reason, "reason", _("Say why more time is needed."))
    today = local_date(at)
    if case.due_date is None:
        raise DomainError(_("This case has no due date to extend."), code="no_due_date")
    if today > case.due_date:
        raise DomainError(_("An extension must be requested before the due date (%(due)s).") % {"due": case.due_date},
                          code="too_late")
    if requested_date <= case.due_date:
        raise InvalidInput(_("The proposed date must be after the current due date (%(due)s).")
                           % {"due": case.due_date}, field="requested_date")
    if case.extensions.filter(decision=ExtensionDecision.PENDING).exists():
        raise DomainError(_("An extension request is already awaiting a decision."), code="extension_pending")
    extension = Extension(case=case, requested_date=requested_date, reason=reason, requested_by=actor,
                          requested_at=moment(at), previous_due_date=case.due_date)
    save_tracked(extension, actor=actor, reason=reason, at=at)
    notify_event(case, Event.EXTENSION_REQUESTED, actor=actor, ref=f"x{extension.pk}", detail=reason, at=at)
    return extension


@transaction.atomic
def extension_decide(*, extension: Extension, actor, approve: bool, comment: str = "", at=None) -> Extension:
    case = locked_case(extension.case)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    check_action(case, Action.DECIDE_EXTENSION, actor)
    if extension.decision != ExtensionDecision.PENDING:
        raise DomainError(_("This extension request has already been decided."), code="already_decided")
    if not approve:
        comment = required_text(comment, "comment", _("Say why the extension is refused."))
    extension.decision = ExtensionDecision.APPROVED if approve else ExtensionDecision.REFUSED
    extension.decision_comment = comment.strip()
    extension.decided_by = actor
    extension.decided_at = moment(at)
    save_tracked(extension, actor=actor, reason=comment or extension.decision, at=at)
    if approve:
        current = deadlines.DueDate.from_dict(case.due_basis)
        apply_due(case, rules.extend_due(current, extension.requested_date, case_kind=case.kind))
        save_tracked(case, actor=actor, at=at, reason=_("Extension approved to %(date)s") % {"date": case.due_date})
    replan_reminders(case)
    extension_reply_keep(extension, actor=actor, at=at)
    notify_event(case, Event.EXTENSION_DECIDED, actor=actor, ref=f"x{extension.pk}",
                 detail=extension.decision_comment, at=at)
    return extension


def extension_decide_pending(*, case: Case, actor, approve: bool, comment: str = "", at=None) -> Extension:
    """Decide the case's pending request (there is at most one, by constraint)."""
    pending = case.extensions.filter(decision=ExtensionDecision.PENDING).first()
    if pending is None:
        raise DomainError(_("There is no extension request awaiting a decision."), code="no_pending_extension")
    return extension_decide(extension=pending, actor=actor, approve=approve, comment=comment, at=at)
