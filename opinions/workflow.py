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
    "ACTION_LABELS_EN",
    "ACTION_LABELS_ZH",
    "ACTIVE_FOR_ITEMS",
    "BODY_ITEM_CASE_STATUSES",
    "CLOSING_ACTIONS",
    "EXTENSION_REQUEST_STATUSES",
    "ITEM_ACTION_LABELS_EN",
    "ITEM_ACTION_LABELS_ZH",
    "ITEM_STATUS_LABELS_EN",
    "ITEM_STATUS_LABELS_ZH",
    "ITEM_TRANSITIONS",
    "OPEN_STATUSES",
    "OWED_STATUSES",
    "SETTLED_ITEM_STATUSES",
    "STATUS_LABELS_EN",
    "STATUS_LABELS_ZH",
    "TRANSITIONS",
    "Action",
    "CaseStatus",
    "ExtensionApprover",
    "ItemAction",
    "ItemStatus",
    "ItemTransition",
    "Role",
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
    PROPOSE_ESCALATION = "propose_escalation"


class ItemAction(StrEnum):
    REPORT_PROGRESS = "report_progress"
    MARK_DONE = "mark_done"
    VERIFY = "verify"
    SEND_BACK = "send_back"
    CARRY_OVER = "carry_over"


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
# verifying / sending back / carrying over items while it reviews the report (submitted, accepted) ...
ACTIVE_FOR_ITEMS: frozenset[CaseStatus] = frozenset(
    {CaseStatus.IN_PROGRESS, CaseStatus.IN_CONSULTATION, CaseStatus.SUBMITTED, CaseStatus.ACCEPTED}
)
# ... but the body may only change items while the case is with it; once the report is submitted the report must
# describe a stable state of the items.
BODY_ITEM_CASE_STATUSES: frozenset[CaseStatus] = frozenset({CaseStatus.IN_PROGRESS, CaseStatus.IN_CONSULTATION})

# A case can be closed only when every item is verified (销号) or explicitly carried over (持续整改); satisfied and
# basically-satisfied evaluations close the case, so the same guard applies to them. "Dissatisfied" does not close.
CLOSING_ACTIONS: frozenset[Action] = frozenset(
    {Action.CLOSE, Action.EVALUATE_SATISFIED, Action.EVALUATE_BASICALLY_SATISFIED}
)
SETTLED_ITEM_STATUSES: frozenset[ItemStatus] = frozenset({ItemStatus.CLOSED, ItemStatus.CARRIED_OVER})


# --- labels --------------------------------------------------------------------------------------------------------
# Only for the messages of TransitionRefused; the Django side uses its own translated labels in the UI.

STATUS_LABELS_ZH: dict[CaseStatus, str] = {
    CaseStatus.DRAFT: "起草",
    CaseStatus.ISSUED: "已交办",
    CaseStatus.IN_PROGRESS: "办理中",
    CaseStatus.IN_CONSULTATION: "征求意见中",
    CaseStatus.SUBMITTED: "已报送",
    CaseStatus.ACCEPTED: "已审核",
    CaseStatus.CLOSED: "办结",
    CaseStatus.WITHDRAWN: "已撤回",
}
# Phrased to complete "a case that is ...".
STATUS_LABELS_EN: dict[CaseStatus, str] = {
    CaseStatus.DRAFT: "in draft",
    CaseStatus.ISSUED: "issued",
    CaseStatus.IN_PROGRESS: "in progress",
    CaseStatus.IN_CONSULTATION: "in consultation",
    CaseStatus.SUBMITTED: "submitted",
    CaseStatus.ACCEPTED: "accepted",
    CaseStatus.CLOSED: "closed",
    CaseStatus.WITHDRAWN: "withdrawn",
}

