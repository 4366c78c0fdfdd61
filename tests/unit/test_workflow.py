"""Tests of the pure case lifecycle in opinions.workflow.

The expected tables below are written out by hand from the domain notes, as plain strings, and deliberately NOT
derived from workflow.TRANSITIONS: a mistake in the table must make these tests fail, not agree with itself.
"""

import ast
import itertools
import pickle
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opinions.workflow import (
    ACTIVE_FOR_ITEMS,
    CLOSING_ACTIONS,
    ITEM_TRANSITIONS,
    ITEMS_GUARDED_ACTIONS,
    OPEN_STATUSES,
    SETTLING_ACTIONS,
    TRANSITIONS,
    Action,
    CaseStatus,
    ExtensionApprover,
    ItemAction,
    ItemStatus,
    Role,
    SignoffBy,
    SignoffState,
    TransitionRefused,
    available_actions,
    available_item_actions,
    check,
    check_item,
    is_allowed,
    items_settled,
    settling_action,
)

# --- the expected case table, by hand ------------------------------------------------------------------------------

# Marker for "whoever the rule set names as extension approver".
APPROVER = "approver"
# Marker for "whoever may sign off (审签)": the office or leadership, as the rule set names them.
SIGNER = "signer"
SIGNOFF_ACTIONS = {"request_signoff", "sign_off"}

# (status, action) -> (next status, roles allowed)
EXPECTED_CASE_TABLE = {
    ("draft", "edit_draft"): ("draft", {"staff"}),
    ("draft", "issue"): ("issued", {"staff"}),
    ("draft", "withdraw"): ("withdrawn", {"staff"}),
    ("draft", "request_signoff"): ("draft", {"staff"}),
    ("draft", "sign_off"): ("draft", SIGNER),
    ("issued", "acknowledge"): ("in_progress", {"liaison"}),
    ("issued", "request_extension"): ("issued", {"liaison"}),
    ("issued", "decide_extension"): ("issued", APPROVER),
    ("in_progress", "submit_consultation_draft"): ("in_consultation", {"liaison"}),
    ("in_progress", "submit_interim_report"): ("in_progress", {"liaison"}),
    ("in_progress", "submit_report"): ("submitted", {"liaison"}),
    ("in_progress", "request_extension"): ("in_progress", {"liaison"}),
    ("in_progress", "decide_extension"): ("in_progress", APPROVER),
    ("in_consultation", "comment_consultation"): ("in_progress", {"staff"}),
    ("in_consultation", "submit_interim_report"): ("in_consultation", {"liaison"}),
    ("in_consultation", "request_extension"): ("in_consultation", {"liaison"}),
    ("in_consultation", "decide_extension"): ("in_consultation", APPROVER),
    ("submitted", "return_report"): ("in_progress", {"staff"}),
    ("submitted", "accept_report"): ("accepted", {"staff"}),
    ("submitted", "decide_extension"): ("submitted", APPROVER),
    ("accepted", "evaluate_satisfied"): ("closed", {"staff"}),
    ("accepted", "evaluate_basically_satisfied"): ("closed", {"staff"}),
    ("accepted", "evaluate_dissatisfied"): ("in_progress", {"staff"}),
    ("accepted", "decide_extension"): ("accepted", APPROVER),
    ("accepted", "close"): ("closed", {"staff"}),
    ("accepted", "publish"): ("accepted", {"staff"}),
    ("closed", "reopen"): ("in_progress", {"staff", "leader"}),
    ("closed", "publish"): ("closed", {"staff"}),
    # Taken off the public site wherever a published case can be (published once accepted, it may go back to the
    # body after 不满意 or reopening); whether it is public now is the Django side's check.
    **{(status, "unpublish"): (status, {"staff"})
       for status in ("in_progress", "in_consultation", "submitted", "accepted", "closed")},
    **{(status, "propose_escalation"): (status, {"leader"})
       for status in ("issued", "in_progress", "in_consultation", "submitted", "accepted")},
    **{(status, "press"): (status, {"staff"}) for status in ("issued", "in_progress", "in_consultation")},
}

# Each single role, nobody, and everybody at once.
ROLE_SETS = [frozenset({role}) for role in Role] + [frozenset(), frozenset(Role)]


