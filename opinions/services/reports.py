"""The body's reports (the draft for consultation, interim reports, the written report) and the committee's review
of them."""


from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from npc_tracker.errors import DomainError, InvalidInput

from .. import deadlines, rules, textdiff, workflow
from ..choices import ReportKind, ReviewOutcome
from ..models import Case, Report
from ..reminders.planning import replan_reminders
from ..selectors import consultation_outstanding
from ..tracking import locked_case, save_tracked
from ..workflow import Action, ItemAction
from .attachments import attach_files
from .common import local_date, moment, required_text
from .items import item_carry_over, item_verify
from .transitions import apply_due, check_action, transition

REPORT_ACTIONS = {
    ReportKind.CONSULTATION_DRAFT: Action.SUBMIT_CONSULTATION_DRAFT,
    ReportKind.INTERIM: Action.SUBMIT_INTERIM_REPORT,
    ReportKind.FINAL: Action.SUBMIT_REPORT,
}


@transaction.atomic
def report_submit(*, case: Case, actor, kind: str, title: str, text: str, files=(), at=None) -> Report:
    case = locked_case(case)
    if kind not in REPORT_ACTIONS:
        raise InvalidInput(_("Unknown report kind."), field="kind")
    title = required_text(title, "title", _("A report needs a title."))
    text = required_text(text, "text", _("A report needs its text."))
    if kind == ReportKind.FINAL:
        check_action(case, REPORT_ACTIONS[kind], actor)  # a step refused by the case's state says so first
        if consultation_outstanding(case):
            committee = case.consulted_committee.name if case.consulted_committee else _("the consulted committee")
            raise DomainError(_("The rule set requires the draft report to be commented on by %(committee)s first: "
                                "submit it as a draft for consultation.") % {"committee": committee},
                              code="consultation_required")
    now = moment(at)
    transition(case, REPORT_ACTIONS[kind], actor=actor, reason=_("Report submitted: %(title)s") % {"title": title},
               at=at, **({"submitted_date": case.submitted_date or timezone.localdate(now), "resubmit_due": None}
                         if kind == ReportKind.FINAL else {}))
    # A new version replaces any earlier one of the same kind still waiting for review.
    for earlier in case.reports.filter(kind=kind, review_outcome=ReviewOutcome.PENDING):
        earlier.review_outcome = ReviewOutcome.SUPERSEDED
        save_tracked(earlier, actor=actor, reason=_("Superseded by a new version"), at=at)
    if kind == ReportKind.INTERIM:
        _next_period(case, actor=actor, at=at)
    report = Report(case=case, kind=kind, title=title, text=text, submitted_by=actor, submitted_at=now)
    before, after = case.reports.before(report), case.reports.after(report)
    report.changes = _changes(before, text)
    save_tracked(report, actor=actor, reason=_("Report submitted"), at=at)
    if after is not None:
        # Recorded with an earlier date (`at`), it comes before a report already there, whose diff is now against
        # it. A derived column outside history, so a plain update.
        Report.objects.filter(pk=after.pk).update(changes=_changes(report, after.text))
    attach_files(files, case=case, actor=actor, report=report)
    return report


def _next_period(case: Case, *, actor, at=None) -> None:
    """定期报告: a report of the series moves the due date on to the next one (each in the case's history); the last
    one is the written report."""
    if not case.due_basis:
        return
    basis = deadlines.DueDate.from_dict(case.due_basis)
    if basis.period is None or basis.period[0] >= basis.period[1]:
        return
    following = basis.period[0] + 1
    due = rules.compute_due(str(basis.rule), case_kind=case.kind, anchor_event=basis.anchor_event,
                            anchor_date=basis.anchor_date, period=following)
    apply_due(case, due)
    save_tracked(case, actor=actor, at=at, reason=_("Periodic report %(k)d of %(n)d received: report %(next)d is due "
                                                    "by %(date)s") % {"k": following - 1, "n": basis.period[1],
                                                                      "next": following, "date": due.due})
    replan_reminders(case)


