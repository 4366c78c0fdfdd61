"""满意度测评: the Standing Committee's satisfaction vote on a report, which closes the case or sends it back."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from npc_tracker.errors import DomainError, InvalidInput

from .. import rules, voting, workflow
from ..choices import VOTE_BASE_PHRASE, ItemKind, VoteBase
from ..errors import from_transition_refused
from ..models import Case, CaseItem, Evaluation, Meeting
from ..permissions import item_roles
from ..tracking import locked_case, save_tracked
from ..workflow import Action, ItemAction, ItemStatus
from .common import local_date, moment
from .documents import evaluation_notice_keep
from .transitions import check_action, transition

EVALUATION_ACTIONS = {
    voting.SATISFIED: Action.EVALUATE_SATISFIED,
    voting.BASICALLY_SATISFIED: Action.EVALUATE_BASICALLY_SATISFIED,
    voting.DISSATISFIED: Action.EVALUATE_DISSATISFIED,
}
CLOSING_RESULTS = {voting.SATISFIED, voting.BASICALLY_SATISFIED}
# The follow-up a vote asks for becomes items of the case, one per line: bounded like the draft's items.
FOLLOW_UP_LIMIT = 50
HEADING_LIMIT = CaseItem._meta.get_field("heading").max_length
# How many carried-over items a message names before it only counts them.
NAMED_ITEMS = 10


def vote_base_of(case: Case) -> VoteBase:
    rule_set = rules.rule_set_for(case.kind)
    return VoteBase(rule_set.vote_base) if rule_set else VoteBase.VOTES_CAST


# ---------------------------------------------------------------- refusals, in the user's language


def _vote_refusal(exc: voting.InvalidVotes) -> InvalidInput:
    """The pure rule's refusal as a message beside the field to correct, with an API code saying which rule."""
    messages = {
        voting.NOT_WHOLE_NUMBERS: (_("The vote counts must be whole numbers, zero or more."), "satisfied"),
        voting.NO_MEMBERS: (_("The meeting records no members: correct its number of members (组成人员)."),
                            "meeting"),
        voting.MORE_PRESENT_THAN_MEMBERS: (
            _("The meeting records more members present (%(present)d) than members (%(members)d): correct it in "
              "the meeting register."), "meeting"),
        voting.NO_QUORUM: (
            _("No quorum: %(present)d of the %(members)d members were present, not more than half, so the meeting "
              "cannot take a satisfaction vote."), "meeting"),
        voting.BASE_NEEDS_PRESENT: (
            _("The rule set counts the result against the members present: choose the meeting, with its number of "
              "members present recorded."), "meeting"),
        voting.BASE_NEEDS_MEMBERS: (
            _("The rule set counts the result against all members (全体组成人员): choose the meeting, with its "
              "number of members recorded."), "meeting"),
        voting.MORE_ENTITLED_THAN_PRESENT: (
            _("More entitled to vote (%(entitled)d) than members present at the meeting (%(present)d)."),
            "entitled_to_vote"),
        voting.MORE_ENTITLED_THAN_MEMBERS: (
            _("More entitled to vote (%(entitled)d) than members (%(members)d)."), "entitled_to_vote"),
        voting.NO_VOTES: (_("No votes were cast: enter the satisfied, basically satisfied and dissatisfied votes."),
                          "satisfied"),
        voting.MORE_VOTES_THAN_ENTITLED: (
            _("The vote counts are not valid: %(cast)d votes cast, more than the %(entitled)d entitled to "
              "vote."), "satisfied"),
    }
    message, field = messages[exc.code]
    message = message % exc.numbers if exc.numbers else message
    code = {voting.NO_QUORUM: "no_quorum", voting.BASE_NEEDS_PRESENT: "attendance_missing",
            voting.BASE_NEEDS_MEMBERS: "attendance_missing"}.get(exc.code, "invalid_votes")
    return InvalidInput(message, field=field, code=code)


def _attendance(meeting: Meeting | None) -> tuple[int | None, int | None]:
    """The meeting's numbers of members and of those present. A meeting that lacks them cannot show its quorum."""
    if meeting is None:
        return None, None
    if meeting.members is None or meeting.present is None:
        raise InvalidInput(
            _("%(meeting)s does not record its members and the members present, so its quorum cannot be checked: "
              "enter them in the meeting register first.") % {"meeting": meeting.title()},
            field="meeting", code="attendance_missing")
    return meeting.members, meeting.present