def combination_id(value):
    # e.g. "case_issued-decide_extension-as_leader-approver_staff", "item_done-case_accepted-verify-as_staff"
    if isinstance(value, frozenset):
        if not value:
            return "as_nobody"
        if value == frozenset(Role):
            return "as_everyone"
        return "as_" + "+".join(sorted(value))
    if isinstance(value, ExtensionApprover):
        return f"approver_{value}"
    if isinstance(value, CaseStatus):
        return f"case_{value}"
    if isinstance(value, ItemStatus):
        return f"item_{value}"
    return None  # actions: their value


def expected_roles(allowed, approver):
    if allowed == SIGNER:  # without a signer named, either may ask, and the sign-off guard refuses
        return {"office", "leader"}
    return {approver.value} if allowed == APPROVER else allowed


@pytest.mark.parametrize(
    ("status", "action", "roles", "approver"),
    list(itertools.product(CaseStatus, Action, ROLE_SETS, ExtensionApprover)),
    ids=combination_id,
)
def test_check_returns_the_documented_next_status_or_refuses_with_the_right_code(status, action, roles, approver):
    expected = EXPECTED_CASE_TABLE.get((status.value, action.value))
    if expected is None:
        expected_code = "wrong_status"
    else:
        target, allowed = expected
        expected_code = None if roles & expected_roles(allowed, approver) else "wrong_role"
        if expected_code is None and action.value in SIGNOFF_ACTIONS:
            expected_code = "signoff_not_required"  # the rule set names no signer: nothing to send or sign off

    if expected_code is None:
        result = check(action, status, roles, extension_approver=approver)
        assert result == target
        assert isinstance(result, CaseStatus)
    else:
        with pytest.raises(TransitionRefused) as refused:
            check(action, status, roles, extension_approver=approver)
        assert refused.value.code == expected_code
        assert refused.value.action == action.value
        assert refused.value.status == status.value
    # The UI buttons and the service check must never disagree.
    assert is_allowed(action, status, roles, extension_approver=approver) is (expected_code is None)
    assert (action in available_actions(status, roles, extension_approver=approver)) is (expected_code is None)


# The sign-off guard, by hand: who signs off under each rule, and the state each step needs.
SIGNERS_BY_RULE = {"none": {"office", "leader"}, "office": {"office"}, "leader": {"leader"}}
STATE_NEEDED = {"request_signoff": "not_requested", "sign_off": "requested", "issue": "signed"}


@pytest.mark.parametrize(
    ("signoff_by", "signoff_state", "action", "roles"),
    list(itertools.product(SignoffBy, SignoffState, [Action.REQUEST_SIGNOFF, Action.SIGN_OFF, Action.ISSUE],
                           ROLE_SETS)),
    ids=lambda value: value.value if isinstance(value, (SignoffBy, SignoffState)) else combination_id(value),
)
def test_the_signoff_guard_asks_for_the_signer_and_the_state_each_step_needs(signoff_by, signoff_state, action,
                                                                              roles):
    allowed = SIGNERS_BY_RULE[signoff_by.value] if action is Action.SIGN_OFF else {"staff"}
    if not roles & allowed:
        expected_code = "wrong_role"
    elif signoff_by is SignoffBy.NONE:
        expected_code = None if action is Action.ISSUE else "signoff_not_required"
    elif signoff_state.value == STATE_NEEDED[action.value]:
        expected_code = None
    else:
        expected_code = "signoff_required" if action is Action.ISSUE else "wrong_signoff_state"
    kwargs = {"signoff_by": signoff_by, "signoff_state": signoff_state}
    if expected_code is None:
        assert check(action, CaseStatus.DRAFT, roles, **kwargs) == (
            CaseStatus.ISSUED if action is Action.ISSUE else CaseStatus.DRAFT)
    else:
        with pytest.raises(TransitionRefused) as refused:
            check(action, CaseStatus.DRAFT, roles, **kwargs)
        assert refused.value.code == expected_code
    assert (action in available_actions(CaseStatus.DRAFT, roles, **kwargs)) is (expected_code is None)


# --- the expected item table, by hand ------------------------------------------------------------------------------

BODY = {"liaison", "co_liaison"}
CASE_WITH_BODY = {"in_progress", "in_consultation"}
CASE_ACTIVE = {"in_progress", "in_consultation", "submitted", "accepted"}

