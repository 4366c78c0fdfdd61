"""Lifecycle of a deliberation opinion (审议意见) case: statuses, actions, the transition table and who may do what.

This module is the single source of truth for the case lifecycle. Django services call :func:`check` before every
state change and the UI calls :func:`available_actions` to decide which buttons to show, so both always agree.

It is deliberately pure (standard library only, no Django): the rules can be tested exhaustively without a database,
and nothing here can drift because of a model or a form. Things that need data this module does not have (dates,
which items belong to a co-handling body, whether an extension request is pending, follow-up items after a
"basically satisfied" evaluation) are checked by the Django side.

Roles are always relative to ONE case: the Django side works out which of them a user holds for that case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "ACTIVE_FOR_ITEMS",
    "BODY_ITEM_CASE_STATUSES",
    "CARRIED_OVER_CASE_STATUSES",
    "CLOSING_ACTIONS",
    "EXTENSION_REQUEST_STATUSES",
    "FOLLOW_UP_CASE_STATUSES",
    "ITEMS_GUARDED_ACTIONS",
    "ITEM_TRANSITIONS",
    "OPEN_STATUSES",
    "OWED_STATUSES",
    "PUBLISHED_STATUSES",
    "SEND_BACK_CASE_STATUSES",
    "SETTLED_ITEM_STATUSES",
    "SETTLING_ACTIONS",
    "TRANSITIONS",
    "Action",
    "CaseStatus",
    "ExtensionApprover",
    "ItemAction",
    "ItemStatus",
    "ItemTransition",
    "Role",
    "SignoffBy",
    "SignoffState",
    "Transition",
    "TransitionRefused",
    "available_actions",
    "available_item_actions",
    "check",
    "check_item",
    "ever_allowed",
    "is_allowed",
    "item_action_ever_allowed",
    "items_settled",
    "settling_action",
]


class CaseStatus(StrEnum):
    DRAFT = "draft"  # 起草
    ISSUED = "issued"  # 已交办
    IN_PROGRESS = "in_progress"  # 办理中
    IN_CONSULTATION = "in_consultation"  # 征求意见中
    SUBMITTED = "submitted"  # 已报送
    ACCEPTED = "accepted"  # 已审核
    CLOSED = "closed"  # 办结
    WITHDRAWN = "withdrawn"  # 已撤回


class ItemStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"  # the body says it is done (measures and evidence); the committee has not verified it yet
    CLOSED = "closed"  # 销号: verified by the committee
    CARRIED_OVER = "carried_over"  # 持续整改: long-term work that must not block closing the case


class Role(StrEnum):
    STAFF = "staff"  # committee staff responsible for the case
    LIAISON = "liaison"  # liaison of the lead body (承办单位)
    CO_LIAISON = "co_liaison"  # liaison of a co-handling body (协办单位)
    LEADER = "leader"  # Council of Chairpersons (主任会议) / leadership
    OFFICE = "office"  # the Standing Committee's general office (办公室), whose director signs off (审签) a draft


class Action(StrEnum):
    EDIT_DRAFT = "edit_draft"
    ISSUE = "issue"
    WITHDRAW = "withdraw"
    ACKNOWLEDGE = "acknowledge"
    SUBMIT_CONSULTATION_DRAFT = "submit_consultation_draft"
    COMMENT_CONSULTATION = "comment_consultation"
    SUBMIT_INTERIM_REPORT = "submit_interim_report"
    SUBMIT_REPORT = "submit_report"
    RETURN_REPORT = "return_report"
    ACCEPT_REPORT = "accept_report"
    EVALUATE_SATISFIED = "evaluate_satisfied"
    EVALUATE_BASICALLY_SATISFIED = "evaluate_basically_satisfied"
    EVALUATE_DISSATISFIED = "evaluate_dissatisfied"
    REQUEST_EXTENSION = "request_extension"
    DECIDE_EXTENSION = "decide_extension"
    CLOSE = "close"
    REOPEN = "reopen"
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    PROPOSE_ESCALATION = "propose_escalation"
    REQUEST_SIGNOFF = "request_signoff"  # 送审: the drafting staff send the draft and its 交办通知 for sign-off
    SIGN_OFF = "sign_off"  # 审签: approved (then it can be numbered and issued) or returned for revision
    PRESS = "press"  # 催办: the staff press the body by a numbered 催办通知, at any time while the report is owed


class ItemAction(StrEnum):
    REPORT_PROGRESS = "report_progress"
    MARK_DONE = "mark_done"
    VERIFY = "verify"
    SEND_BACK = "send_back"
    CARRY_OVER = "carry_over"
    REPORT_FOLLOW_UP = "report_follow_up"  # 持续整改: the body reports again on a carried-over item


class SignoffBy(StrEnum):
    """Who signs off (审签) a draft before it is numbered and issued; the rule set in force names them."""

    NONE = "none"
    OFFICE = "office"
    LEADER = "leader"


class SignoffState(StrEnum):
    """Where a draft stands in its sign-off; a change to the draft sends it back to the start."""

    NOT_REQUESTED = "not_requested"
    REQUESTED = "requested"
    SIGNED = "signed"


class ExtensionApprover(StrEnum):
    """Who decides extension requests; the rule set in force names it, so it is a parameter, not a constant."""

    LEADER = "leader"
    STAFF = "staff"


# "Open" = issued to a body and not yet finished: the states in which an extension may be granted.
OPEN_STATUSES: frozenset[CaseStatus] = frozenset(
    {
        CaseStatus.ISSUED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.IN_CONSULTATION,
        CaseStatus.SUBMITTED,
        CaseStatus.ACCEPTED,
    }
)

# Owed: the body has not yet submitted its final report (domain.md §5: overdue is "not yet submitted"). The statuses
# in which reminders run, the overdue board counts and the case list sorts first.
OWED_STATUSES: frozenset[CaseStatus] = frozenset(
    {CaseStatus.ISSUED, CaseStatus.IN_PROGRESS, CaseStatus.IN_CONSULTATION}
)

# The body may only ask for more time while the work is still in its hands, i.e. before it has submitted its report.
EXTENSION_REQUEST_STATUSES: frozenset[CaseStatus] = OWED_STATUSES

# Items are worked on once the body has acknowledged the case and until the case is closed. The committee keeps
# verifying / carrying over items while it reviews the report (submitted, accepted) ...
ACTIVE_FOR_ITEMS: frozenset[CaseStatus] = frozenset(
    {CaseStatus.IN_PROGRESS, CaseStatus.IN_CONSULTATION, CaseStatus.SUBMITTED, CaseStatus.ACCEPTED}
)
# ... but the body may only change items while the case is with it; once the report is submitted the report must
# describe a stable state of the items.
BODY_ITEM_CASE_STATUSES: frozenset[CaseStatus] = frozenset({CaseStatus.IN_PROGRESS, CaseStatus.IN_CONSULTATION})
# An item goes back to the body only until the report is accepted: after that nobody could work on it (the body's
# hands are off an accepted case), so it could only be carried over. After acceptance the case itself goes back,
# with a 不满意 vote or by reopening it.
SEND_BACK_CASE_STATUSES: frozenset[CaseStatus] = ACTIVE_FOR_ITEMS - {CaseStatus.ACCEPTED}
# A carried-over item (持续整改) outlives the case's acceptance and closing: the body reports on it again by its next
# report date, and the committee then verifies it (销号) or sets the next date, until it is done. The body does not
# report while its final report is under review (submitted), as for any item.
CARRIED_OVER_CASE_STATUSES: frozenset[CaseStatus] = ACTIVE_FOR_ITEMS | {CaseStatus.CLOSED}
FOLLOW_UP_CASE_STATUSES: frozenset[CaseStatus] = CARRIED_OVER_CASE_STATUSES - {CaseStatus.SUBMITTED}

# A case can be closed only when every item is verified (销号) or explicitly carried over (持续整改); satisfied and
# basically-satisfied evaluations close the case, so the same guard applies to them. "Dissatisfied" does not close.
CLOSING_ACTIONS: frozenset[Action] = frozenset(
    {Action.CLOSE, Action.EVALUATE_SATISFIED, Action.EVALUATE_BASICALLY_SATISFIED}
)
SETTLED_ITEM_STATUSES: frozenset[ItemStatus] = frozenset({ItemStatus.CLOSED, ItemStatus.CARRIED_OVER})
# The items are settled when the report is accepted, not only when the case closes (issue 14 §5). Accepting while an
# item was still open left a dead end: the body may not touch items once its report is submitted, so the open item
# could only be carried over, and the vote the Standing Committee then takes on the accepted report could not be
# recorded. So accepting is where the committee settles each item — it verifies (销号) what the body marked done and
# carries over (持续整改) what is not — or returns the report; the acceptance step may do both itself
# (:func:`settling_action`), which is why it is offered whatever state the items are in. From acceptance on, every
# item is settled, and an evaluation or closing is never refused for open items.
SETTLING_ACTIONS: frozenset[Action] = frozenset({Action.ACCEPT_REPORT})
ITEMS_GUARDED_ACTIONS: frozenset[Action] = CLOSING_ACTIONS | SETTLING_ACTIONS

# Where a published case can be: published once accepted or closed, it stays public if a 不满意 vote or reopening
# sends it back to the body, and can be taken off the public site (unpublished) in any of these. Whether it is
# public now is the Django side's check.
PUBLISHED_STATUSES: frozenset[CaseStatus] = ACTIVE_FOR_ITEMS | {CaseStatus.CLOSED}


# --- the case transition table -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    action: Action
    source: CaseStatus
    target: CaseStatus
    roles: frozenset[Role]


_STAFF = frozenset({Role.STAFF})
_LIAISON = frozenset({Role.LIAISON})
# Who decides an extension depends on the rule set; the row lists every possible decider and check() narrows it.
_EXTENSION_DECIDERS = frozenset({Role.LEADER, Role.STAFF})
_DECIDER_BY_APPROVER: dict[ExtensionApprover, frozenset[Role]] = {
    ExtensionApprover.LEADER: frozenset({Role.LEADER}),
    ExtensionApprover.STAFF: frozenset({Role.STAFF}),
}

_SIGNERS = frozenset({Role.OFFICE, Role.LEADER})
_SIGNER_BY_RULE: dict[SignoffBy, frozenset[Role]] = {
    SignoffBy.NONE: _SIGNERS,  # nobody signs off: the sign-off guard refuses before any role matters
    SignoffBy.OFFICE: frozenset({Role.OFFICE}),
    SignoffBy.LEADER: frozenset({Role.LEADER}),
}
# The sign-off state each step needs where the rule set asks for a sign-off.
_SIGNOFF_NEEDED: dict[Action, SignoffState] = {
    Action.REQUEST_SIGNOFF: SignoffState.NOT_REQUESTED,
    Action.SIGN_OFF: SignoffState.REQUESTED,
    Action.ISSUE: SignoffState.SIGNED,
}

_S = CaseStatus
_A = Action

# One row per (action, source), ordered by action as declared in Action: available_actions() returns this order, so
# the UI shows buttons in a stable, lifecycle-like order.
TRANSITIONS: tuple[Transition, ...] = (
    # The staff prepare the opinion (title, items, text) before handing it over; once issued it belongs to the record.
    Transition(_A.EDIT_DRAFT, _S.DRAFT, _S.DRAFT, _STAFF),
    Transition(_A.ISSUE, _S.DRAFT, _S.ISSUED, _STAFF),
    # 审签 (domain.md §1): where the rule set names a signer, the draft is sent for sign-off, signed off (or returned),
    # and only then numbered and issued. Checked by the sign-off guard in check(); the status stays a draft.
    Transition(_A.REQUEST_SIGNOFF, _S.DRAFT, _S.DRAFT, _STAFF),
    Transition(_A.SIGN_OFF, _S.DRAFT, _S.DRAFT, _SIGNERS),
    # Only a draft can be withdrawn: an issued opinion is on record and is settled by evaluation or closing.
    Transition(_A.WITHDRAW, _S.DRAFT, _S.WITHDRAWN, _STAFF),
    Transition(_A.ACKNOWLEDGE, _S.ISSUED, _S.IN_PROGRESS, _LIAISON),
    # The body sends its draft report to the committee for comments (征求意见) before the formal report.
    Transition(_A.SUBMIT_CONSULTATION_DRAFT, _S.IN_PROGRESS, _S.IN_CONSULTATION, _LIAISON),
    Transition(_A.COMMENT_CONSULTATION, _S.IN_CONSULTATION, _S.IN_PROGRESS, _STAFF),
    # Phased reports: interim/phase reports are records only and do not change the status; only the final report
    # (SUBMIT_REPORT) can be accepted. Allowed whenever the work is in the body's hands.
    Transition(_A.SUBMIT_INTERIM_REPORT, _S.IN_PROGRESS, _S.IN_PROGRESS, _LIAISON),
    Transition(_A.SUBMIT_INTERIM_REPORT, _S.IN_CONSULTATION, _S.IN_CONSULTATION, _LIAISON),
    # The final report; after a consultation the committee's comments must come back first.
    Transition(_A.SUBMIT_REPORT, _S.IN_PROGRESS, _S.SUBMITTED, _LIAISON),
    # 退回修改: returned with reasons, the body keeps working on it.
    Transition(_A.RETURN_REPORT, _S.SUBMITTED, _S.IN_PROGRESS, _STAFF),
    # Accepting settles every item (verified or carried over, see SETTLING_ACTIONS), so what follows never waits for
    # an item.
    Transition(_A.ACCEPT_REPORT, _S.SUBMITTED, _S.ACCEPTED, _STAFF),
    # Evaluation (满意度测评) of an accepted report. 满意 and 基本满意 close the case (items guard, see CLOSING_ACTIONS;
    # 基本满意 may require follow-up items, recorded by the Django side). 不满意 means 重新办理: back to the body with a
    # new deadline, reporting again at the next session.
    Transition(_A.EVALUATE_SATISFIED, _S.ACCEPTED, _S.CLOSED, _STAFF),
    Transition(_A.EVALUATE_BASICALLY_SATISFIED, _S.ACCEPTED, _S.CLOSED, _STAFF),
    Transition(_A.EVALUATE_DISSATISFIED, _S.ACCEPTED, _S.IN_PROGRESS, _STAFF),
    # Requested before the deadline (date checked by the Django side) while the body still holds the case.
    Transition(_A.REQUEST_EXTENSION, _S.ISSUED, _S.ISSUED, _LIAISON),
    Transition(_A.REQUEST_EXTENSION, _S.IN_PROGRESS, _S.IN_PROGRESS, _LIAISON),
    Transition(_A.REQUEST_EXTENSION, _S.IN_CONSULTATION, _S.IN_CONSULTATION, _LIAISON),
    # An approved extension changes only the due date (the original is kept) in any open status: a request made
    # before submitting may still be pending when the report arrives. Whether a request is pending is Django's check.
    Transition(_A.DECIDE_EXTENSION, _S.ISSUED, _S.ISSUED, _EXTENSION_DECIDERS),
    Transition(_A.DECIDE_EXTENSION, _S.IN_PROGRESS, _S.IN_PROGRESS, _EXTENSION_DECIDERS),
    Transition(_A.DECIDE_EXTENSION, _S.IN_CONSULTATION, _S.IN_CONSULTATION, _EXTENSION_DECIDERS),
    Transition(_A.DECIDE_EXTENSION, _S.SUBMITTED, _S.SUBMITTED, _EXTENSION_DECIDERS),
    Transition(_A.DECIDE_EXTENSION, _S.ACCEPTED, _S.ACCEPTED, _EXTENSION_DECIDERS),
    # Closing without an evaluation vote (e.g. when the rule set does not require 满意度测评); items guard applies.
    Transition(_A.CLOSE, _S.ACCEPTED, _S.CLOSED, _STAFF),
    # A closed case can be reopened with a reason, by the staff or by leadership; items are left as they are.
    Transition(_A.REOPEN, _S.CLOSED, _S.IN_PROGRESS, frozenset({Role.STAFF, Role.LEADER})),
    # 向社会公布 only once the committee has accepted the report; publishing does not change the status.
    Transition(_A.PUBLISH, _S.ACCEPTED, _S.ACCEPTED, _STAFF),
    Transition(_A.PUBLISH, _S.CLOSED, _S.CLOSED, _STAFF),
    # Taking a published case off the public site, with a reason; the status does not change.
    *(Transition(_A.UNPUBLISH, status, status, _STAFF) for status in sorted(PUBLISHED_STATUSES)),
    # Beyond 通报 (domain.md §7): leadership decides on a 专题询问, 质询 or 跟踪检查 and records it on the open case.
    # A record only; the status and the deadline do not change.
    *(Transition(_A.PROPOSE_ESCALATION, status, status, frozenset({Role.LEADER})) for status in sorted(OPEN_STATUSES)),
    # A 催办通知 by hand, beside the ladder's own: whenever the body owes its report. A record and a letter only.
    *(Transition(_A.PRESS, status, status, _STAFF) for status in sorted(OWED_STATUSES)),
)


def _index(rows: Iterable[Transition]) -> dict[tuple[Action, CaseStatus], Transition]:
    index: dict[tuple[Action, CaseStatus], Transition] = {}
    for row in rows:
        key = (row.action, row.source)
        if key in index:  # a second row would silently shadow the first one
            raise ValueError(f"duplicate transition row for {key}")
        index[key] = row
    return index


_BY_ACTION_AND_SOURCE = _index(TRANSITIONS)


# --- the item transition table -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemTransition:
    action: ItemAction
    source: ItemStatus
    target: ItemStatus
    roles: frozenset[Role]
    case_statuses: frozenset[CaseStatus]  # the case must be in one of these for the item action to be possible


# The body (lead and co-handling liaisons) reports on items; the Django side limits a co-liaison to its own items.
_BODY = frozenset({Role.LIAISON, Role.CO_LIAISON})
_I = ItemStatus
_IA = ItemAction

ITEM_TRANSITIONS: tuple[ItemTransition, ...] = (
    ItemTransition(_IA.REPORT_PROGRESS, _I.NOT_STARTED, _I.IN_PROGRESS, _BODY, BODY_ITEM_CASE_STATUSES),
    ItemTransition(_IA.REPORT_PROGRESS, _I.IN_PROGRESS, _I.IN_PROGRESS, _BODY, BODY_ITEM_CASE_STATUSES),
    # Done needs measures and evidence, so progress must have been reported first (no not_started -> done).
    ItemTransition(_IA.MARK_DONE, _I.IN_PROGRESS, _I.DONE, _BODY, BODY_ITEM_CASE_STATUSES),
    # 销号 is the committee's verification of what the body reported as done.
    ItemTransition(_IA.VERIFY, _I.DONE, _I.CLOSED, _STAFF, ACTIVE_FOR_ITEMS),
    ItemTransition(_IA.SEND_BACK, _I.DONE, _I.IN_PROGRESS, _STAFF, SEND_BACK_CASE_STATUSES),
    # 持续整改: long-term items are carried over so that they do not block closing the case.
    ItemTransition(_IA.CARRY_OVER, _I.NOT_STARTED, _I.CARRIED_OVER, _STAFF, ACTIVE_FOR_ITEMS),
    ItemTransition(_IA.CARRY_OVER, _I.IN_PROGRESS, _I.CARRIED_OVER, _STAFF, ACTIVE_FOR_ITEMS),
    ItemTransition(_IA.CARRY_OVER, _I.DONE, _I.CARRIED_OVER, _STAFF, ACTIVE_FOR_ITEMS),
    # 持续整改 goes on after the case: a report by the next date, then 销号 or another date.
    ItemTransition(_IA.REPORT_FOLLOW_UP, _I.CARRIED_OVER, _I.CARRIED_OVER, _BODY, FOLLOW_UP_CASE_STATUSES),
    ItemTransition(_IA.VERIFY, _I.CARRIED_OVER, _I.CLOSED, _STAFF, CARRIED_OVER_CASE_STATUSES),
    ItemTransition(_IA.CARRY_OVER, _I.CARRIED_OVER, _I.CARRIED_OVER, _STAFF, CARRIED_OVER_CASE_STATUSES),
)


def _index_items(rows: Iterable[ItemTransition]) -> dict[tuple[ItemAction, ItemStatus], ItemTransition]:
    index: dict[tuple[ItemAction, ItemStatus], ItemTransition] = {}
    for row in rows:
        key = (row.action, row.source)
        if key in index:
            raise ValueError(f"duplicate item transition row for {key}")
        index[key] = row
    return index


_ITEMS_BY_ACTION_AND_SOURCE = _index_items(ITEM_TRANSITIONS)
_ITEM_ACTION_CASE_STATUSES: dict[ItemAction, frozenset[CaseStatus]] = {
    action: frozenset().union(*(row.case_statuses for row in ITEM_TRANSITIONS if row.action is action))
    for action in ItemAction
}


# --- refusals ------------------------------------------------------------------------------------------------------


class TransitionRefused(Exception):
    """A transition the rules do not allow: what was asked and why not, as data. The words people read are the Django
    side's (opinions.errors), in the user's language, with the labels of opinions.choices.

    ``code`` is one of "wrong_status", "wrong_role", "items_open", "unknown_action", and for the sign-off
    "signoff_required", "wrong_signoff_state", "signoff_not_required". ``action`` and ``status`` are the
    plain string values (for item refusals: the item action and the item status, with the case status in
    ``case_status``). ``status_of`` is "item" for an item refusal, unless it is the case's status that does not allow
    the item action. ``open_count`` is how many items are still open ("items_open"); ``approver`` who decides
    extensions, when a decision on one was refused to the wrong role.
    """

    def __init__(
        self,
        code: str,
        action: str,
        status: str,
        *,
        case_status: str | None = None,
        status_of: str = "case",
        open_count: int | None = None,
        approver: str | None = None,
    ) -> None:
        super().__init__(f"{code}: {action} ({status})")
        self.code = code
        self.action = action
        self.status = status
        self.case_status = case_status
        self.status_of = status_of
        self.open_count = open_count
        self.approver = approver

    def __reduce__(self):  # the default pickling would call __init__(message) only; Celery pickles exceptions
        state = {key: value for key, value in vars(self).items() if key not in ("code", "action", "status")}
        return type(self), (self.code, self.action, self.status), state


def _unknown_action(action: object, status: str, *, case_status: str | None = None) -> TransitionRefused:
    return TransitionRefused("unknown_action", str(action), status, case_status=case_status,
                             status_of="item" if case_status is not None else "case")


# --- input coercion ------------------------------------------------------------------------------------------------
# Statuses and roles come from the database and our own code: an unknown value is a bug and raises ValueError. The
# action usually comes from a request (a button, an API call), so an unknown one is a refusal, not a crash.


def _roles(roles: Iterable[Role | str]) -> frozenset[Role]:
    if isinstance(roles, str):  # a lone Role is a str, and iterating it would yield its characters
        roles = (roles,)
    return frozenset(Role(role) for role in roles)


def _item_statuses(item_statuses: Iterable[ItemStatus | str]) -> tuple[ItemStatus, ...]:
    if isinstance(item_statuses, str):
        item_statuses = (item_statuses,)
    return tuple(ItemStatus(s) for s in item_statuses)


def _deciders(row: Transition, approver: ExtensionApprover, signoff_by: SignoffBy) -> frozenset[Role]:
    if row.action is Action.DECIDE_EXTENSION:
        return row.roles & _DECIDER_BY_APPROVER[approver]
    if row.action is Action.SIGN_OFF:
        return row.roles & _SIGNER_BY_RULE[signoff_by]
    return row.roles


def _signoff_refusal(action: Action, signoff_by: SignoffBy, signoff_state: SignoffState) -> str | None:
    """Why the sign-off does not allow this step now, or None."""
    needed = _SIGNOFF_NEEDED.get(action)
    if needed is None:
        return None
    if signoff_by is SignoffBy.NONE:
        return None if action is Action.ISSUE else "signoff_not_required"
    if signoff_state is needed:
        return None
    return "signoff_required" if action is Action.ISSUE else "wrong_signoff_state"


# --- case API ------------------------------------------------------------------------------------------------------


def items_settled(item_statuses: Iterable[ItemStatus | str]) -> bool:
    """True if every item is verified (销号) or carried over (持续整改); vacuously true for a case without items."""
    return all(s in SETTLED_ITEM_STATUSES for s in _item_statuses(item_statuses))


def check(
    action: Action | str,
    status: CaseStatus | str,
    roles: Iterable[Role | str],
    *,
    extension_approver: ExtensionApprover | str = ExtensionApprover.LEADER,
    item_statuses: Iterable[ItemStatus | str] = (),
    signoff_by: SignoffBy | str = SignoffBy.NONE,
    signoff_state: SignoffState | str = SignoffState.NOT_REQUESTED,
) -> CaseStatus:
    """Return the status the case moves to, or raise :class:`TransitionRefused`.

    Order of the checks: status ("wrong_status"), then role ("wrong_role"), then the sign-off where the rule set
    names a signer (``signoff_by``): sending for sign-off, signing off and issuing each need their ``signoff_state``
    ("wrong_signoff_state", "signoff_required" for issuing, "signoff_not_required" without a signer), then, for
    :data:`ITEMS_GUARDED_ACTIONS` (accepting the report and closing the case), the items ("items_open"). ``roles``
    are the roles the actor holds for this case; holding any allowed role suffices.
    """
    status = CaseStatus(status)
    held = _roles(roles)
    approver = ExtensionApprover(extension_approver)
    signer, signoff = SignoffBy(signoff_by), SignoffState(signoff_state)
    items = _item_statuses(item_statuses)
    try:
        action = Action(action)
    except ValueError:
        raise _unknown_action(action, status.value) from None

    row = _BY_ACTION_AND_SOURCE.get((action, status))
    if row is None:
        raise TransitionRefused("wrong_status", action.value, status.value)
    if not _deciders(row, approver, signer) & held:
        # The decider of an extension varies with the rule set, so the refusal says who it is.
        raise TransitionRefused("wrong_role", action.value, status.value,
                                approver=approver.value if action is Action.DECIDE_EXTENSION else None)
    refusal = _signoff_refusal(action, signer, signoff)
    if refusal:
        raise TransitionRefused(refusal, action.value, status.value)
    if action in ITEMS_GUARDED_ACTIONS:
        open_count = sum(1 for s in items if s not in SETTLED_ITEM_STATUSES)
        if open_count:
            raise TransitionRefused("items_open", action.value, status.value, open_count=open_count)
    return row.target


def is_allowed(action: Action | str, status: CaseStatus | str, roles: Iterable[Role | str], **kwargs) -> bool:
    """:func:`check` as a boolean (same keyword arguments); an unknown action is simply not allowed."""
    try:
        check(action, status, roles, **kwargs)
    except TransitionRefused:
        return False
    return True


def available_actions(
    status: CaseStatus | str,
    roles: Iterable[Role | str],
    *,
    extension_approver: ExtensionApprover | str = ExtensionApprover.LEADER,
    item_statuses: Iterable[ItemStatus | str] | None = None,
    signoff_by: SignoffBy | str = SignoffBy.NONE,
    signoff_state: SignoffState | str = SignoffState.NOT_REQUESTED,
) -> list[Action]:
    """The actions this actor may take now, in table order: nothing offered is refused by the table.

    Given the case's ``item_statuses``, the items guard applies as well: a closing action is left out while an item
    is open, and accepting the report is offered only when this actor can settle every open item now (the
    acceptance step settles them, :func:`settling_action`). Without them (None) the guard is not looked at: the
    actions that status and roles allow.
    """
    status = CaseStatus(status)
    held = _roles(roles)
    approver = ExtensionApprover(extension_approver)
    signer, signoff = SignoffBy(signoff_by), SignoffState(signoff_state)
    offered = [row.action for row in TRANSITIONS if row.source is status and _deciders(row, approver, signer) & held
               and not _signoff_refusal(row.action, signer, signoff)]
    if item_statuses is None:
        return offered
    open_items = [s for s in _item_statuses(item_statuses) if s not in SETTLED_ITEM_STATUSES]
    if not open_items:
        return offered
    settleable = all(_can_settle(item, status, held) for item in open_items)
    return [action for action in offered
            if action not in ITEMS_GUARDED_ACTIONS or (action in SETTLING_ACTIONS and settleable)]


def _can_settle(item_status: ItemStatus, case_status: CaseStatus, held: frozenset[Role]) -> bool:
    return any(row.source is item_status and row.target in SETTLED_ITEM_STATUSES
               and case_status in row.case_statuses and row.roles & held for row in ITEM_TRANSITIONS)


def settling_action(item_status: ItemStatus | str, *, verify_done: bool, carry_over: bool) -> ItemAction | None:
    """How accepting the report settles one item, as the staff chose on accepting: an item the body marked done is
    verified (销号) if they chose to verify what is done; any other open item is carried over (持续整改) if they gave
    a reason for carrying over; a settled item is left as it is. None: the item stays open, and the acceptance is
    refused ("items_open") unless something else settles it."""
    item_status = ItemStatus(item_status)
    if item_status in SETTLED_ITEM_STATUSES:
        return None
    if item_status is ItemStatus.DONE and verify_done:
        return ItemAction.VERIFY
    return ItemAction.CARRY_OVER if carry_over else None


def ever_allowed(
    action: Action | str,
    roles: Iterable[Role | str],
    *,
    extension_approver: ExtensionApprover | str = ExtensionApprover.LEADER,
    signoff_by: SignoffBy | str = SignoffBy.NONE,
) -> bool:
    """Whether these roles may take this action in some status: if not, asking is forbidden (403) whatever the
    status; if so, a refusal now is about the status (409)."""
    action, held = Action(action), _roles(roles)
    approver, signer = ExtensionApprover(extension_approver), SignoffBy(signoff_by)
    return any(row.action is action and _deciders(row, approver, signer) & held for row in TRANSITIONS)


def item_action_ever_allowed(action: ItemAction | str, roles: Iterable[Role | str]) -> bool:
    action, held = ItemAction(action), _roles(roles)
    return any(row.action is action and row.roles & held for row in ITEM_TRANSITIONS)


# --- item API ------------------------------------------------------------------------------------------------------


def check_item(
    action: ItemAction | str,
    item_status: ItemStatus | str,
    case_status: CaseStatus | str,
    roles: Iterable[Role | str],
) -> ItemStatus:
    """Return the status the item moves to, or raise :class:`TransitionRefused`.

    Order of the checks: the case status ("wrong_status", the case gates all work on its items), the item status
    ("wrong_status"), the case status that move needs (a carried-over item is still worked on in a closed case, no
    other item is), then the role ("wrong_role"). Which items a co-liaison may touch is decided by the Django side.
    """
    item_status = ItemStatus(item_status)
    case_status = CaseStatus(case_status)
    held = _roles(roles)
    try:
        action = ItemAction(action)
    except ValueError:
        raise _unknown_action(action, item_status.value, case_status=case_status.value) from None

    def refuse(code: str, status_of: str) -> TransitionRefused:
        return TransitionRefused(code, action.value, item_status.value, case_status=case_status.value,
                                 status_of=status_of)

    if case_status not in _ITEM_ACTION_CASE_STATUSES[action]:
        raise refuse("wrong_status", "case")
    row = _ITEMS_BY_ACTION_AND_SOURCE.get((action, item_status))
    if row is None:
        raise refuse("wrong_status", "item")
    if case_status not in row.case_statuses:
        raise refuse("wrong_status", "case")
    if not row.roles & held:
        raise refuse("wrong_role", "item")
    return row.target


def available_item_actions(
    item_status: ItemStatus | str,
    case_status: CaseStatus | str,
    roles: Iterable[Role | str],
) -> list[ItemAction]:
    """The item actions this actor may attempt now on this item, in table order."""
    item_status = ItemStatus(item_status)
    case_status = CaseStatus(case_status)
    held = _roles(roles)
    return [
        row.action
        for row in ITEM_TRANSITIONS
        if row.source is item_status and case_status in row.case_statuses and row.roles & held
    ]