def _follow_up_lines(text: str) -> list[str]:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > FOLLOW_UP_LIMIT:
        raise InvalidInput(_("At most %(limit)d follow-up items, one per line.") % {"limit": FOLLOW_UP_LIMIT},
                           field="follow_up")
    for number, line in enumerate(lines, start=1):
        if len(line) > HEADING_LIMIT:
            raise InvalidInput(_("Follow-up item %(number)d is longer than %(limit)d characters.")
                               % {"number": number, "limit": HEADING_LIMIT}, field="follow_up")
    return lines


def _check_next_report_date(result: str, lines: list[str], next_report_date: date | None, today: date) -> None:
    if result not in CLOSING_RESULTS:
        if next_report_date is not None:
            raise InvalidInput(_("A dissatisfied vote sends the whole case back: its follow-up items are reported on "
                                 "with the new report, so leave the next report date empty."),
                               field="next_report_date")
        return
    if lines and next_report_date is None:
        raise InvalidInput(_("Give the date of the next report on the follow-up items."), field="next_report_date")
    if next_report_date is not None and not lines:
        raise InvalidInput(_("A next report date needs follow-up items: list them, one per line."),
                           field="follow_up")
    if next_report_date is not None and next_report_date <= today:
        raise InvalidInput(_("The next report date must be after today."), field="next_report_date")


# ---------------------------------------------------------------- the vote


@transaction.atomic
def evaluation_record(*, case: Case, actor, satisfied: int, basically_satisfied: int, dissatisfied: int,
                      entitled_to_vote: int | None = None, meeting: Meeting | None = None, follow_up: str = "",
                      next_report_date: date | None = None, redo_due_date: date | None = None,
                      at=None) -> Evaluation:
    """满意度测评 (domain.md §5, §8). The result is counted against the rule set's base (votes cast, members present
    or all members), at a meeting with a quorum. 满意/基本满意 close the case; the follow-up the vote asks for (one
    line each) becomes items carried over (持续整改) with their next report date. 不满意 sends the case back with a new
    deadline — the next session, or the date given when no next session is scheduled yet — and its follow-up lines
    become items to handle in the new report. `entitled_to_vote` defaults to the meeting's members present."""
    case = locked_case(case)
    today = local_date(at)
    base = vote_base_of(case)
    members, present = _attendance(meeting)
    if entitled_to_vote is None:
        entitled_to_vote = present
    if entitled_to_vote is None:
        raise InvalidInput(_("Enter the number entitled to vote, or choose the meeting, with its members present "
                             "recorded."), field="entitled_to_vote")
    try:
        result = voting.evaluation_result(entitled=entitled_to_vote, satisfied=satisfied,
                                          basically_satisfied=basically_satisfied, dissatisfied=dissatisfied,
                                          base=base, members=members, present=present)
    except voting.InvalidVotes as exc:
        raise _vote_refusal(exc) from exc
    action = EVALUATION_ACTIONS[result]
    check_action(case, action, actor)  # the case's refusal (status, role, open items) before the follow-up's
    lines = _follow_up_lines(follow_up)
    _check_next_report_date(result, lines, next_report_date, today)
    changes = _redo_deadline(case, today, redo_due_date) if result == voting.DISSATISFIED else {"closed_date": today}

    evaluation = Evaluation(case=case, meeting=meeting, entitled_to_vote=entitled_to_vote, satisfied=satisfied,
                            basically_satisfied=basically_satisfied, dissatisfied=dissatisfied, result=result,
                            vote_base=base, members=members, present=present, follow_up="\n".join(lines),
                            recorded_by=actor, recorded_at=moment(at))
    save_tracked(evaluation, actor=actor, reason=_("Evaluation recorded"), at=at)
    _add_follow_up_items(case, evaluation, lines, carry_over=result in CLOSING_RESULTS,
                         next_report_date=next_report_date, actor=actor, at=at)
    reason = evaluation_outcome(evaluation, due_date=changes.get("due_date"))
    transition(case, action, actor=actor, at=at, reason=reason, **changes)
    evaluation_notice_keep(evaluation, actor=actor, at=at)
    return evaluation