# A carried-over item is worked on after the case closes; the body does not report while the report is reviewed.
CASE_CARRIED = CASE_ACTIVE | {"closed"}
CASE_FOLLOW_UP = CASE_CARRIED - {"submitted"}
# action -> case statuses in which it is possible for the items it moves from the state they are in
EXPECTED_ITEM_CASE_STATUSES = {
    "report_progress": CASE_WITH_BODY,
    "mark_done": CASE_WITH_BODY,
    "verify": CASE_ACTIVE,
    "send_back": {"in_progress", "in_consultation", "submitted"},  # nobody could work on it after acceptance
    "carry_over": CASE_ACTIVE,
    "report_follow_up": CASE_FOLLOW_UP,
}
EXPECTED_CARRIED_OVER_CASE_STATUSES = {"report_follow_up": CASE_FOLLOW_UP, "verify": CASE_CARRIED,
                                       "carry_over": CASE_CARRIED}
# (item status, action) -> (next item status, roles allowed)
EXPECTED_ITEM_TABLE = {
    ("not_started", "report_progress"): ("in_progress", BODY),
    ("in_progress", "report_progress"): ("in_progress", BODY),
    ("in_progress", "mark_done"): ("done", BODY),
    ("done", "verify"): ("closed", {"staff"}),
    ("done", "send_back"): ("in_progress", {"staff"}),
    ("not_started", "carry_over"): ("carried_over", {"staff"}),
    ("in_progress", "carry_over"): ("carried_over", {"staff"}),
    ("done", "carry_over"): ("carried_over", {"staff"}),
    ("carried_over", "report_follow_up"): ("carried_over", BODY),
    ("carried_over", "verify"): ("closed", {"staff"}),
    ("carried_over", "carry_over"): ("carried_over", {"staff"}),
}


@pytest.mark.parametrize(
    ("item_status", "case_status", "action", "roles"),
    list(itertools.product(ItemStatus, CaseStatus, ItemAction, ROLE_SETS)),
    ids=combination_id,
)
def test_check_item_returns_the_documented_next_status_or_refuses_with_the_right_code(
    item_status, case_status, action, roles
):
    expected = EXPECTED_ITEM_TABLE.get((item_status.value, action.value))
    carried = EXPECTED_CARRIED_OVER_CASE_STATUSES if item_status is ItemStatus.CARRIED_OVER else {}
    statuses = carried.get(action.value, EXPECTED_ITEM_CASE_STATUSES[action.value])
    if case_status.value not in statuses or expected is None:
        expected_code = "wrong_status"
    else:
        target, allowed = expected
        expected_code = None if roles & allowed else "wrong_role"

    if expected_code is None:
        result = check_item(action, item_status, case_status, roles)
        assert result == target
        assert isinstance(result, ItemStatus)
    else:
        with pytest.raises(TransitionRefused) as refused:
            check_item(action, item_status, case_status, roles)
        assert refused.value.code == expected_code
        assert refused.value.status == item_status.value
        assert refused.value.case_status == case_status.value
    assert (action in available_item_actions(item_status, case_status, roles)) is (expected_code is None)


# --- closing guard -------------------------------------------------------------------------------------------------

UNSETTLED = [ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS, ItemStatus.DONE]
CLOSERS = [Action.CLOSE, Action.EVALUATE_SATISFIED, Action.EVALUATE_BASICALLY_SATISFIED]


@pytest.mark.parametrize(("action", "open_item"), list(itertools.product(CLOSERS, UNSETTLED)))
def test_closing_is_refused_while_any_item_is_neither_closed_nor_carried_over(action, open_item):
    items = [ItemStatus.CLOSED, open_item, ItemStatus.CARRIED_OVER]
    with pytest.raises(TransitionRefused) as refused:
        check(action, CaseStatus.ACCEPTED, {Role.STAFF}, item_statuses=items)
    assert refused.value.code == "items_open"
    assert refused.value.open_count == 1  # its wording: tests/opinions/test_refusal_messages.py
    assert not is_allowed(action, CaseStatus.ACCEPTED, {Role.STAFF}, item_statuses=items)


@pytest.mark.parametrize(
    ("action", "items"),
    list(
        itertools.product(
            CLOSERS,
            [
                [],
                [ItemStatus.CLOSED],
                [ItemStatus.CARRIED_OVER],
                [ItemStatus.CLOSED, ItemStatus.CARRIED_OVER, ItemStatus.CLOSED],
            ],
        )
    ),
)
def test_closing_is_allowed_when_every_item_is_closed_or_carried_over_or_there_are_none(action, items):
    assert check(action, CaseStatus.ACCEPTED, {Role.STAFF}, item_statuses=items) is CaseStatus.CLOSED


