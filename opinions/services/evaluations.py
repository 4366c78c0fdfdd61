"""满意度测评: the Standing Committee's satisfaction vote on a report, which closes the case or sends it back."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from npc_tracker.errors import DomainError, InvalidInput

from .. import rules, voting
from ..models import Case, Evaluation, Meeting
from ..tracking import locked_case, save_tracked
from ..workflow import Action
from .common import local_date, moment
from .transitions import transition

EVALUATION_ACTIONS = {
    voting.SATISFIED: Action.EVALUATE_SATISFIED,
    voting.BASICALLY_SATISFIED: Action.EVALUATE_BASICALLY_SATISFIED,
    voting.DISSATISFIED: Action.EVALUATE_DISSATISFIED,
}


@transaction.atomic
def evaluation_record(*, case: Case, actor, entitled_to_vote: int, satisfied: int, basically_satisfied: int,
                      dissatisfied: int, meeting: Meeting | None = None, follow_up: str = "",
                      redo_due_date: date | None = None, at=None) -> Evaluation:
    """满意度测评. 满意/基本满意 close the case; 不满意 sends it back with a new deadline: the next session, or the
    date given when no next session is scheduled yet (domain.md §5, §8)."""
    case = locked_case(case)
    try:
        result = voting.evaluation_result(entitled=entitled_to_vote, satisfied=satisfied,
                                          basically_satisfied=basically_satisfied, dissatisfied=dissatisfied)
    except voting.InvalidVotes as exc:
        raise InvalidInput(_("The vote counts are not valid: %(error)s") % {"error": exc}, field="satisfied") from exc
    action = EVALUATION_ACTIONS[result]
    today = local_date(at)
    changes = {}
    changes = _redo_deadline(case, today, redo_due_date) if result == voting.DISSATISFIED else {"closed_date": today}
    label = {voting.SATISFIED: _("satisfied"), voting.BASICALLY_SATISFIED: _("basically satisfied"),
             voting.DISSATISFIED: _("dissatisfied")}[result]
    transition(case, action, actor=actor, at=at,
               reason=_("Evaluation: %(result)s (%(s)d/%(b)d/%(d)d)") % {
                   "result": label, "s": satisfied, "b": basically_satisfied, "d": dissatisfied},
               **changes)
    evaluation = Evaluation(case=case, meeting=meeting, entitled_to_vote=entitled_to_vote, satisfied=satisfied,
                            basically_satisfied=basically_satisfied, dissatisfied=dissatisfied, result=result,
                            follow_up=follow_up.strip(), recorded_by=actor, recorded_at=moment(at))
    save_tracked(evaluation, actor=actor, reason=_("Evaluation recorded"), at=at)
    return evaluation


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
    return {"due_date": due.due, "due_basis": due.to_dict(), "submitted_date": case.submitted_date}