ACTION_LABELS_ZH: dict[Action, str] = {
    Action.EDIT_DRAFT: "编辑草稿",
    Action.ISSUE: "交办",
    Action.WITHDRAW: "撤回",
    Action.ACKNOWLEDGE: "签收",
    Action.SUBMIT_CONSULTATION_DRAFT: "报送征求意见稿",
    Action.COMMENT_CONSULTATION: "提出修改意见",
    Action.SUBMIT_INTERIM_REPORT: "报送阶段性报告",
    Action.SUBMIT_REPORT: "报送书面报告",
    Action.RETURN_REPORT: "退回修改",
    Action.ACCEPT_REPORT: "审核通过",
    Action.EVALUATE_SATISFIED: "测评：满意",
    Action.EVALUATE_BASICALLY_SATISFIED: "测评：基本满意",
    Action.EVALUATE_DISSATISFIED: "测评：不满意",
    Action.REQUEST_EXTENSION: "申请延期",
    Action.DECIDE_EXTENSION: "审批延期",
    Action.CLOSE: "办结",
    Action.REOPEN: "重新办理",
    Action.PUBLISH: "向社会公布",
    Action.PROPOSE_ESCALATION: "决定进一步督办",
}
# Verb phrases, so that messages read "Cannot <action> a case that is <status>."
ACTION_LABELS_EN: dict[Action, str] = {
    Action.EDIT_DRAFT: "edit the draft of",
    Action.ISSUE: "issue",
    Action.WITHDRAW: "withdraw",
    Action.ACKNOWLEDGE: "acknowledge",
    Action.SUBMIT_CONSULTATION_DRAFT: "submit a draft for consultation on",
    Action.COMMENT_CONSULTATION: "comment on the consultation draft of",
    Action.SUBMIT_INTERIM_REPORT: "submit an interim report on",
    Action.SUBMIT_REPORT: "submit the report on",
    Action.RETURN_REPORT: "return the report on",
    Action.ACCEPT_REPORT: "accept the report on",
    Action.EVALUATE_SATISFIED: "evaluate as satisfied",
    Action.EVALUATE_BASICALLY_SATISFIED: "evaluate as basically satisfied",
    Action.EVALUATE_DISSATISFIED: "evaluate as dissatisfied",
    Action.REQUEST_EXTENSION: "request an extension for",
    Action.DECIDE_EXTENSION: "decide on an extension for",
    Action.CLOSE: "close",
    Action.REOPEN: "reopen",
    Action.PUBLISH: "publish",
    Action.PROPOSE_ESCALATION: "escalate further",
}

ITEM_STATUS_LABELS_ZH: dict[ItemStatus, str] = {
    ItemStatus.NOT_STARTED: "未开始",
    ItemStatus.IN_PROGRESS: "办理中",
    ItemStatus.DONE: "已完成待核销",
    ItemStatus.CLOSED: "已销号",
    ItemStatus.CARRIED_OVER: "持续整改",
}
ITEM_STATUS_LABELS_EN: dict[ItemStatus, str] = {
    ItemStatus.NOT_STARTED: "not started",
    ItemStatus.IN_PROGRESS: "in progress",
    ItemStatus.DONE: "done",
    ItemStatus.CLOSED: "closed",
    ItemStatus.CARRIED_OVER: "carried over",
}

ITEM_ACTION_LABELS_ZH: dict[ItemAction, str] = {
    ItemAction.REPORT_PROGRESS: "报告进展",
    ItemAction.MARK_DONE: "标记完成",
    ItemAction.VERIFY: "核实销号",
    ItemAction.SEND_BACK: "退回",
    ItemAction.CARRY_OVER: "转持续整改",
}
# Verb phrases, so that messages read "Cannot <action> an item that is <status>."
ITEM_ACTION_LABELS_EN: dict[ItemAction, str] = {
    ItemAction.REPORT_PROGRESS: "report progress on",
    ItemAction.MARK_DONE: "mark as done",
    ItemAction.VERIFY: "verify",
    ItemAction.SEND_BACK: "send back",
    ItemAction.CARRY_OVER: "carry over",
}

_APPROVER_LABELS_ZH: dict[ExtensionApprover, str] = {
    ExtensionApprover.LEADER: "主任会议",
    ExtensionApprover.STAFF: "督办工作机构",
}
_APPROVER_LABELS_EN: dict[ExtensionApprover, str] = {
    ExtensionApprover.LEADER: "the Council of Chairpersons",
    ExtensionApprover.STAFF: "the committee staff",
}


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

_S = CaseStatus
_A = Action