def test_items_open_refusal_says_how_many_items_are_open():
    items = ["not_started", "in_progress", "done", "closed", "carried_over", "done"]
    with pytest.raises(TransitionRefused) as refused:
        check("close", "accepted", ["staff"], item_statuses=iter(items))
    assert (refused.value.code, refused.value.action, refused.value.open_count) == ("items_open", "close", 4)


def test_evaluate_dissatisfied_is_not_guarded_by_items_and_sends_the_case_back_to_the_body():
    result = check(
        Action.EVALUATE_DISSATISFIED, CaseStatus.ACCEPTED, {Role.STAFF}, item_statuses=[ItemStatus.NOT_STARTED]
    )
    assert result is CaseStatus.IN_PROGRESS


def test_items_guard_comes_after_the_status_and_role_checks():
    open_items = [ItemStatus.IN_PROGRESS]
    with pytest.raises(TransitionRefused) as wrong_status:
        check(Action.CLOSE, CaseStatus.SUBMITTED, {Role.STAFF}, item_statuses=open_items)
    with pytest.raises(TransitionRefused) as wrong_role:
        check(Action.CLOSE, CaseStatus.ACCEPTED, {Role.LIAISON}, item_statuses=open_items)
    assert wrong_status.value.code == "wrong_status"
    assert wrong_role.value.code == "wrong_role"


def test_closing_actions_are_close_and_the_two_evaluations_that_close_the_case():
    assert frozenset({"close", "evaluate_satisfied", "evaluate_basically_satisfied"}) == CLOSING_ACTIONS


def test_items_settled_is_true_only_when_every_item_is_closed_or_carried_over():
    assert items_settled([])
    assert items_settled([ItemStatus.CLOSED, ItemStatus.CARRIED_OVER])
    assert items_settled(["closed"])
    for status in UNSETTLED:
        assert not items_settled([ItemStatus.CLOSED, status])


# --- accepting settles the items (issue 14 §5) ---------------------------------------------------------------------


def test_accepting_and_closing_are_the_steps_guarded_by_the_items():
    assert frozenset({"accept_report"}) == SETTLING_ACTIONS
    assert frozenset({"accept_report", "close", "evaluate_satisfied", "evaluate_basically_satisfied"}) == (
        ITEMS_GUARDED_ACTIONS)


@pytest.mark.parametrize("open_item", UNSETTLED)
def test_accepting_is_refused_while_an_item_is_open(open_item):
    with pytest.raises(TransitionRefused) as refused:
        check(Action.ACCEPT_REPORT, CaseStatus.SUBMITTED, {Role.STAFF},
              item_statuses=[ItemStatus.CLOSED, open_item, open_item])
    assert (refused.value.code, refused.value.open_count) == ("items_open", 2)


@pytest.mark.parametrize("items", [[], [ItemStatus.CLOSED], [ItemStatus.CARRIED_OVER, ItemStatus.CLOSED]])
def test_accepting_is_allowed_once_every_item_is_settled_or_there_are_none(items):
    assert check(Action.ACCEPT_REPORT, CaseStatus.SUBMITTED, {Role.STAFF}, item_statuses=items) is CaseStatus.ACCEPTED


@pytest.mark.parametrize(("item_status", "verify_done", "carry_over", "expected"), [
    ("done", True, False, ItemAction.VERIFY),
    ("done", True, True, ItemAction.VERIFY),
    ("done", False, True, ItemAction.CARRY_OVER),
    ("done", False, False, None),
    ("in_progress", True, True, ItemAction.CARRY_OVER),
    ("in_progress", True, False, None),
    ("not_started", False, True, ItemAction.CARRY_OVER),
    ("not_started", True, False, None),
    ("closed", True, True, None),
    ("carried_over", True, True, None),
])
def test_how_accepting_settles_an_item(item_status, verify_done, carry_over, expected):
    assert settling_action(item_status, verify_done=verify_done, carry_over=carry_over) == expected


