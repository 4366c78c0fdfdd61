"""Accepting the report settles the items (issue 14 §5): from acceptance on every item is verified (销号) or carried
over (持续整改), so what follows — the satisfaction vote, closing — never waits for an item nobody may work on.
The acceptance may settle what is still open itself, each item with its own history; an item left open refuses it
and nothing changes."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from npc_tracker.errors import DomainError, NotAllowed
from opinions import services
from opinions.actions import case_action_specs_for, item_action_specs_for
from opinions.models import Case, CaseItem
from opinions.permissions import available_actions
from opinions.workflow import Action, CaseStatus

pytestmark = pytest.mark.django_db


def statuses(case) -> dict[int, str]:
    return dict(case.items.values_list("number", "status"))


def submitted(case, world, *, done=(), in_progress=()):
    """The body worked on the items numbered `in_progress` and finished those numbered `done`, then reported."""
    for item in case.items.filter(number__in=(*done, *in_progress)):
        services.item_report_progress(item=item, actor=world.liaison, progress_note="推进中")
    for item in case.items.filter(number__in=done):
        services.item_mark_done(item=item, actor=world.liaison, measures="已落实")
    services.report_submit(case=case, actor=world.liaison, kind="final", title="报告", text="正文")
    return Case.objects.get(pk=case.pk)


def test_accepting_verifies_what_is_done_and_carries_over_the_rest_each_item_with_its_history(received_case, world):
    case = submitted(received_case, world, done=[1], in_progress=[2])
    services.report_accept(case=case, actor=world.staff, comment="报告符合要求", verify_done=True,
                           carry_over_reason="长期工作，转持续整改", next_report_date=date(2099, 6, 30))
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert statuses(case) == {1: "closed", 2: "carried_over"}
    verified, carried = case.items.order_by("number")
    assert verified.history.first().history_user == world.staff
    assert carried.history.first().history_change_reason == "长期工作，转持续整改"
    assert carried.committee_note == "长期工作，转持续整改"
    assert case.reports.get().review_outcome == "accepted"


def test_without_verifying_a_done_item_is_carried_over_with_the_others(received_case, world):
    case = submitted(received_case, world, done=[1])
    services.report_accept(case=case, actor=world.staff, carry_over_reason="持续整改",
                           next_report_date=date(2099, 6, 30))
    assert statuses(case) == {1: "carried_over", 2: "carried_over"}


def test_items_settled_beforehand_need_no_choice_and_are_left_as_they_are(received_case, world):
    case = submitted(received_case, world, done=[1, 2])
    for item in case.items.all():
        services.item_verify(item=item, actor=world.staff, note="经核实")
    history = CaseItem.history.count()
    services.report_accept(case=case, actor=world.staff, carry_over_reason="不会用到",
                           next_report_date=date(2099, 6, 30))
    assert statuses(case) == {1: "closed", 2: "closed"}
    assert CaseItem.history.count() == history


@pytest.mark.parametrize(("choice", "left_open"), [
    ({}, 2),
    ({"verify_done": True}, 1),  # the done item would be verified; the one in progress stays open
    ({"carry_over_reason": "   "}, 2),  # blank is no reason: nothing is carried over
])
def test_an_item_left_open_refuses_the_acceptance_and_changes_nothing(received_case, world, choice, left_open):
    case = submitted(received_case, world, done=[1], in_progress=[2])
    history = CaseItem.history.count()
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.report_accept(case=case, actor=world.staff, **choice)
    assert refused.value.code == "items_open"
    assert f"{left_open} item" in refused.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert statuses(case) == {1: "done", 2: "in_progress"}
    assert CaseItem.history.count() == history
    assert case.reports.get().review_outcome == "pending"


def test_the_refusal_says_how_to_settle_the_items(received_case, world):
    case = submitted(received_case, world, in_progress=[1, 2])
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.report_accept(case=case, actor=world.staff)
    assert refused.value.message == (
        "Cannot accept the report: 2 items are neither verified nor carried over. Verify what the body marked done "
        "and carry over (持续整改) the rest, on accepting or item by item, or return the report.")


def test_a_liaison_cannot_accept_and_nothing_is_settled(received_case, world):
    case = submitted(received_case, world, done=[1])
    with pytest.raises(NotAllowed):
        services.report_accept(case=case, actor=world.liaison, verify_done=True, carry_over_reason="持续整改",
                               next_report_date=date(2099, 6, 30))
    assert statuses(case) == {1: "done", 2: "not_started"}


def test_accepting_in_the_wrong_status_is_refused_before_any_item_is_settled(received_case, world):
    with pytest.raises(DomainError) as refused:
        services.report_accept(case=received_case, actor=world.staff, carry_over_reason="持续整改",
                               next_report_date=date(2099, 6, 30))
    assert refused.value.code == "wrong_status"
    assert statuses(received_case) == {1: "not_started", 2: "not_started"}


@pytest.mark.parametrize(("votes", "result", "status"), [
    ((30, 4, 2), "satisfied", CaseStatus.CLOSED),
    ((12, 20, 4), "basically_satisfied", CaseStatus.CLOSED),
])
def test_once_accepted_a_closing_vote_is_never_refused_for_items(received_case, world, votes, result, status):
    case = submitted(received_case, world, done=[1], in_progress=[2])
    services.report_accept(case=case, actor=world.staff, verify_done=True, carry_over_reason="持续整改",
                           next_report_date=date(2099, 6, 30))
    satisfied, basically, dissatisfied = votes
    evaluation = services.evaluation_record(case=case, actor=world.staff, entitled_to_vote=40, satisfied=satisfied,
                                            basically_satisfied=basically, dissatisfied=dissatisfied)
    assert evaluation.result == result
    assert Case.objects.get(pk=case.pk).status == status


# ------------------------------------------------------------ a case accepted with open items before this rule


@pytest.fixture
def accepted_with_open_items(received_case, world):
    """As stored before issue 14: accepted while item 1 was done and item 2 in progress."""
    case = submitted(received_case, world, done=[1], in_progress=[2])
    services.report_accept(case=case, actor=world.staff, verify_done=True, carry_over_reason="x",
                           next_report_date=date(2099, 6, 30))
    case.items.filter(number=1).update(status="done")
    case.items.filter(number=2).update(status="in_progress")
    return Case.objects.get(pk=case.pk)


def test_an_old_accepted_case_with_open_items_offers_only_what_can_succeed(accepted_with_open_items, world):
    case = accepted_with_open_items
    # The table allows taking a case off the public site here; the page offers it only once the case is public.
    assert available_actions(world.staff, case) == [Action.EVALUATE_DISSATISFIED, Action.PUBLISH, Action.UNPUBLISH]
    assert [spec.slug for spec in case_action_specs_for(world.staff, case)] == ["evaluate", "publish"]
    done, in_progress = case.items.order_by("number")
    assert [spec.slug for spec in item_action_specs_for(world.staff, done, case)] == ["verify", "carry-over"]
    assert [spec.slug for spec in item_action_specs_for(world.staff, in_progress, case)] == ["carry-over"]
    assert item_action_specs_for(world.liaison, in_progress, case) == []


def test_an_old_accepted_case_goes_back_to_the_body_on_a_dissatisfied_vote_who_works_on_its_items_again(
        accepted_with_open_items, world):
    case = accepted_with_open_items
    services.evaluation_record(case=case, actor=world.staff, entitled_to_vote=40, satisfied=4, basically_satisfied=6,
                               dissatisfied=20, redo_due_date=date(2026, 10, 30))
    in_progress = case.items.get(number=2)
    services.item_mark_done(item=in_progress, actor=world.liaison, measures="已完成")
    assert statuses(case) == {1: "done", 2: "done"}


def test_an_old_accepted_case_can_be_closed_once_its_items_are_settled(accepted_with_open_items, world):
    case = accepted_with_open_items
    done, in_progress = case.items.order_by("number")
    services.item_verify(item=done, actor=world.staff)
    services.item_carry_over(item=in_progress, actor=world.staff, reason="持续整改",
                             next_report_date=date(2026, 12, 31))
    case = Case.objects.get(pk=case.pk)
    assert Action.CLOSE in available_actions(world.staff, case)
    assert services.case_close(case=case, actor=world.staff).status == CaseStatus.CLOSED


# ------------------------------------------------------------ the page asks only about the items there are


def accept_form_fields(client, world, case) -> set[str]:
    client.force_login(world.staff)
    response = client.get(reverse("opinions:case_detail", args=[case.pk]))
    offered = next(o for o in response.context["offered"] if o.spec.slug == "accept-report")
    return set(offered.form.fields)


@pytest.mark.parametrize(("done", "in_progress", "fields"), [
    ([1], [2], {"comment", "verify_done", "carry_over_reason", "next_report_date"}),
    ([], [1, 2], {"comment", "carry_over_reason", "next_report_date"}),
    ([1, 2], [], {"comment", "verify_done", "carry_over_reason", "next_report_date"}),
])
def test_the_accept_form_asks_about_the_open_items_there_are(client, world, received_case, done, in_progress,
                                                            fields):
    case = submitted(received_case, world, done=done, in_progress=in_progress)
    assert accept_form_fields(client, world, case) == fields


def test_the_accept_form_of_a_report_whose_items_are_settled_asks_for_a_comment_only(client, world, received_case):
    case = submitted(received_case, world, done=[1, 2])
    for item in case.items.all():
        services.item_verify(item=item, actor=world.staff)
    assert accept_form_fields(client, world, case) == {"comment"}


def test_accepting_on_the_page_verifies_the_done_items(client, world, received_case):
    case = submitted(received_case, world, done=[1, 2])
    client.force_login(world.staff)
    response = client.post(reverse("opinions:case_action", args=[case.pk, "accept-report"]),
                           {"accept-report-comment": "报告符合要求", "accept-report-verify_done": "yes"})
    assert response.status_code == 302
    assert statuses(case) == {1: "closed", 2: "closed"}
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED
