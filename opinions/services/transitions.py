"""A case's move along the workflow: asked of the transition table, saved with history, followed in the same
transaction by its re-planned reminders and the messages to the people who must act (issue 3)."""

from datetime import date

from .. import deadlines, rules, workflow
from ..errors import from_transition_refused
from ..models import Case
from ..notices import Event, notify_event
from ..permissions import case_roles, rule_arguments
from ..reminders.planning import replan_reminders
from ..tracking import save_tracked
from ..workflow import Action, CaseStatus


def check_action(case: Case, action: Action, actor, *, with_items: bool = True) -> CaseStatus:
    """The workflow's answer for this actor on this case; `with_items=False` leaves the items guard out (a step that
    settles the items itself asks first whether it may be taken at all)."""
    guarded = with_items and action in workflow.ITEMS_GUARDED_ACTIONS
    items = case.items.values_list("status", flat=True) if guarded else ()
    try:
        return workflow.check(action, case.status, case_roles(actor, case), item_statuses=list(items),
                              **rule_arguments(case))
    except workflow.TransitionRefused as exc:
        raise from_transition_refused(exc) from exc


ACTION_EVENTS = {
    Action.ISSUE: Event.CASE_ISSUED,
    Action.SUBMIT_CONSULTATION_DRAFT: Event.CONSULTATION_DRAFT,
    Action.COMMENT_CONSULTATION: Event.CONSULTATION_COMMENTS,
    Action.SUBMIT_INTERIM_REPORT: Event.REPORT_SUBMITTED,
    Action.SUBMIT_REPORT: Event.REPORT_SUBMITTED,
    Action.RETURN_REPORT: Event.REPORT_RETURNED,
    Action.EVALUATE_SATISFIED: Event.EVALUATION_RECORDED,
    Action.EVALUATE_BASICALLY_SATISFIED: Event.EVALUATION_RECORDED,
    Action.EVALUATE_DISSATISFIED: Event.EVALUATION_RECORDED,
    Action.CLOSE: Event.CASE_CLOSED,
    Action.PROPOSE_ESCALATION: Event.FURTHER_SUPERVISION,
    Action.REQUEST_SIGNOFF: Event.SIGNOFF_REQUESTED,
    Action.SIGN_OFF: Event.SIGNOFF_DECIDED,
}


def transition(case: Case, action: Action, *, actor, reason: str, at=None, **changes) -> Case:
    case.status = check_action(case, action, actor)
    for name, value in changes.items():
        setattr(case, name, value)
    save_tracked(case, actor=actor, reason=reason, at=at)
    after_change(case, ACTION_EVENTS.get(action), actor=actor, detail=reason, at=at)
    return case


def after_change(case: Case, event: Event | None, *, actor, detail: str = "", at=None) -> None:
    """In the same transaction: re-plan the reminders and tell the people who must act (issue 3)."""
    replan_reminders(case)
    if event:
        ref = case.history.order_by("-history_id").values_list("history_id", flat=True).first()
        notify_event(case, event, actor=actor, ref=f"h{ref}", detail=detail, at=at)


def apply_due(case: Case, due: deadlines.DueDate | None) -> None:
    if due is None:
        case.due_date = case.original_due_date = case.due_basis = None
        return
    case.due_date = due.due
    case.original_due_date = due.original_due
    case.due_basis = due.to_dict()


def compute_due(case: Case, anchor_event: str, anchor_date: date) -> deadlines.DueDate | None:
    if not case.deadline_rule:
        return None
    return rules.compute_due(case.deadline_rule, case_kind=case.kind, anchor_event=anchor_event,
                             anchor_date=anchor_date,
                             hearing_meeting=case.hearing_meeting.start_date if case.hearing_meeting else None)