def test_given_the_items_closing_is_not_offered_while_one_is_open_but_a_dissatisfied_vote_is():
    # Only a case accepted with open items before the rule (issue 14) can be in this state.
    items = [ItemStatus.CLOSED, ItemStatus.IN_PROGRESS]
    assert available_actions("accepted", {"staff"}, item_statuses=items) == [
        Action.EVALUATE_DISSATISFIED, Action.PUBLISH, Action.UNPUBLISH]
    assert available_actions("accepted", {"staff"}, item_statuses=[ItemStatus.CLOSED]) == [
        Action.EVALUATE_SATISFIED, Action.EVALUATE_BASICALLY_SATISFIED, Action.EVALUATE_DISSATISFIED, Action.CLOSE,
        Action.PUBLISH, Action.UNPUBLISH]


@pytest.mark.parametrize("open_item", UNSETTLED)
def test_given_the_items_accepting_is_offered_to_staff_for_they_can_settle_each_one(open_item):
    assert available_actions("submitted", {"staff"}, item_statuses=[open_item]) == [
        Action.RETURN_REPORT, Action.ACCEPT_REPORT, Action.UNPUBLISH]


@pytest.mark.parametrize(("status", "roles", "approver"), list(itertools.product(CaseStatus, ROLE_SETS,
                                                                                   ExtensionApprover)),
                         ids=combination_id)
def test_given_the_items_nothing_offered_is_refused_and_nothing_allowed_is_hidden(status, roles, approver):
    """Every action offered succeeds: checked with the items as they are, or, for accepting, as the acceptance
    settles them (each settling step itself allowed to this actor)."""
    for items in itertools.product(ItemStatus, repeat=2):
        offered = available_actions(status, roles, extension_approver=approver, item_statuses=items)
        for action in offered:
            if action in SETTLING_ACTIONS:
                steps = [settling_action(item, verify_done=True, carry_over=True) for item in items]
                items_then = [check_item(step, item, status, roles) if step else item
                              for step, item in zip(steps, items, strict=True)]
            else:
                items_then = items
            check(action, status, roles, extension_approver=approver, item_statuses=items_then)
        for action in set(Action) - SETTLING_ACTIONS:
            allowed = is_allowed(action, status, roles, extension_approver=approver, item_statuses=items)
            assert (action in offered) is allowed, (action, items)


# --- available actions for typical actors --------------------------------------------------------------------------

A = Action


@pytest.mark.parametrize(
    ("status", "roles", "approver", "expected"),
    [
        pytest.param("draft", {"staff"}, "leader", [A.EDIT_DRAFT, A.ISSUE, A.WITHDRAW], id="staff_on_draft"),
        pytest.param("draft", {"liaison"}, "leader", [], id="liaison_cannot_see_a_draft"),
        pytest.param("issued", {"liaison"}, "leader", [A.ACKNOWLEDGE, A.REQUEST_EXTENSION], id="liaison_on_issued"),
        pytest.param(
            "in_progress",
            {"liaison"},
            "leader",
            [A.SUBMIT_CONSULTATION_DRAFT, A.SUBMIT_INTERIM_REPORT, A.SUBMIT_REPORT, A.REQUEST_EXTENSION],
            id="liaison_on_in_progress",
        ),
        pytest.param(
            "in_consultation",
            {"staff", "liaison"},
            "leader",
            [A.COMMENT_CONSULTATION, A.SUBMIT_INTERIM_REPORT, A.REQUEST_EXTENSION, A.UNPUBLISH, A.PRESS],
            id="staff_who_is_also_liaison_gets_the_union_in_table_order",
        ),
        pytest.param("submitted", {"staff"}, "leader", [A.RETURN_REPORT, A.ACCEPT_REPORT, A.UNPUBLISH],
                     id="staff_on_submitted"),
        pytest.param(
            "submitted",
            {"staff"},
            "staff",
            [A.RETURN_REPORT, A.ACCEPT_REPORT, A.DECIDE_EXTENSION, A.UNPUBLISH],
            id="staff_on_submitted_when_staff_decide_extensions",
        ),
        pytest.param("submitted", {"liaison"}, "leader", [], id="liaison_waits_while_submitted"),
        pytest.param("in_progress", {"leader"}, "leader", [A.DECIDE_EXTENSION, A.PROPOSE_ESCALATION],
                     id="leader_on_in_progress"),
        pytest.param("in_progress", {"leader"}, "staff", [A.PROPOSE_ESCALATION],
                     id="leader_when_staff_decide_extensions"),
        pytest.param(
            "accepted",
            {"staff"},
            "leader",
            [A.EVALUATE_SATISFIED, A.EVALUATE_BASICALLY_SATISFIED, A.EVALUATE_DISSATISFIED, A.CLOSE, A.PUBLISH,
             A.UNPUBLISH],
            id="staff_on_accepted_when_the_items_are_not_given",
        ),
        pytest.param("closed", {"staff"}, "leader", [A.REOPEN, A.PUBLISH, A.UNPUBLISH], id="staff_on_closed"),
        pytest.param("closed", {"leader"}, "leader", [A.REOPEN], id="leader_on_closed"),
        pytest.param("withdrawn", set(Role), "staff", [], id="nobody_on_withdrawn"),
    ],
)
def test_available_actions_for_typical_actors(status, roles, approver, expected):
    assert available_actions(status, roles, extension_approver=approver) == expected