# One row per (action, source), ordered by action as declared in Action: available_actions() returns this order, so
# the UI shows buttons in a stable, lifecycle-like order.
TRANSITIONS: tuple[Transition, ...] = (
    # The staff prepare the opinion (title, items, text) before handing it over; once issued it belongs to the record.
    Transition(_A.EDIT_DRAFT, _S.DRAFT, _S.DRAFT, _STAFF),
    Transition(_A.ISSUE, _S.DRAFT, _S.ISSUED, _STAFF),
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
    # Beyond 通报 (domain.md §7): leadership decides on a 专题询问, 质询 or 跟踪检查 and records it on the open case.
    # A record only; the status and the deadline do not change.
    *(Transition(_A.PROPOSE_ESCALATION, status, status, frozenset({Role.LEADER})) for status in sorted(OPEN_STATUSES)),
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
    ItemTransition(_IA.SEND_BACK, _I.DONE, _I.IN_PROGRESS, _STAFF, ACTIVE_FOR_ITEMS),
    # 持续整改: long-term items are carried over so that they do not block closing the case.
    ItemTransition(_IA.CARRY_OVER, _I.NOT_STARTED, _I.CARRIED_OVER, _STAFF, ACTIVE_FOR_ITEMS),
    ItemTransition(_IA.CARRY_OVER, _I.IN_PROGRESS, _I.CARRIED_OVER, _STAFF, ACTIVE_FOR_ITEMS),
    ItemTransition(_IA.CARRY_OVER, _I.DONE, _I.CARRIED_OVER, _STAFF, ACTIVE_FOR_ITEMS),
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
    """A transition the rules do not allow. ``str(e)`` is the Chinese message, ready to show to the user.

    ``code`` is one of "wrong_status", "wrong_role", "items_open", "unknown_action". ``action`` and ``status`` are the
    plain string values (for item refusals: the item action and the item status, with the case status in
    ``case_status``).
    """

    def __init__(
        self,
        code: str,
        action: str,
        status: str,
        message_zh: str,
        message_en: str,
        *,
        case_status: str | None = None,
    ) -> None:
        super().__init__(message_zh)
        self.code = code
        self.action = action
        self.status = status
        self.message_zh = message_zh
        self.message_en = message_en
        self.case_status = case_status

    def __reduce__(self):  # the default pickling would call __init__(message_zh) only; Celery pickles exceptions
        return (
            type(self),
            (self.code, self.action, self.status, self.message_zh, self.message_en),
            {"case_status": self.case_status},
        )


def _case_refusal(code: str, action: Action, status: CaseStatus, zh: str, en: str) -> TransitionRefused:
    return TransitionRefused(code, action.value, status.value, zh, en)


def _wrong_status(action: Action, status: CaseStatus) -> TransitionRefused:
    return _case_refusal(
        "wrong_status",
        action,
        status,
        f"当前状态（{STATUS_LABELS_ZH[status]}）不能执行“{ACTION_LABELS_ZH[action]}”。",
        f"Cannot {ACTION_LABELS_EN[action]} a case that is {STATUS_LABELS_EN[status]}.",
    )


def _wrong_role(action: Action, status: CaseStatus, approver: ExtensionApprover) -> TransitionRefused:
    zh = f"您无权对当前状态（{STATUS_LABELS_ZH[status]}）的案件执行“{ACTION_LABELS_ZH[action]}”。"
    en = f"You are not allowed to {ACTION_LABELS_EN[action]} a case that is {STATUS_LABELS_EN[status]}."
    if action is Action.DECIDE_EXTENSION:  # the decider varies with the rule set, so say who it is
        zh += f"延期申请由{_APPROVER_LABELS_ZH[approver]}审批。"
        en += f" Extensions are decided by {_APPROVER_LABELS_EN[approver]}."
    return _case_refusal("wrong_role", action, status, zh, en)


def _items_open(action: Action, status: CaseStatus, open_count: int) -> TransitionRefused:
    items_en = "1 item is" if open_count == 1 else f"{open_count} items are"
    return _case_refusal(
        "items_open",
        action,
        status,
        f"尚有{open_count}项意见未销号或转为持续整改，不能执行“{ACTION_LABELS_ZH[action]}”。",
        f"Cannot {ACTION_LABELS_EN[action]} the case: {items_en} neither closed nor carried over.",
    )


def _unknown_action(action: object, status: str, *, case_status: str | None = None) -> TransitionRefused:
    return TransitionRefused(
        "unknown_action",
        str(action),
        status,
        f"未知操作“{action}”。",
        f"Unknown action “{action}”.",
        case_status=case_status,
    )


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


def _deciders(row: Transition, approver: ExtensionApprover) -> frozenset[Role]:
    if row.action is Action.DECIDE_EXTENSION:
        return row.roles & _DECIDER_BY_APPROVER[approver]
    return row.roles


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
) -> CaseStatus:
    """Return the status the case moves to, or raise :class:`TransitionRefused`.

    Order of the checks: status ("wrong_status"), then role ("wrong_role"), then, for :data:`CLOSING_ACTIONS`, the
    items ("items_open"). ``roles`` are the roles the actor holds for this case; holding any allowed role suffices.
    """
    status = CaseStatus(status)
    held = _roles(roles)
    approver = ExtensionApprover(extension_approver)
    items = _item_statuses(item_statuses)
    try:
        action = Action(action)
    except ValueError:
        raise _unknown_action(action, status.value) from None

    row = _BY_ACTION_AND_SOURCE.get((action, status))
    if row is None:
        raise _wrong_status(action, status)
    if not _deciders(row, approver) & held:
        raise _wrong_role(action, status, approver)
    if action in CLOSING_ACTIONS:
        open_count = sum(1 for s in items if s not in SETTLED_ITEM_STATUSES)
        if open_count:
            raise _items_open(action, status, open_count)
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
) -> list[Action]:
    """The actions this actor may attempt now, in table order.

    The items guard is ignored on purpose: the UI shows "close" and, when the staff press it, explains via the
    refusal how many items are still open.
    """
    status = CaseStatus(status)
    held = _roles(roles)
    approver = ExtensionApprover(extension_approver)
    return [row.action for row in TRANSITIONS if row.source is status and _deciders(row, approver) & held]


