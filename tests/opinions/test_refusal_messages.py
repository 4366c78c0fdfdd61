"""What a refusal of the workflow says, in Chinese and in English (opinions.errors, with the labels of
opinions.choices): the pure workflow only says what it refused and why."""

import itertools

import pytest
from django.utils import translation

from npc_tracker.errors import NotAllowed
from opinions import choices
from opinions.errors import from_transition_refused
from opinions.workflow import (
    Action,
    CaseStatus,
    ExtensionApprover,
    ItemAction,
    ItemStatus,
    Role,
    TransitionRefused,
    check,
    check_item,
)

UNSETTLED = [ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS, ItemStatus.DONE]
CLOSERS = [Action.CLOSE, Action.EVALUATE_SATISFIED, Action.EVALUATE_BASICALLY_SATISFIED]


def refusal(call):
    with pytest.raises(TransitionRefused) as refused:
        call()
    return refused.value


def message(exc, language):
    with translation.override(language):
        return from_transition_refused(exc).message


@pytest.mark.parametrize(("action", "open_item"), list(itertools.product(CLOSERS, UNSETTLED)))
def test_closing_refused_for_one_open_item_says_so(action, open_item):
    items = [ItemStatus.CLOSED, open_item, ItemStatus.CARRIED_OVER]
    refused = refusal(lambda: check(action, CaseStatus.ACCEPTED, {Role.STAFF}, item_statuses=items))
    assert "1项" in message(refused, "zh-hans")
    assert "1 item is" in message(refused, "en")


def test_items_open_message_says_how_many_items_are_open():
    items = ["not_started", "in_progress", "done", "closed", "carried_over", "done"]
    refused = refusal(lambda: check("close", "accepted", ["staff"], item_statuses=iter(items)))
    assert message(refused, "zh-hans") == "尚有4项意见未销号或转为持续整改，不能执行“办结”。"
    assert "4 items are" in message(refused, "en")


def test_wrong_status_message_names_status_and_action_in_chinese_and_english():
    refused = refusal(lambda: check(Action.ACKNOWLEDGE, CaseStatus.SUBMITTED, {Role.LIAISON}))
    assert message(refused, "zh-hans") == "当前状态（已报送）不能执行“签收”。"
    assert message(refused, "en") == "Cannot acknowledge a case that is submitted."
    with translation.override("zh-hans"):
        error = from_transition_refused(refused)
    assert (str(error), error.code) == (error.message, "wrong_status")


def test_wrong_role_message_names_status_and_action_in_chinese():
    refused = refusal(lambda: check(Action.SUBMIT_REPORT, CaseStatus.IN_PROGRESS, {Role.STAFF}))
    with translation.override("zh-hans"):
        error = from_transition_refused(refused)
    assert isinstance(error, NotAllowed)
    assert "办理中" in str(error)
    assert "报送书面报告" in str(error)


def test_refused_extension_decision_says_who_decides():
    refused = refusal(lambda: check(Action.DECIDE_EXTENSION, CaseStatus.ISSUED, {Role.STAFF},
                                    extension_approver=ExtensionApprover.LEADER))
    assert "主任会议" in message(refused, "zh-hans")
    assert "Council of Chairpersons" in message(refused, "en")


def test_item_refusal_messages_say_whether_the_case_or_the_item_is_in_the_wrong_status():
    case_wrong = refusal(lambda: check_item(ItemAction.MARK_DONE, ItemStatus.IN_PROGRESS, CaseStatus.SUBMITTED,
                                            {Role.LIAISON}))
    item_wrong = refusal(lambda: check_item(ItemAction.MARK_DONE, ItemStatus.NOT_STARTED, CaseStatus.IN_PROGRESS,
                                            {Role.LIAISON}))
    assert message(case_wrong, "zh-hans") == "案件当前状态（已报送）不能对意见事项执行“标记完成”。"
    assert message(item_wrong, "zh-hans") == "意见事项当前状态（未开始）不能执行“标记完成”。"


@pytest.mark.parametrize("action", ["frobnicate", "", "ISSUE"])
def test_an_unknown_action_is_named_in_the_message(action):
    refused = refusal(lambda: check(action, CaseStatus.DRAFT, set(Role)))
    assert f"“{action}”" in message(refused, "zh-hans")


@pytest.mark.parametrize(("phrases", "enum"), [
    (choices.REFUSAL_CASE_STATUS, CaseStatus),
    (choices.REFUSAL_ACTION, Action),
    (choices.REFUSAL_ITEM_STATUS, ItemStatus),
    (choices.REFUSAL_ITEM_ACTION, ItemAction),
    (choices.REFUSAL_APPROVER, ExtensionApprover),
])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_status_and_action_has_a_phrase_for_refusals(phrases, enum, language):
    assert set(phrases) == set(enum)
    with translation.override(language):
        assert all(str(phrase) for phrase in phrases.values())


@pytest.mark.parametrize(("phrases", "labels"), [
    (choices.REFUSAL_CASE_STATUS, choices.CASE_STATUS_LABELS),
    (choices.REFUSAL_ACTION, choices.ACTION_LABELS),
    (choices.REFUSAL_ITEM_STATUS, choices.ITEM_STATUS_LABELS),
    (choices.REFUSAL_APPROVER, {approver: choices.ExtensionApproverChoice(approver.value).label
                                for approver in ExtensionApprover}),
], ids=["case status", "action", "item status", "approver"])
def test_in_chinese_a_refusal_names_a_status_or_an_action_as_the_pages_do(phrases, labels):
    with translation.override("zh-hans"):
        assert {key: str(phrase) for key, phrase in phrases.items()} == {key: str(labels[key]) for key in phrases}