@pytest.mark.parametrize("status", list(CaseStatus))
def test_a_co_liaison_has_no_case_actions_only_item_actions(status):
    assert available_actions(status, {Role.CO_LIAISON}) == []


@pytest.mark.parametrize(
    ("item_status", "case_status", "roles", "expected"),
    [
        pytest.param(
            "in_progress",
            "in_consultation",
            {"liaison"},
            [ItemAction.REPORT_PROGRESS, ItemAction.MARK_DONE],
            id="liaison_on_item_in_progress",
        ),
        pytest.param("not_started", "in_progress", {"co_liaison"}, [ItemAction.REPORT_PROGRESS], id="co_liaison"),
        pytest.param("not_started", "in_progress", {"liaison"}, [ItemAction.REPORT_PROGRESS], id="no_done_unstarted"),
        pytest.param("in_progress", "submitted", {"liaison"}, [], id="body_hands_off_once_report_submitted"),
        pytest.param(
            "done",
            "submitted",
            {"staff"},
            [ItemAction.VERIFY, ItemAction.SEND_BACK, ItemAction.CARRY_OVER],
            id="staff_on_done_item_of_submitted_case",
        ),
        pytest.param("done", "closed", {"staff"}, [], id="closed_case_freezes_items"),
        pytest.param("closed", "accepted", set(Role), [], id="verified_item_is_final"),
        pytest.param("carried_over", "closed", {"liaison"}, [ItemAction.REPORT_FOLLOW_UP],
                     id="carried_over_item_is_reported_on_after_closing"),
        pytest.param("carried_over", "closed", {"staff"}, [ItemAction.VERIFY, ItemAction.CARRY_OVER],
                     id="carried_over_item_is_verified_or_carried_again"),
        pytest.param("carried_over", "submitted", {"liaison"}, [], id="no_follow_up_while_the_report_is_reviewed"),
    ],
)
def test_available_item_actions_for_typical_actors(item_status, case_status, roles, expected):
    assert available_item_actions(item_status, case_status, roles) == expected


def test_a_single_role_need_not_be_wrapped_in_a_set():
    # A Role is a str; iterating it character by character would be a nasty surprise.
    assert available_actions(CaseStatus.ISSUED, Role.LIAISON) == [Action.ACKNOWLEDGE, Action.REQUEST_EXTENSION]
    assert check(Action.ACKNOWLEDGE, CaseStatus.ISSUED, Role.LIAISON) is CaseStatus.IN_PROGRESS


@settings(database=None, max_examples=300)
@given(
    status=st.sampled_from(CaseStatus),
    action=st.sampled_from(Action),
    roles=st.frozensets(st.sampled_from(Role)),
    approver=st.sampled_from(ExtensionApprover),
)
def test_holding_several_roles_allows_whatever_any_one_of_them_allows(status, action, roles, approver):
    together = is_allowed(action, status, roles, extension_approver=approver)
    separately = any(is_allowed(action, status, {role}, extension_approver=approver) for role in roles)
    assert together is separately


# --- what a refusal says (its wording is the Django side's: tests/opinions/test_refusal_messages.py) -----------------


def test_wrong_status_refusal_names_status_and_action():
    with pytest.raises(TransitionRefused) as refused:
        check(Action.ACKNOWLEDGE, CaseStatus.SUBMITTED, {Role.LIAISON})
    error = refused.value
    assert (error.code, error.action, error.status) == ("wrong_status", "acknowledge", "submitted")
    assert (error.open_count, error.approver) == (None, None)


def test_refused_extension_decision_says_who_decides():
    with pytest.raises(TransitionRefused) as refused:
        check(Action.DECIDE_EXTENSION, CaseStatus.ISSUED, {Role.STAFF}, extension_approver=ExtensionApprover.LEADER)
    assert (refused.value.code, refused.value.approver) == ("wrong_role", "leader")


