"""The actions of a case and of its items, one registry read by the pages (a form and a button each) and by the
API (a POST endpoint each, its input derived from the same form): each entry names its form, the service it calls
and the workflow actions that allow it, so no page or endpoint can disagree with the workflow about who may do what.
"""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from npc_tracker.errors import DomainError

from . import forms as f
from . import selectors, services
from .choices import ExtensionDecision, ReportKind, ReviewOutcome
from .models import AuditProblem, Case, CaseItem
from .permissions import available_actions, item_roles
from .workflow import Action, ItemAction, available_item_actions


@dataclass(frozen=True)
class ActionSpec:
    slug: str
    label: Promise
    form: type[forms.Form]
    run: Callable  # (case or item, actor, cleaned_data) -> None
    allowed_by: frozenset  # workflow actions, any of which makes this one available
    done: Promise
    style: str = ""
    # Besides the workflow: what else the case (for an item's step, the item) must be for the step to be offered
    # and succeed now (nothing offered is refused).
    shown_if: Callable[[Case | CaseItem], bool] = lambda target: True
    # Said above the form, about this case or item (what the action will do); and the confirmation from what run
    # returned.
    intro: Callable[[Case | CaseItem], str] | None = None
    done_with: Callable[[object], str] | None = None
    description: str = ""  # what the step does, for the API's documentation of its endpoint (English, as the schema)
    initial: Callable[[Case | CaseItem], dict] | None = None  # what the page's form starts with on this case or item
    # Fits the page's form to this case or item (e.g. offers only the case's own files), bound or not.
    adapt: Callable[[forms.Form, Case | CaseItem], None] | None = None

    def done_message(self, result) -> str:
        return self.done_with(result) if self.done_with is not None else self.done


def _returned_version(case) -> dict:
    """After a return (退回) the revision starts from the version returned, not from an empty form."""
    latest = case.reports.filter(kind=ReportKind.FINAL).in_order().last()
    if latest is None or latest.review_outcome != ReviewOutcome.RETURNED:
        return {}
    return {"title": latest.title, "text": latest.text}


def _has_pending_extension(case) -> bool:
    return case.extensions.filter(decision=ExtensionDecision.PENDING).exists()


def _may_request_extension(case) -> bool:
    """An extension is asked for before the due date, and one at a time (services.extension_request)."""
    return (case.due_date is not None and selectors.today() <= case.due_date
            and not _has_pending_extension(case))


def _report(kind):
    return lambda case, actor, data: services.report_submit(case=case, actor=actor, kind=kind, **data)


def _issue_intro(case) -> str:
    if case.doc_number:
        return gettext("The 交办通知 goes out under the number the opinion carries: %(number)s.") % {
            "number": case.doc_number}
    return gettext("The 交办通知 is given the next document number (文号) and kept on the case.")


CASE_ACTIONS = [
    ActionSpec("request-signoff", _("Send for sign-off (送审)"), f.ConfirmForm,
               lambda case, actor, data: services.case_request_signoff(case=case, actor=actor),
               frozenset({Action.REQUEST_SIGNOFF}), _("Draft sent for sign-off."), "primary",
               description=("Sends the draft and its 交办通知 to whoever the rule set names to sign them off (审签): "
                            "the general office or leadership. A change to the draft afterwards sends it back to "
                            "the start.")),
    ActionSpec("sign-off", _("Sign off the draft (审签)"), f.SignOffForm,
               lambda case, actor, data: services.case_sign_off(case=case, actor=actor, **data),
               frozenset({Action.SIGN_OFF}), _("Sign-off recorded."), "primary",
               description=("Signs off the draft (`approve` = `yes`: it can be numbered and issued) or returns it "
                            "with a `comment` saying what must change. Nobody signs off a draft they sent for "
                            "sign-off themselves.")),
    ActionSpec("issue", _("Issue to the body (交办)"), f.IssueForm,
               lambda case, actor, data: services.case_issue(case=case, actor=actor, **data),
               frozenset({Action.ISSUE}), _("Case issued to the body."), "primary", intro=_issue_intro,
               description=("Issues the case (交办): the due date is computed, and the 交办通知 is numbered (文号, the "
                            "opinion's own number if it carries one) and kept among the case's documents. Where "
                            "the rule set asks for a sign-off (审签), only a signed-off draft is issued (409 "
                            "`signoff_required`).")),
    ActionSpec("acknowledge", _("Acknowledge receipt (签收)"), f.AcknowledgeForm,
               lambda case, actor, data: services.case_acknowledge(case=case, actor=actor, **data),
               frozenset({Action.ACKNOWLEDGE}), _("Receipt acknowledged."), "primary"),
    ActionSpec("submit-consultation-draft", _("Submit a draft for consultation (征求意见稿)"), f.ReportForm,
               _report(ReportKind.CONSULTATION_DRAFT), frozenset({Action.SUBMIT_CONSULTATION_DRAFT}),
               _("Draft sent to the committee for comments.")),
    ActionSpec("comment-consultation", _("Send comments on the draft"), f.CommentForm,
               lambda case, actor, data: services.consultation_comment(case=case, actor=actor, **data),
               frozenset({Action.COMMENT_CONSULTATION}), _("Comments sent to the body."), "primary"),
    ActionSpec("submit-report", _("Submit the written report"), f.ReportForm, _report(ReportKind.FINAL),
               frozenset({Action.SUBMIT_REPORT}), _("Report submitted to the committee."), "primary",
               initial=_returned_version),
    ActionSpec("submit-interim-report", _("Submit an interim report"), f.ReportForm, _report(ReportKind.INTERIM),
               frozenset({Action.SUBMIT_INTERIM_REPORT}), _("Interim report submitted.")),
    ActionSpec("accept-report", _("Accept the report"), f.AcceptReportForm,
               lambda case, actor, data: services.report_accept(case=case, actor=actor, **data),
               frozenset({Action.ACCEPT_REPORT}), _("Report accepted."), "primary",
               description=("Accepts the body's final report (审核通过). From then on every item is settled: "
                             "verified (销号) or carried over (持续整改). Items still open can be settled in this "
                             "step: `verify_done` = `yes` verifies the items the body marked done, and a "
                             "`carry_over_reason` carries over every other open item; an item left open refuses the "
                             "acceptance with 409 `items_open` and changes nothing (verify or carry over items one "
                             "by one first, or return the report).")),
    ActionSpec("return-report", _("Return the report for revision"), f.ReasonForm,
               lambda case, actor, data: services.report_return(case=case, actor=actor, **data),
               frozenset({Action.RETURN_REPORT}), _("Report returned to the body.")),
    ActionSpec("evaluate", _("Record the satisfaction evaluation (满意度测评)"), f.EvaluationForm,
               lambda case, actor, data: services.evaluation_record(case=case, actor=actor, **data),
               frozenset({Action.EVALUATE_SATISFIED, Action.EVALUATE_BASICALLY_SATISFIED,
                          Action.EVALUATE_DISSATISFIED}), _("Evaluation recorded."), "primary",
               intro=services.evaluation_outlook, done_with=services.evaluation_outcome,
               description=("Records the Standing Committee's satisfaction vote (满意度测评) on the accepted report; "
                            "the result follows from the counts, on the rule set's base (votes cast, members "
                            "present or all members) at a meeting with a quorum. 满意 (satisfied) or 基本满意 "
                            "(basically satisfied) closes the case (办结): its status becomes `closed`, and no "
                            "separate `close` step follows. 不满意 (dissatisfied) sends it back to the body "
                            "(重新办理), status `in_progress`, due at the next Standing Committee session or on "
                            "`redo_due_date`.")),
    ActionSpec("close", _("Close the case (办结)"), f.OptionalCommentForm,
               lambda case, actor, data: services.case_close(case=case, actor=actor, reason=data["comment"]),
               frozenset({Action.CLOSE}), _("Case closed."),
               description=("Closes an accepted case without a satisfaction vote (e.g. when the rule set does not "
                             "call for one). A 满意 or 基本满意 evaluation closes the case by itself.")),
    ActionSpec("request-extension", _("Request an extension"), f.ExtensionRequestForm,
               lambda case, actor, data: services.extension_request(case=case, actor=actor, **data),
               frozenset({Action.REQUEST_EXTENSION}), _("Extension requested."),
               shown_if=_may_request_extension),
    ActionSpec("decide-extension", _("Decide the extension request"), f.ExtensionDecisionForm,
               lambda case, actor, data: services.extension_decide_pending(case=case, actor=actor, **data),
               frozenset({Action.DECIDE_EXTENSION}), _("Extension decided."), "primary",
               shown_if=_has_pending_extension),
    # What goes out and how is the public app's (public.apps replaces these two runs, see replace_case_action).
    ActionSpec("publish", _("Publish (向社会公布)"), f.ConfirmForm,
               lambda case, actor, data: services.case_publish(case=case, actor=actor),
               frozenset({Action.PUBLISH}), _("Case published."), shown_if=lambda case: not case.is_public),
    ActionSpec("unpublish", _("Take off the public site"), f.ReasonForm,
               lambda case, actor, data: services.case_unpublish(case=case, actor=actor, **data),
               frozenset({Action.UNPUBLISH}), _("Case taken off the public site."), "danger",
               shown_if=lambda case: case.is_public,
               description="Takes a published case off the public site at once, with a reason (kept on the case's "
                           "history); it can be published again later."),
    ActionSpec("reopen", _("Reopen"), f.ReasonForm,
               lambda case, actor, data: services.case_reopen(case=case, actor=actor, **data),
               frozenset({Action.REOPEN}), _("Case reopened.")),
    ActionSpec("further-supervision", _("Decide further supervision (专题询问 / 质询 / 跟踪检查)"),
               f.FurtherSupervisionForm,
               lambda case, actor, data: services.case_decide_further_supervision(case=case, actor=actor, **data),
               frozenset({Action.PROPOSE_ESCALATION}), _("Decision recorded on the case.")),
    ActionSpec("press", _("Send a reminder notice (催办通知)"), f.PressForm,
               lambda case, actor, data: services.case_press(case=case, actor=actor, **data),
               frozenset({Action.PRESS}), _("Reminder notice sent."),
               done_with=lambda document: gettext("Reminder notice %(number)s sent to the body.") % {
                   "number": document.number},
               description=("Sends a numbered 催办通知 now, beside the reminder ladder's own: to the body's liaisons "
                            "through their channels and to its leader by e-mail, kept among the case's documents "
                            "and shown on the timeline. Possible while the body owes its report.")),
    ActionSpec("supervision-letter", _("Send a supervision letter (督办函)"), f.PressForm,
               lambda case, actor, data: services.case_send_supervision_letter(case=case, actor=actor, **data),
               frozenset({Action.PRESS}), _("Supervision letter sent."), shown_if=lambda case: bool(case.escalated_on),
               done_with=lambda document: gettext("Supervision letter %(number)s sent to the body.") % {
                   "number": document.number},
               description=("Sends the numbered 督办函, the stronger letter after the case was circulated as overdue "
                            "(通报; 409 `wrong_status` before): to the body's liaisons and its leader, kept among "
                            "the case's documents.")),
    ActionSpec("withdraw", _("Withdraw the draft"), f.ReasonForm,
               lambda case, actor, data: services.case_withdraw(case=case, actor=actor, **data),
               frozenset({Action.WITHDRAW}), _("Draft withdrawn."), "danger"),
]
CASE_ACTIONS_BY_SLUG = {spec.slug: spec for spec in CASE_ACTIONS}