def ever_allowed(
    action: Action | str,
    roles: Iterable[Role | str],
    *,
    extension_approver: ExtensionApprover | str = ExtensionApprover.LEADER,
) -> bool:
    """Whether these roles may take this action in some status: if not, asking is forbidden (403) whatever the
    status; if so, a refusal now is about the status (409)."""
    action, held = Action(action), _roles(roles)
    approver = ExtensionApprover(extension_approver)
    return any(row.action is action and _deciders(row, approver) & held for row in TRANSITIONS)


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
    ("wrong_status"), then the role ("wrong_role"). Which items a co-liaison may touch is decided by the Django side.
    """
    item_status = ItemStatus(item_status)
    case_status = CaseStatus(case_status)
    held = _roles(roles)
    try:
        action = ItemAction(action)
    except ValueError:
        raise _unknown_action(action, item_status.value, case_status=case_status.value) from None

    action_zh, action_en = ITEM_ACTION_LABELS_ZH[action], ITEM_ACTION_LABELS_EN[action]

    def refuse(code: str, zh: str, en: str) -> TransitionRefused:
        return TransitionRefused(code, action.value, item_status.value, zh, en, case_status=case_status.value)

    if case_status not in _ITEM_ACTION_CASE_STATUSES[action]:
        raise refuse(
            "wrong_status",
            f"案件当前状态（{STATUS_LABELS_ZH[case_status]}）不能对意见事项执行“{action_zh}”。",
            f"Cannot {action_en} an item while the case is {STATUS_LABELS_EN[case_status]}.",
        )
    row = _ITEMS_BY_ACTION_AND_SOURCE.get((action, item_status))
    if row is None:
        raise refuse(
            "wrong_status",
            f"意见事项当前状态（{ITEM_STATUS_LABELS_ZH[item_status]}）不能执行“{action_zh}”。",
            f"Cannot {action_en} an item that is {ITEM_STATUS_LABELS_EN[item_status]}.",
        )
    if not row.roles & held:
        raise refuse(
            "wrong_role",
            f"您无权对意见事项执行“{action_zh}”。",
            f"You are not allowed to {action_en} this item.",
        )
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