def test_item_refusals_say_whether_the_case_or_the_item_is_in_the_wrong_status():
    with pytest.raises(TransitionRefused) as case_wrong:
        check_item(ItemAction.MARK_DONE, ItemStatus.IN_PROGRESS, CaseStatus.SUBMITTED, {Role.LIAISON})
    with pytest.raises(TransitionRefused) as item_wrong:
        check_item(ItemAction.MARK_DONE, ItemStatus.NOT_STARTED, CaseStatus.IN_PROGRESS, {Role.LIAISON})
    assert (case_wrong.value.status_of, case_wrong.value.case_status) == ("case", "submitted")
    assert (item_wrong.value.status_of, item_wrong.value.status) == ("item", "not_started")


@pytest.mark.parametrize("action", ["frobnicate", "", "ISSUE"])
def test_an_unknown_action_string_is_refused_as_unknown_action(action):
    with pytest.raises(TransitionRefused) as refused:
        check(action, CaseStatus.DRAFT, set(Role))
    assert refused.value.code == "unknown_action"
    assert refused.value.status == "draft"
    assert refused.value.action == action
    assert not is_allowed(action, CaseStatus.DRAFT, set(Role))


def test_an_unknown_item_action_string_is_refused_as_unknown_action():
    with pytest.raises(TransitionRefused) as refused:
        check_item("destroy", ItemStatus.DONE, CaseStatus.IN_PROGRESS, set(Role))
    assert refused.value.code == "unknown_action"


def test_plain_strings_are_accepted_everywhere():
    assert check("accept_report", "submitted", ["staff"]) is CaseStatus.ACCEPTED
    assert check("decide_extension", "issued", ["staff"], extension_approver="staff") is CaseStatus.ISSUED
    assert check_item("verify", "done", "accepted", ["staff"]) is ItemStatus.CLOSED


@pytest.mark.parametrize(
    "call",
    [
        lambda: check(Action.ISSUE, "archived", {Role.STAFF}),
        lambda: check(Action.ISSUE, CaseStatus.DRAFT, {"janitor"}),
        lambda: check(Action.CLOSE, CaseStatus.ACCEPTED, {Role.STAFF}, item_statuses=["lost"]),
        lambda: check(Action.DECIDE_EXTENSION, CaseStatus.ISSUED, {Role.STAFF}, extension_approver="mayor"),
        lambda: check_item(ItemAction.VERIFY, "lost", CaseStatus.ACCEPTED, {Role.STAFF}),
    ],
    ids=["status", "role", "item_status", "approver", "item_status_in_check_item"],
)
def test_an_unknown_status_or_role_is_a_programming_error_not_a_refusal(call):
    with pytest.raises(ValueError, match="is not a valid"):
        call()


def test_a_refusal_survives_pickling_with_all_its_fields():
    with pytest.raises(TransitionRefused) as refused:
        check_item(ItemAction.VERIFY, ItemStatus.DONE, CaseStatus.CLOSED, {Role.STAFF})
    copy = pickle.loads(pickle.dumps(refused.value))
    assert vars(copy) == vars(refused.value)
    assert str(copy) == str(refused.value)




# --- the table as a graph ------------------------------------------------------------------------------------------


def successors(status):
    return {row.target for row in TRANSITIONS if row.source is status}


def reachable_from(start):
    seen, todo = {start}, [start]
    while todo:
        for target in successors(todo.pop()) - seen:
            seen.add(target)
            todo.append(target)
    return seen


def test_the_table_has_no_duplicate_action_source_rows():
    keys = [(row.action, row.source) for row in TRANSITIONS]
    assert len(keys) == len(set(keys))
    item_keys = [(row.action, row.source) for row in ITEM_TRANSITIONS]
    assert len(item_keys) == len(set(item_keys))


def test_the_table_matches_the_hand_written_table_row_for_row():
    # Guards against rows the exhaustive test cannot see, e.g. a role that is not one of the four.
    actual = {(row.source.value, row.action.value): row.target.value for row in TRANSITIONS}
    assert actual == {key: target for key, (target, _) in EXPECTED_CASE_TABLE.items()}


def test_every_status_is_reachable_from_draft():
    assert reachable_from(CaseStatus.DRAFT) == set(CaseStatus)