def replace_case_action(slug: str, **changes) -> ActionSpec:
    """An app above opinions takes over how a step is done (its form, what it runs, what it says), keeping its slug,
    its place and the workflow actions that allow it, so the page's button and the API's endpoint stay the same:
    the public app does publishing so. Call it from that app's AppConfig.ready(): the API builds its endpoints from
    this registry when its module is first imported, after every app is ready."""
    index = next(i for i, spec in enumerate(CASE_ACTIONS) if spec.slug == slug)
    spec = CASE_ACTIONS[index] = dataclasses.replace(CASE_ACTIONS[index], **changes)
    CASE_ACTIONS_BY_SLUG[slug] = spec
    return spec


def _reporting(service):
    def run(item, actor, data):
        service(item=item, actor=actor, progress_note=data["progress_note"], measures=data["measures"] or None,
                rectified_amount=data.get("rectified_amount"), files=data["files"])
    return run


AUDIT_WAYS = f.AuditReportForm.WAYS
AUDIT_COUNTS = ("rules_made", "people_dealt_with", "matters_referred")


def _is_audit_problem(item) -> bool:
    """An item of the audit-problem ledger (opinions.models.AuditProblem): its unit reports by way of rectification
    instead of the plain progress step, so the ways always add up to the amount rectified."""
    return hasattr(item, "audit")


def _not_audit_problem(item) -> bool:
    return not _is_audit_problem(item)


def _audit_problem(item) -> AuditProblem:
    problem = AuditProblem.objects.filter(pk=item.pk).first()
    if problem is None:
        raise DomainError(gettext("This item is not a problem of the audit ledger."), code="wrong_kind")
    return problem


