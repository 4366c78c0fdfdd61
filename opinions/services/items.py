"""The numbered items of an issued case, each worked on by the body and verified (销号) by the committee."""


from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from npc_tracker.errors import InvalidInput

from .. import workflow
from ..errors import from_transition_refused
from ..models import AuditProblem, CaseItem
from ..notices import Event, notify_event
from ..permissions import item_roles
from ..reminders.planning import replan_reminders
from ..tracking import locked_case, save_tracked
from ..workflow import ItemAction, ItemStatus
from .attachments import attach_files
from .common import local_date, moment, required_text


def _rectified(item: CaseItem, amount) -> dict:
    """The item's new rectified amount, if one is given: only against an amount involved, and never above it."""
    if amount is None:
        return {}
    if item.amount is None:
        raise InvalidInput(_("This item has no amount involved, so no amount can be rectified."),
                           field="rectified_amount")
    if not 0 <= amount <= item.amount:
        raise InvalidInput(_("The amount rectified must be between 0 and the amount involved (%(amount)s).")
                           % {"amount": item.amount}, field="rectified_amount")
    return {"rectified_amount": amount}


def _item_transition(item: CaseItem, action: ItemAction, *, actor, reason: str, at=None, **changes) -> CaseItem:
    case = locked_case(item.case)
    item = CaseItem.objects.select_for_update(of=("self",)).select_related("case").get(pk=item.pk)
    before = item.status
    try:
        item.status = workflow.check_item(action, item.status, case.status, item_roles(actor, item))
    except workflow.TransitionRefused as exc:
        raise from_transition_refused(exc) from exc
    carried_over = ItemStatus.CARRIED_OVER in (before, item.status)
    for name, value in changes.items():
        setattr(item, name, value)
    save_tracked(item, actor=actor, reason=reason, at=at)
    if carried_over:  # the follow-up reminders of the item's next report date
        replan_reminders(case)
    return item


def report_on_item(item: CaseItem, action: ItemAction, *, actor, progress_note: str, measures: str | None,
                   rectified_amount, files, at, **changes) -> CaseItem:
    """The body's report on an item (progress, or the follow-up of a carried-over one), evidence files included."""
    progress_note = required_text(progress_note, "progress_note", _("Describe the progress."))
    changes.update(progress_note=progress_note, **_rectified(item, rectified_amount))
    if measures is not None:
        changes["measures"] = measures.strip()
    item = _item_transition(item, action, actor=actor, reason=progress_note, at=at, **changes)
    attach_files(files, case=item.case, actor=actor, item=item)
    return item


@transaction.atomic
def item_report_progress(*, item: CaseItem, actor, progress_note: str, measures: str | None = None,
                         rectified_amount=None, files=(), at=None) -> CaseItem:
    return report_on_item(item, ItemAction.REPORT_PROGRESS, actor=actor, progress_note=progress_note,
                          measures=measures, rectified_amount=rectified_amount, files=files, at=at)


@transaction.atomic
def item_mark_done(*, item: CaseItem, actor, measures: str, rectified_amount=None, files=(),
                   at=None) -> CaseItem:
    measures = required_text(measures, "measures", _("List the measures taken before marking the item done."))
    item = _item_transition(item, ItemAction.MARK_DONE, actor=actor, reason=_("Marked done"), at=at,
                            measures=measures, **_rectified(item, rectified_amount))
    attach_files(files, case=item.case, actor=actor, item=item)
    return item


@transaction.atomic
def item_verify(*, item: CaseItem, actor, note: str = "", at=None) -> CaseItem:
    item = _item_transition(item, ItemAction.VERIFY, actor=actor, reason=note or _("Verified and closed"), at=at,
                            committee_note=note.strip())
    _record_verification(item, actor, at)
    return item


def _record_verification(item: CaseItem, actor, at) -> None:
    """销号 of an audit problem: who and when, on the ledger's row."""
    problem = AuditProblem.objects.filter(pk=item.pk).first()
    if problem is not None:
        problem.verified_by, problem.verified_at = actor, moment(at)
        save_tracked(problem, actor=actor, reason=_("Verified and closed"), at=at)


@transaction.atomic
def item_send_back(*, item: CaseItem, actor, reason: str, at=None) -> CaseItem:
    reason = required_text(reason, "reason", _("Say why the item is sent back."))
    return _item_transition(item, ItemAction.SEND_BACK, actor=actor, reason=reason, at=at, committee_note=reason)


@transaction.atomic
def item_report_follow_up(*, item: CaseItem, actor, progress_note: str, measures: str | None = None,
                          rectified_amount=None, files=(), at=None) -> CaseItem:
    """持续整改: the body reports on a carried-over item, even after the case closed. The report answers the next
    report date (its reminders stop); the committee then verifies the item (销号) or sets the next date."""
    item = report_on_item(item, ItemAction.REPORT_FOLLOW_UP, actor=actor, progress_note=progress_note,
                          measures=measures, rectified_amount=rectified_amount, files=files, at=at,
                          next_report_date=None)
    notify_event(item.case, Event.FOLLOW_UP_REPORTED, actor=actor, ref=f"i{item.pk}:{item.history.latest().pk}",
                 detail=_("Item %(number)s: %(note)s") % {"number": item.number, "note": item.progress_note}, at=at)
    return item


@transaction.atomic
def item_carry_over(*, item: CaseItem, actor, reason: str, next_report_date: date | None, at=None) -> CaseItem:
    """持续整改: the item stops blocking the case's closing, and the body reports on it again by `next_report_date`
    (after today). A carried-over item is carried over again with its next date, after the body's follow-up report."""
    reason = required_text(reason, "reason", _("Say why the item is carried over (e.g. long-term rectification)."))
    if next_report_date is None:
        raise InvalidInput(_("Give the date by which the body next reports on this item."), field="next_report_date")
    if next_report_date <= local_date(at):
        raise InvalidInput(_("The next report date must be after today."), field="next_report_date")
    return _item_transition(item, ItemAction.CARRY_OVER, actor=actor, reason=reason, at=at, committee_note=reason,
                            next_report_date=next_report_date)