@pytest.mark.parametrize("status", [s for s in CaseStatus if s is not CaseStatus.WITHDRAWN])
def test_every_status_except_withdrawn_can_still_lead_to_closed(status):
    assert CaseStatus.CLOSED in reachable_from(status)


def test_withdrawn_is_terminal_and_closed_can_only_be_reopened():
    assert [row for row in TRANSITIONS if row.source is CaseStatus.WITHDRAWN] == []
    leaving_closed = [row.action for row in TRANSITIONS if row.source is CaseStatus.CLOSED and row.target != row.source]
    assert leaving_closed == [Action.REOPEN]
    # Publishing a closed case, or taking it off the public site, is a record, not a move.
    staying_closed = [row.action for row in TRANSITIONS if row.source is CaseStatus.CLOSED and row.target == row.source]
    assert staying_closed == [Action.PUBLISH, Action.UNPUBLISH]


def test_only_drafting_signoff_interim_reports_extensions_publication_and_supervision_keep_the_status():
    same = {row.action.value for row in TRANSITIONS if row.target == row.source}
    assert same == {"edit_draft", "request_signoff", "sign_off", "submit_interim_report", "request_extension",
                    "decide_extension", "publish", "unpublish", "propose_escalation", "press"}


def test_extension_rows_cover_the_documented_statuses_and_store_both_possible_deciders():
    requested = {row.source.value for row in TRANSITIONS if row.action is Action.REQUEST_EXTENSION}
    decided = [row for row in TRANSITIONS if row.action is Action.DECIDE_EXTENSION]
    assert requested == {"issued", "in_progress", "in_consultation"}
    assert {row.source for row in decided} == OPEN_STATUSES
    assert all(row.roles == {Role.LEADER, Role.STAFF} for row in decided)


def test_open_and_item_active_statuses_are_as_documented():
    assert frozenset({"issued", "in_progress", "in_consultation", "submitted", "accepted"}) == OPEN_STATUSES
    assert frozenset({"in_progress", "in_consultation", "submitted", "accepted"}) == ACTIVE_FOR_ITEMS


def test_every_action_has_at_least_one_row():
    assert {row.action for row in TRANSITIONS} == set(Action)
    assert {row.action for row in ITEM_TRANSITIONS} == set(ItemAction)


def test_every_row_has_a_non_empty_frozenset_of_known_roles():
    for row in TRANSITIONS + ITEM_TRANSITIONS:
        assert isinstance(row.roles, frozenset)
        assert row.roles
        assert all(isinstance(role, Role) for role in row.roles)


def test_the_module_imports_only_the_standard_library():
    # Pure on purpose: no Django, so the rules run (and are tested) without settings or a database.
    import opinions.workflow as workflow

    tree = ast.parse(Path(workflow.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}


@pytest.mark.parametrize(("action", "roles", "approver", "expected"), [
    (Action.ACKNOWLEDGE, {Role.LIAISON}, ExtensionApprover.LEADER, True),
    (Action.ACKNOWLEDGE, {Role.STAFF, Role.LEADER, Role.CO_LIAISON}, ExtensionApprover.LEADER, False),
    (Action.DECIDE_EXTENSION, {Role.STAFF}, ExtensionApprover.LEADER, False),
    (Action.DECIDE_EXTENSION, {Role.STAFF}, ExtensionApprover.STAFF, True),
    (Action.REOPEN, {Role.LEADER}, ExtensionApprover.LEADER, True),
    (Action.PROPOSE_ESCALATION, set(), ExtensionApprover.LEADER, False),
])
def test_ever_allowed_tells_a_forbidden_role_from_a_wrong_moment(action, roles, approver, expected):
    from opinions.workflow import ever_allowed

    assert ever_allowed(action, roles, extension_approver=approver) is expected
    # Consistent with the table: ever allowed exactly when some status offers it.
    offered = any(action in available_actions(status, roles, extension_approver=approver) for status in CaseStatus)
    assert offered is expected


@pytest.mark.parametrize("action", list(ItemAction))
@pytest.mark.parametrize("role", list(Role))
def test_item_action_ever_allowed_matches_the_item_table(action, role):
    from opinions.workflow import item_action_ever_allowed

    offered = any(action in available_item_actions(item_status, case_status, {role})
                  for item_status in ItemStatus for case_status in CaseStatus)
    assert item_action_ever_allowed(action, {role}) is offered