def _report_audit(item, actor, data):
    """Figures left out (None) keep the ones recorded: on the page the form starts with them filled in."""
    services.audit_problem_report(
        problem=_audit_problem(item), actor=actor, progress_note=data["progress_note"],
        ways={name: data[name] for name in AUDIT_WAYS if data.get(name) is not None},
        **{name: data.get(name) for name in AUDIT_COUNTS},
        files=data.get("files") or ())


def _audit_figures(item) -> dict:
    problem = item.audit
    return {name: getattr(problem, name) for name in (*AUDIT_WAYS, *AUDIT_COUNTS)}


def _audit_intro(item) -> str:
    if item.amount is None:
        return gettext("No amount is involved in this problem: report the progress, the rules made and the "
                           "accountability.")
    return gettext("Amounts are totals to date, in 10,000 yuan; together they are the amount rectified, at most "
                       "the amount involved (%(amount)s). An empty figure keeps the one recorded.") % {
        "amount": item.amount}


ITEM_ACTIONS = [
    ActionSpec("report-progress", _("Report progress"), f.ProgressForm, _reporting(services.item_report_progress),
               frozenset({ItemAction.REPORT_PROGRESS}), _("Progress recorded."), "primary",
               shown_if=_not_audit_problem),
    ActionSpec("report-audit", _("Report rectification (money by way, rules, accountability)"), f.AuditReportForm,
               _report_audit, frozenset({ItemAction.REPORT_PROGRESS, ItemAction.REPORT_FOLLOW_UP}),
               _("Rectification reported."), "primary", shown_if=_is_audit_problem, intro=_audit_intro,
               initial=_audit_figures,
               description="An audit problem's unit reports on it (the same as `POST /audit-problems/{id}/report/`): "
                           "progress, the money rectified so far by way of rectification (totals to date, 万元; "
                           "their sum becomes the item's `rectified_amount` and may not exceed its `amount`), rules "
                           "made and accountability. A figure left out keeps the one recorded. It is the item's "
                           "`report-progress` step, or `report-follow-up` on a carried-over item. 409 "
                           "`wrong_kind` on an item that is not in the audit ledger."),
    ActionSpec("mark-done", _("Mark done for verification"), f.MarkDoneForm,
               lambda item, actor, data: services.item_mark_done(item=item, actor=actor, **data),
               frozenset({ItemAction.MARK_DONE}), _("Item marked done; the committee will verify it.")),
    ActionSpec("verify", _("Verify and close (销号)"), f.ItemNoteForm,
               lambda item, actor, data: services.item_verify(item=item, actor=actor, **data),
               frozenset({ItemAction.VERIFY}), _("Item verified and closed."), "primary"),
    ActionSpec("send-back", _("Send back"), f.ItemReasonForm,
               lambda item, actor, data: services.item_send_back(item=item, actor=actor, **data),
               frozenset({ItemAction.SEND_BACK}), _("Item sent back to the body.")),
    ActionSpec("carry-over", _("Carry over (持续整改)"), f.CarryOverForm,
               lambda item, actor, data: services.item_carry_over(item=item, actor=actor, **data),
               frozenset({ItemAction.CARRY_OVER}), _("Item carried over.")),
    ActionSpec("report-follow-up", _("Report on the carried-over item"), f.ProgressForm,
               _reporting(services.item_report_follow_up), frozenset({ItemAction.REPORT_FOLLOW_UP}),
               _("Follow-up report recorded; the committee will verify the item or set the next report date."),
               "primary", shown_if=_not_audit_problem,
               description="持续整改: reports on a carried-over item, also after the case is closed. It answers the "
                           "item's `next_report_date` (cleared; its reminders stop); the staff then `verify` the "
                           "item (销号) or `carry-over` it again with the next date."),
]
ITEM_ACTIONS_BY_SLUG = {spec.slug: spec for spec in ITEM_ACTIONS}


def case_action_specs_for(user, case) -> list[ActionSpec]:
    """The case's actions this user may take now, in the page's order."""
    allowed = set(available_actions(user, case))
    return [spec for spec in CASE_ACTIONS if spec.allowed_by & allowed and spec.shown_if(case)]


def item_action_specs_for(user, item, case) -> list[ActionSpec]:
    allowed = set(available_item_actions(item.status, case.status, item_roles(user, item)))
    return [spec for spec in ITEM_ACTIONS if spec.allowed_by & allowed and spec.shown_if(item)]