def _resubmission_due(case: Case, returned_on: date) -> date | None:
    """The rule set's days after the return, moved off a rest day; never earlier than the case's own due date (a
    return does not shorten the time the body has). None: the due date stands."""
    rule_set = rules.rule_set_for(case.kind)
    days = rule_set.resubmit_within_days if rule_set else 0
    if not days:
        return None
    try:
        due = rules.compute_due(f"days:{days}", case_kind=case.kind, anchor_event="return",
                                anchor_date=returned_on).due
    except DomainError:  # the calendar of the days ahead is not entered: a return must not wait for it
        due = returned_on + timedelta(days=days)
    return None if case.due_date is not None and due <= case.due_date else due


def _changes(previous: Report | None, text: str) -> dict | None:
    """Diffed once here, bounded (opinions.textdiff), so that showing the case never diffs (issue 11)."""
    return textdiff.diff(previous.text, text).to_json() if previous is not None else None


def _pending_report(case: Case, kind: str) -> Report:
    report = case.reports.filter(kind=kind, review_outcome=ReviewOutcome.PENDING).in_order().last()
    if report is None:
        raise DomainError(_("There is no report awaiting review."), code="no_pending_report")
    return report


def _review(report: Report, outcome: str, *, actor, comment: str, at=None) -> Report:
    report.review_outcome = outcome
    report.review_comment = comment
    report.reviewed_by = actor
    report.reviewed_at = moment(at)
    save_tracked(report, actor=actor, reason=comment or str(ReviewOutcome(outcome).label), at=at)
    return report


@transaction.atomic
def consultation_comment(*, case: Case, actor, comment: str, at=None) -> Report:
    """The consulted committee's comments on the draft report (征求意见); the body then revises and submits."""
    case = locked_case(case)
    comment = required_text(comment, "comment", _("Write the comments on the draft."))
    transition(case, Action.COMMENT_CONSULTATION, actor=actor, reason=comment, at=at)
    return _review(_pending_report(case, ReportKind.CONSULTATION_DRAFT), ReviewOutcome.COMMENTED, actor=actor,
                   comment=comment, at=at)


@transaction.atomic
def report_return(*, case: Case, actor, reason: str, at=None) -> Report:
    case = locked_case(case)
    reason = required_text(reason, "reason", _("Say why the report is returned."))
    resubmit_due = _resubmission_due(case, local_date(at))
    if resubmit_due is not None:
        reason = _("%(reason)s (revised report due by %(date)s)") % {"reason": reason, "date": resubmit_due}
    transition(case, Action.RETURN_REPORT, actor=actor, reason=reason, at=at, resubmit_due=resubmit_due)
    return _review(_pending_report(case, ReportKind.FINAL), ReviewOutcome.RETURNED, actor=actor, comment=reason,
                   at=at)


@transaction.atomic
def report_accept(*, case: Case, actor, comment: str = "", verify_done: bool = False, carry_over_reason: str = "",
                  next_report_date: date | None = None, at=None) -> Report:
    """审核通过. Every item is settled from here on (workflow.SETTLING_ACTIONS): what is still open may be settled in
    this same step — with `verify_done` the items the body marked done are verified (销号), with a
    `carry_over_reason` every other open item is carried over (持续整改) until `next_report_date` — each with its own
    history; an item left open refuses the acceptance (`items_open`) and nothing is changed."""
    case = locked_case(case)
    check_action(case, Action.ACCEPT_REPORT, actor, with_items=False)
    report = _pending_report(case, ReportKind.FINAL)
    carry_over_reason = (carry_over_reason or "").strip()
    for item in case.items.order_by("number"):
        step = workflow.settling_action(item.status, verify_done=bool(verify_done), carry_over=bool(carry_over_reason))
        if step is ItemAction.VERIFY:
            item_verify(item=item, actor=actor, note=_("Verified on accepting the report"), at=at)
        elif step is ItemAction.CARRY_OVER:
            item_carry_over(item=item, actor=actor, reason=carry_over_reason, next_report_date=next_report_date, at=at)
    transition(case, Action.ACCEPT_REPORT, actor=actor, reason=comment or _("Report accepted"), at=at)
    return _review(report, ReviewOutcome.ACCEPTED, actor=actor, comment=comment, at=at)