def _add_follow_up_items(case: Case, evaluation: Evaluation, lines: list[str], *, carry_over: bool,
                         next_report_date: date | None, actor, at) -> None:
    """Each line an item of the case, numbered after the last. Closing the case carries them over through the item
    workflow (the case is still accepted here); a dissatisfied vote leaves them to be handled."""
    number = max(case.items.values_list("number", flat=True), default=0)
    for line in lines:
        number += 1
        item = CaseItem(case=case, number=number, kind=ItemKind.FOLLOW_UP, heading=line, evaluation=evaluation)
        reason = _("Follow-up required by the satisfaction evaluation")
        if carry_over:
            try:
                item.status = workflow.check_item(ItemAction.CARRY_OVER, ItemStatus.NOT_STARTED, case.status,
                                                  item_roles(actor, item))
            except workflow.TransitionRefused as exc:
                raise from_transition_refused(exc) from exc
            item.next_report_date = next_report_date
            reason = _("Follow-up required by the satisfaction evaluation, carried over (持续整改)")
        save_tracked(item, actor=actor, reason=reason, at=at)


def _redo_deadline(case: Case, today: date, redo_due_date: date | None) -> dict:
    if redo_due_date is not None:
        if redo_due_date <= today:
            raise InvalidInput(_("The new due date must be in the future."), field="redo_due_date")
        due = rules.compute_due(f"date:{redo_due_date.isoformat()}", case_kind=case.kind, anchor_event="issue",
                                anchor_date=today)
    else:
        try:
            due = rules.compute_due("next_session", case_kind=case.kind, anchor_event="issue", anchor_date=today)
        except DomainError as exc:
            raise InvalidInput(_("No next Standing Committee session is registered: give the new due date."),
                               field="redo_due_date", code=exc.code) from exc
    # The original due date stays for statistics; the redo deadline becomes the working one.
    return {"due_date": due.due, "due_basis": due.to_dict(), "submitted_date": case.submitted_date,
            "first_cycle_due_date": case.first_cycle_due_date or case.due_date}


# ---------------------------------------------------------------- what the vote does, said before and after


def _named(items) -> str:
    """Items as a message names them: number, heading and next report date, the first NAMED_ITEMS of them."""
    items = list(items)
    named = []
    for item in items[:NAMED_ITEMS]:
        heading = item.heading if len(item.heading) <= 40 else item.heading[:40] + "…"
        if item.next_report_date:
            named.append(_("No. %(number)d “%(heading)s” (next report by %(date)s)") % {
                "number": item.number, "heading": heading, "date": item.next_report_date.isoformat()})
        else:
            named.append(_("No. %(number)d “%(heading)s”") % {"number": item.number, "heading": heading})
    text = _("; ").join(named)
    if len(items) > NAMED_ITEMS:
        text += ngettext(" (%(count)d item in all)", " (%(count)d items in all)", len(items)) % {"count": len(items)}
    return text


def carried_over_items(case: Case):
    return case.items.filter(status=ItemStatus.CARRIED_OVER).order_by("number")


def evaluation_outcome(evaluation: Evaluation, *, due_date: date | None = None) -> str:
    """What the vote did, for the case's timeline and the page's confirmation: the result and how it was counted;
    the case closed and the items carried over, or the case sent back with its new due date (`due_date`, by default
    the case's) and the items added for the new report."""
    case = evaluation.case
    parts = [_("Satisfaction evaluation: %(result)s (satisfied %(s)d, basically satisfied %(b)d, dissatisfied "
               "%(d)d; more than half of %(base)s, %(count)s).") % {
        "result": evaluation.get_result_display(), "s": evaluation.satisfied, "b": evaluation.basically_satisfied,
        "d": evaluation.dissatisfied, "base": VOTE_BASE_PHRASE[evaluation.vote_base],
        "count": evaluation.base_count}]
    if evaluation.result in CLOSING_RESULTS:
        parts.append(_("The case is closed (办结)."))
        carried = carried_over_items(case)
        if carried:
            parts.append(_("Carried over (持续整改) and still followed: %(items)s.") % {"items": _named(carried)})
    else:
        due_date = due_date or case.due_date
        if due_date is not None:
            parts.append(_("The body reports again by %(date)s.") % {"date": due_date.isoformat()})
        added = evaluation.follow_up_items.order_by("number")
        if added:
            parts.append(_("To handle for the new report: %(items)s.") % {"items": _named(added)})
    return " ".join(str(part) for part in parts)


def evaluation_outlook(case: Case) -> str:
    """What a vote will do, said before it is recorded (the evaluation form's introduction)."""
    parts = [_("A satisfied or basically satisfied result closes the case (办结); a dissatisfied one sends it back "
               "to the body with a new due date."),
             _("The result counts more than half of %(base)s.") % {"base": VOTE_BASE_PHRASE[vote_base_of(case)]}]
    carried = carried_over_items(case)
    if carried:
        parts.append(_("Carried over (持续整改) and still followed: %(items)s.")
                     % {"items": _named(carried)})
    return " ".join(str(part) for part in parts)
