"""Satisfaction votes as the rules count them (issue 14 §4), at the service level: the rule set's base, the meeting's
quorum, the follow-up as tracked items, items carried over with a next report date, and every refusal in words the
catalogue translates. Messages are read in English (the msgids); the codes and fields are what clients rely on."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from npc_tracker.errors import DomainError, InvalidInput
from opinions import services, voting
from opinions.models import Case, CaseItem, Evaluation, Meeting, RuleSet
from opinions.selectors import case_timeline, today
from opinions.services import meetings
from opinions.services.evaluations import _vote_refusal
from opinions.workflow import CaseStatus, ItemStatus
from tests.cases import LATER, accepted

pytestmark = pytest.mark.django_db



@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def base(value):
    RuleSet.objects.filter(case_kind="plan_execution").update(vote_base=value)


def sc_meeting(world, *, session=16, members=48, present=46):
    return meetings.meeting_create(actor=world.staff, kind="sc_meeting", term=15, session=session,
                                   start_date=today(), members=members, present=present)


def evaluate(case, world, s, b, d, **kwargs):
    return services.evaluation_record(case=case, actor=world.staff, satisfied=s, basically_satisfied=b,
                                      dissatisfied=d, **kwargs)


def refused(case, world, s, b, d, **kwargs) -> InvalidInput:
    with pytest.raises(InvalidInput) as exc:
        evaluate(case, world, s, b, d, **kwargs)
    assert not Evaluation.objects.exists()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED
    return exc.value


def last_reason(case) -> str:
    return Case.history.filter(id=case.pk).order_by("-history_id").first().history_change_reason


# ---------------------------------------------------------------- the meeting: quorum and attendance


def test_a_vote_at_a_meeting_with_a_quorum_records_the_meetings_numbers(issued_case, world):
    case = accepted(issued_case, world)
    meeting = sc_meeting(world)
    evaluation = evaluate(case, world, 30, 10, 2, meeting=meeting)
    assert (evaluation.result, evaluation.vote_base) == ("satisfied", "votes_cast")
    assert (evaluation.members, evaluation.present, evaluation.entitled_to_vote) == (48, 46, 46)
    assert evaluation.base_count == 42


def test_a_vote_at_a_meeting_without_a_quorum_is_refused(issued_case, world):
    case = accepted(issued_case, world)
    error = refused(case, world, 20, 3, 1, meeting=sc_meeting(world, members=48, present=24))
    assert (error.code, error.field) == ("no_quorum", "meeting")
    assert error.message == ("No quorum: 24 of the 48 members were present, not more than half, so the meeting "
                             "cannot take a satisfaction vote.")


def test_one_more_than_half_present_is_a_quorum(issued_case, world):
    case = accepted(issued_case, world)
    assert evaluate(case, world, 20, 3, 1, meeting=sc_meeting(world, members=48, present=25)).result == "satisfied"


def test_a_meeting_that_does_not_record_its_attendance_is_refused_by_name(issued_case, world):
    case = accepted(issued_case, world)
    meeting = meetings.meeting_create(actor=world.staff, kind="sc_meeting", term=15, session=16, start_date=today(),
                                      members=48)
    error = refused(case, world, 20, 3, 1, meeting=meeting, entitled_to_vote=40)
    assert (error.code, error.field) == ("attendance_missing", "meeting")
    assert error.message.startswith(
        "市十五届人大常委会第十六次会议 does not record its members and the members present")


def test_without_a_meeting_the_votes_cast_base_still_counts(issued_case, world):
    case = accepted(issued_case, world)
    evaluation = evaluate(case, world, 20, 3, 1, entitled_to_vote=30)
    assert (evaluation.result, evaluation.members, evaluation.present) == ("satisfied", None, None)


def test_entitled_to_vote_defaults_to_the_members_present(issued_case, world):
    case = accepted(issued_case, world)
    assert evaluate(case, world, 30, 10, 2, meeting=sc_meeting(world, present=44)).entitled_to_vote == 44


def test_without_meeting_or_entitled_number_the_form_asks_for_one(issued_case, world):
    case = accepted(issued_case, world)
    error = refused(case, world, 20, 3, 1)
    assert (error.code, error.field) == ("invalid", "entitled_to_vote")


def test_more_entitled_than_present_is_refused(issued_case, world):
    case = accepted(issued_case, world)
    error = refused(case, world, 20, 3, 1, meeting=sc_meeting(world, present=40), entitled_to_vote=41)
    assert (error.code, error.field) == ("invalid_votes", "entitled_to_vote")
    assert error.message == "More entitled to vote (41) than members present at the meeting (40)."


# ---------------------------------------------------------------- the base is the rule set's


def test_the_members_present_base_counts_abstentions_against(issued_case, world):
    base("members_present")
    case = accepted(issued_case, world)
    # 46 present, 40 voted: 23 satisfied is more than half of the votes but only half of those present.
    evaluation = evaluate(case, world, 23, 10, 7, meeting=sc_meeting(world))
    assert (evaluation.result, evaluation.vote_base, evaluation.base_count) == ("basically_satisfied",
                                                                                 "members_present", 46)


def test_the_all_members_base_counts_absent_members_against(issued_case, world):
    base("all_members")
    case = accepted(issued_case, world)
    # 48 members: 24 satisfied and 1 basically satisfied is more than half, 24 alone is not.
    evaluation = evaluate(case, world, 24, 1, 15, meeting=sc_meeting(world))
    assert (evaluation.result, evaluation.base_count) == ("basically_satisfied", 48)
    assert "more than half of all members, 48" in last_reason(case)


@pytest.mark.parametrize("value", ["members_present", "all_members"])
def test_a_base_that_needs_the_meeting_refuses_a_vote_without_one(issued_case, world, value):
    base(value)
    case = accepted(issued_case, world)
    error = refused(case, world, 30, 5, 1, entitled_to_vote=40)
    assert (error.code, error.field) == ("attendance_missing", "meeting")
    assert "choose the meeting" in error.message


def test_the_rule_set_base_is_changed_by_an_administrator_with_history(world):
    from agencies.models import Membership, MembershipRole

    Membership.objects.create(user=world.nobody, role=MembershipRole.ADMIN)
    rule_set = RuleSet.objects.get(case_kind="plan_execution")
    assert rule_set.vote_base == "votes_cast"
    services.rule_set_update(rule_set=rule_set, actor=world.nobody, vote_base="all_members", reason="依地方规定")
    rule_set.refresh_from_db()
    assert rule_set.vote_base == "all_members"
    assert rule_set.history.first().history_change_reason == "依地方规定"


# ---------------------------------------------------------------- every refusal in the user's language


def test_more_votes_than_entitled_is_refused_in_one_language(issued_case, world):
    case = accepted(issued_case, world)
    error = refused(case, world, 9, 5, 0, entitled_to_vote=10)
    assert (error.code, error.field) == ("invalid_votes", "satisfied")
    assert error.message == "The vote counts are not valid: 14 votes cast, more than the 10 entitled to vote."
    with translation.override("zh-hans"):
        error = refused(case, world, 9, 5, 0, entitled_to_vote=10)
    assert "more votes cast than members entitled to vote" not in error.message


@pytest.mark.parametrize("code", voting.CODES)
def test_every_refusal_of_the_pure_rule_has_a_message_and_a_field(code):
    numbers = {"present": 24, "members": 48, "entitled": 47, "cast": 50}
    error = _vote_refusal(voting.InvalidVotes(code, **numbers))
    assert error.message
    assert "%(" not in error.message
    assert error.field in {"meeting", "entitled_to_vote", "satisfied"}
    assert error.code in {"no_quorum", "attendance_missing", "invalid_votes"}


# ---------------------------------------------------------------- closing: said before and after


def test_the_outlook_says_a_closing_vote_closes_and_names_the_items_carried_over(issued_case, world):
    case = accepted(issued_case, world, carry_first=True)
    outlook = services.evaluation_outlook(case)
    assert outlook.startswith("A satisfied or basically satisfied result closes the case (办结)")
    assert "The result counts more than half of the votes cast." in outlook
    assert "No. 1 “一、全力以赴抓好“六稳”“六保”。” (next report by 2026-12-31)" in outlook


def test_a_satisfied_vote_closes_the_case_and_its_timeline_says_so_with_the_items_carried_over(issued_case, world):
    case = accepted(issued_case, world, carry_first=True)
    evaluation = evaluate(case, world, 30, 10, 2, meeting=sc_meeting(world))
    case.refresh_from_db()
    assert (case.status, case.closed_date) == (CaseStatus.CLOSED, today())
    reason = last_reason(case)
    assert reason.startswith("Satisfaction evaluation: Satisfied (satisfied 30, basically satisfied 10, dissatisfied "
                             "2; more than half of the votes cast, 42). The case is closed (办结).")
    assert "Carried over (持续整改) and still followed: No. 1 “一、全力以赴抓好“六稳”“六保”。” (next report by " \
           "2026-12-31)." in reason
    assert services.evaluation_outcome(evaluation) == reason
    assert any(entry.reason == reason for entry in case_timeline(case))


def test_a_closing_vote_without_items_carried_over_names_none(issued_case, world):
    case = accepted(issued_case, world)
    evaluate(case, world, 30, 10, 2, entitled_to_vote=46)
    assert "Carried over" not in last_reason(case)


def test_a_long_list_of_carried_over_items_is_named_up_to_ten_then_counted(issued_case, world):
    case = accepted(issued_case, world)
    lines = "\n".join(f"后续事项{n}" for n in range(1, 13))
    evaluation = evaluate(case, world, 20, 20, 2, entitled_to_vote=46, follow_up=lines, next_report_date=LATER)
    message = services.evaluation_outcome(evaluation)
    assert "No. 13" not in message
    assert "No. 12 “后续事项10”" in message
    assert message.endswith(" (12 items in all).")


# ---------------------------------------------------------------- 基本满意 follow-up becomes tracked items


def test_basically_satisfied_follow_up_becomes_items_carried_over_with_their_next_report(issued_case, world):
    case = accepted(issued_case, world)
    evaluation = evaluate(case, world, 15, 20, 5, meeting=sc_meeting(world), next_report_date=LATER,
                          follow_up="建立长效管护机制\n\n  补齐污水治理短板  \n")
    assert evaluation.result == "basically_satisfied"
    follow_ups = list(CaseItem.objects.filter(case=case, evaluation=evaluation).order_by("number"))
    assert [(i.number, i.kind, i.heading, i.status, i.next_report_date) for i in follow_ups] == [
        (3, "follow_up", "建立长效管护机制", ItemStatus.CARRIED_OVER, LATER),
        (4, "follow_up", "补齐污水治理短板", ItemStatus.CARRIED_OVER, LATER)]
    assert evaluation.follow_up == "建立长效管护机制\n补齐污水治理短板"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    history = CaseItem.history.filter(id=follow_ups[0].pk).get()
    assert (history.history_user, history.history_change_reason) == (
        world.staff, "Follow-up required by the satisfaction evaluation, carried over (持续整改)")
    assert "No. 4 “补齐污水治理短板” (next report by 2026-12-31)" in last_reason(case)


def test_follow_up_items_need_a_next_report_date_after_today(issued_case, world):
    case = accepted(issued_case, world)
    error = refused(case, world, 15, 20, 5, entitled_to_vote=46, follow_up="建立长效机制")
    assert (error.field, error.message) == ("next_report_date",
                                            "Give the date of the next report on the follow-up items.")
    error = refused(case, world, 15, 20, 5, entitled_to_vote=46, follow_up="建立长效机制", next_report_date=today())
    assert (error.field, error.message) == ("next_report_date", "The next report date must be after today.")
    assert not CaseItem.objects.filter(kind="follow_up").exists()


def test_a_next_report_date_without_follow_up_items_is_refused(issued_case, world):
    case = accepted(issued_case, world)
    error = refused(case, world, 15, 20, 5, entitled_to_vote=46, follow_up="  \n ", next_report_date=LATER)
    assert error.field == "follow_up"


def test_follow_up_is_bounded_in_lines_and_length(issued_case, world):
    case = accepted(issued_case, world)
    error = refused(case, world, 15, 20, 5, entitled_to_vote=46, next_report_date=LATER,
                    follow_up="\n".join(["事项"] * 51))
    assert (error.field, error.message) == ("follow_up", "At most 50 follow-up items, one per line.")
    error = refused(case, world, 15, 20, 5, entitled_to_vote=46, next_report_date=LATER,
                    follow_up="短\n" + "长" * 501)
    assert error.message == "Follow-up item 2 is longer than 500 characters."


def test_a_dissatisfied_vote_turns_follow_up_into_items_for_the_new_report(issued_case, world):
    case = accepted(issued_case, world)
    Meeting.objects.create(term=15, session=17, start_date=today() + timedelta(days=60))
    evaluation = evaluate(case, world, 5, 5, 30, entitled_to_vote=46, follow_up="逐条说明整改成效")
    item = CaseItem.objects.get(case=case, kind="follow_up")
    assert (item.status, item.next_report_date, item.evaluation) == (ItemStatus.NOT_STARTED, None, evaluation)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    reason = last_reason(case)
    assert f"The body reports again by {case.due_date.isoformat()}." in reason
    assert "To handle for the new report: No. 3 “逐条说明整改成效”." in reason


def test_a_dissatisfied_vote_takes_no_next_report_date(issued_case, world):
    case = accepted(issued_case, world)
    error = refused(case, world, 5, 5, 30, entitled_to_vote=46, follow_up="逐条说明整改成效", next_report_date=LATER,
                    redo_due_date=LATER)
    assert error.field == "next_report_date"


def test_the_cases_refusal_comes_before_the_follow_ups(issued_case, world):
    case = services.case_acknowledge(case=issued_case, actor=world.liaison, received_date=date(2020, 9, 5))
    with pytest.raises(DomainError) as exc:
        evaluate(case, world, 30, 5, 1, entitled_to_vote=46, follow_up="事项")  # no date: but the case is not ready
    assert exc.value.code == "wrong_status"


# ---------------------------------------------------------------- carrying an item over needs a next report date


def test_carrying_an_item_over_stores_its_next_report_date(received_case, world):
    item = received_case.items.first()
    services.item_carry_over(item=item, actor=world.staff, reason="需长期整改", next_report_date=LATER)
    item.refresh_from_db()
    assert (item.status, item.next_report_date, item.committee_note) == (ItemStatus.CARRIED_OVER, LATER, "需长期整改")
    entry = next(e for e in case_timeline(received_case) if e.reason == "需长期整改")
    assert ("next report due", "—", "2026-12-31") in [(c.field, c.old, c.new) for c in entry.changes]


@pytest.mark.parametrize(("when", "message"), [
    (None, "Give the date by which the body next reports on this item."),
    (date(2026, 6, 10), "The next report date must be after today."),
    (date(2026, 1, 1), "The next report date must be after today."),
])
def test_carrying_over_without_a_future_next_report_date_is_refused(received_case, world, when, message):
    item = received_case.items.first()
    with pytest.raises(InvalidInput) as exc:
        services.item_carry_over(item=item, actor=world.staff, reason="需长期整改", next_report_date=when)
    assert (exc.value.field, exc.value.message) == ("next_report_date", message)
    item.refresh_from_db()
    assert item.status == ItemStatus.NOT_STARTED


# ---------------------------------------------------------------- the meeting register keeps the numbers


def test_a_meeting_records_its_members_and_attendance_with_history(world):
    meeting = sc_meeting(world, members=45, present=38)
    assert (meeting.members, meeting.present, meeting.has_quorum) == (45, 38, True)
    meetings.meeting_update(meeting=meeting, actor=world.staff, present=20)
    meeting.refresh_from_db()
    assert meeting.has_quorum is False  # recorded as it was: its vote is refused, not its attendance
    assert meeting.history.first().present == 20


@pytest.mark.parametrize(("numbers", "field", "message"), [
    ({"members": 0}, "members", "The number of members (组成人员) must be from 1 to 999."),
    ({"members": 1000}, "members", "The number of members (组成人员) must be from 1 to 999."),
    ({"present": -1}, "present", "The number of members present must be from 0 to 999."),
    ({"members": 45, "present": 46}, "present", "More members present (46) than members (45)."),
])
def test_impossible_attendance_is_refused(world, numbers, field, message):
    with pytest.raises(InvalidInput) as exc:
        meetings.meeting_create(actor=world.staff, kind="sc_meeting", term=15, session=16, start_date=today(),
                                **numbers)
    assert (exc.value.field, exc.value.message) == (field, message)
    assert not Meeting.objects.exists()


def test_a_meeting_without_its_numbers_has_no_quorum_to_tell(world):
    meeting = meetings.meeting_create(actor=world.staff, kind="sc_meeting", term=15, session=16, start_date=today())
    assert meeting.has_quorum is None
