"""Choices with translated labels. Workflow values come from the pure workflow module, labels live here."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .voting import VoteBase as PureVoteBase
from .workflow import Action, CaseStatus, ExtensionApprover, ItemAction, ItemStatus

CASE_STATUS_LABELS = {
    CaseStatus.DRAFT: _("Draft"),
    CaseStatus.ISSUED: _("Issued"),
    CaseStatus.IN_PROGRESS: _("In progress"),
    CaseStatus.IN_CONSULTATION: _("In consultation"),
    CaseStatus.SUBMITTED: _("Report submitted"),
    CaseStatus.ACCEPTED: _("Report accepted"),
    CaseStatus.CLOSED: _("Closed"),
    CaseStatus.WITHDRAWN: _("Withdrawn"),
}
CASE_STATUS_CHOICES = [(status.value, CASE_STATUS_LABELS[status]) for status in CaseStatus]

ITEM_STATUS_LABELS = {
    ItemStatus.NOT_STARTED: _("Not started"),
    ItemStatus.IN_PROGRESS: _("In progress"),
    ItemStatus.DONE: _("Done, awaiting verification"),
    ItemStatus.CLOSED: _("Verified and closed"),
    ItemStatus.CARRIED_OVER: _("Carried over"),
}
ITEM_STATUS_CHOICES = [(status.value, ITEM_STATUS_LABELS[status]) for status in ItemStatus]


class CaseKind(models.TextChoices):
    SPECIAL_WORK_REPORT = "special_work_report", _("Opinion on a special work report")
    PLAN_EXECUTION = "plan_execution", _("Opinion on plan execution")
    BUDGET_EXECUTION = "budget_execution", _("Opinion on budget, final accounts or audit work report")
    LAW_ENFORCEMENT_INSPECTION = "law_enforcement_inspection", _("Opinion on a law-enforcement inspection")
    SPECIAL_INQUIRY = "special_inquiry", _("Special inquiry follow-up")
    WORK_APPRAISAL = "work_appraisal", _("Work appraisal opinion")
    AUDIT_RECTIFICATION = "audit_rectification", _("Audit rectification")
    MOTION = "motion", _("Deputies' motion")
    DECISION = "decision", _("Resolution or decision execution")


class MeetingKind(models.TextChoices):
    SC_MEETING = "sc_meeting", _("Standing Committee meeting")
    COUNCIL_OF_CHAIRPERSONS = "council", _("Council of Chairpersons meeting")


class ReportType(models.TextChoices):
    WRITTEN_REPORT = "written_report", _("Written report")
    RECTIFICATION_REPORT = "rectification_report", _("Written rectification report")
    HANDLING_REPORT = "handling_report", _("Report on study and handling")
    SPECIAL_REPORT = "special_report", _("Special report")


class ReportKind(models.TextChoices):
    CONSULTATION_DRAFT = "consultation_draft", _("Draft for consultation")
    INTERIM = "interim", _("Interim report")
    FINAL = "final", _("Final report")


class ReviewOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    COMMENTED = "commented", _("Commented")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted")
    SUPERSEDED = "superseded", _("Superseded")


class ItemKind(models.TextChoices):
    OPINION = "opinion", _("Opinion point")
    PROBLEM = "problem", _("Problem found")
    RECOMMENDATION = "recommendation", _("Recommendation")
    AUDIT_PROBLEM = "audit_problem", _("Audit problem")
    REQUIREMENT = "requirement", _("Meeting requirement")
    # What a 基本满意 (or 满意) vote still asks of the body: carried over (持续整改) with a next report date.
    FOLLOW_UP = "follow_up", _("Follow-up after the evaluation")


class RectificationType(models.TextChoices):
    """How an audit problem is to be rectified (审计整改分类)."""

    IMMEDIATE = "immediate", _("Rectify at once (立行立改)")
    PHASED = "phased", _("Rectify in stages (分阶段整改)")
    CONTINUING = "continuing", _("Continuing rectification (持续整改)")


# The ways money found by the audit is rectified, in the order the December report lists them: the model's field and
# its label. Their sum is the problem's amount rectified.
RECTIFIED_BY_WAY = (
    ("paid_to_treasury", _("Paid to the treasury (上缴财政)")),
    ("disbursed", _("Disbursed (拨付)")),
    ("accounts_adjusted", _("Accounts adjusted (调整账目)")),
    ("returned_to_source", _("Returned to the original funding channel (归还原资金渠道)")),
    ("losses_recovered", _("Losses recovered (挽回损失)")),
)


class ExtensionDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class EvaluationResult(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class VoteBase(models.TextChoices):
    """What a satisfaction vote's "more than half" is counted against (opinions.voting)."""

    VOTES_CAST = PureVoteBase.VOTES_CAST.value, _("Votes cast")
    MEMBERS_PRESENT = PureVoteBase.MEMBERS_PRESENT.value, _("Members present at the meeting")
    ALL_MEMBERS = PureVoteBase.ALL_MEMBERS.value, _("All members (全体组成人员)")


class AnchorEvent(models.TextChoices):
    ISSUE = "issue", _("Issue date")
    RECEIPT = "receipt", _("Receipt date")
    MEETING = "meeting", _("End of the meeting")


class ExtensionApproverChoice(models.TextChoices):
    LEADER = "leader", _("Council of Chairpersons")
    STAFF = "staff", _("The supervising committee's office")


class SignoffByChoice(models.TextChoices):
    """Who signs off (审签) a draft before it is numbered and issued (workflow.SignoffBy)."""

    OFFICE = "office", _("The general office (its director)")
    LEADER = "leader", _("Leadership (secretary-general or a member of the Council of Chairpersons)")
    NONE = "none", _("Nobody: issued without a sign-off")


class SignoffStateChoice(models.TextChoices):
    NOT_REQUESTED = "not_requested", _("Not sent for sign-off")
    REQUESTED = "requested", _("Awaiting sign-off")
    SIGNED = "signed", _("Signed off")


class DocumentKind(models.TextChoices):
    """What the office sends out on a case, each from its own replaceable template (issue 16)."""

    ASSIGNMENT = "assignment", _("Assignment notice (交办通知)")
    PRESSING = "pressing", _("Reminder notice (催办通知)")
    SUPERVISION = "supervision", _("Supervision letter (督办函)")
    EXTENSION_REPLY = "extension_reply", _("Reply on an extension (延期批复)")
    EVALUATION_RESULT = "evaluation_result", _("Notice of the evaluation result (满意度测评结果通知)")


class FurtherSupervision(models.TextChoices):
    """What leadership may decide after 通报 (domain.md §7)."""

    SPECIAL_INQUIRY = "special_inquiry", _("Special inquiry (专题询问)")
    INTERPELLATION = "interpellation", _("Interpellation (质询)")
    FOLLOW_UP_INSPECTION = "follow_up_inspection", _("Follow-up inspection (跟踪检查)")


class CalendarSource(models.TextChoices):
    PACKAGE = "chinese-calendar", _("chinese-calendar package")
    ADMIN = "admin", _("Entered by an administrator")
    DEMO = "demo", _("Demo only: weekends, no holidays")
    PROVISIONAL = "provisional", _("Provisional: weekends only, until the State Council publishes the holidays")


# Weekends-only years: they count, and every due date that reads one of their days says 暂定 (domain.md §6).
PROVISIONAL_CALENDAR_SOURCES = (CalendarSource.DEMO, CalendarSource.PROVISIONAL)


ACTION_LABELS = {
    Action.EDIT_DRAFT: _("Edit draft"),
    Action.ISSUE: _("Issue"),
    Action.WITHDRAW: _("Withdraw"),
    Action.ACKNOWLEDGE: _("Acknowledge receipt"),
    Action.SUBMIT_CONSULTATION_DRAFT: _("Submit draft for consultation"),
    Action.COMMENT_CONSULTATION: _("Comment on consultation draft"),
    Action.SUBMIT_INTERIM_REPORT: _("Submit interim report"),
    Action.SUBMIT_REPORT: _("Submit report"),
    Action.RETURN_REPORT: _("Return report"),
    Action.ACCEPT_REPORT: _("Accept report"),
    Action.EVALUATE_SATISFIED: _("Record evaluation: satisfied"),
    Action.EVALUATE_BASICALLY_SATISFIED: _("Record evaluation: basically satisfied"),
    Action.EVALUATE_DISSATISFIED: _("Record evaluation: dissatisfied"),
    Action.REQUEST_EXTENSION: _("Request extension"),
    Action.DECIDE_EXTENSION: _("Decide extension"),
    Action.CLOSE: _("Close case"),
    Action.REOPEN: _("Reopen"),
    Action.PUBLISH: _("Publish"),
    Action.UNPUBLISH: _("Unpublish"),
    Action.PROPOSE_ESCALATION: _("Decide further supervision"),
    Action.REQUEST_SIGNOFF: _("Send for sign-off"),
    Action.SIGN_OFF: _("Sign off"),
    Action.PRESS: _("Send a reminder notice"),
}


class ReminderState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CLAIMED = "claimed", _("Being sent")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped (superseded)")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")


# How a refusal of the workflow (opinions.errors) names a status, an action or who decides, inside its sentence. In
# English these are phrases that complete "Cannot <action> a case that is <status>."; in Chinese they are the labels
# above, word for word (a test holds the two together), so that a refusal and the page name a thing alike.
REFUSAL_CASE_STATUS = {
    CaseStatus.DRAFT: pgettext_lazy("a case that is …", "in draft"),
    CaseStatus.ISSUED: pgettext_lazy("a case that is …", "issued"),
    CaseStatus.IN_PROGRESS: pgettext_lazy("a case that is …", "in progress"),
    CaseStatus.IN_CONSULTATION: pgettext_lazy("a case that is …", "in consultation"),
    CaseStatus.SUBMITTED: pgettext_lazy("a case that is …", "submitted"),
    CaseStatus.ACCEPTED: pgettext_lazy("a case that is …", "accepted"),
    CaseStatus.CLOSED: pgettext_lazy("a case that is …", "closed"),
    CaseStatus.WITHDRAWN: pgettext_lazy("a case that is …", "withdrawn"),
}
REFUSAL_ACTION = {
    Action.EDIT_DRAFT: pgettext_lazy("Cannot … a case", "edit the draft of"),
    Action.ISSUE: pgettext_lazy("Cannot … a case", "issue"),
    Action.WITHDRAW: pgettext_lazy("Cannot … a case", "withdraw"),
    Action.ACKNOWLEDGE: pgettext_lazy("Cannot … a case", "acknowledge"),
    Action.SUBMIT_CONSULTATION_DRAFT: pgettext_lazy("Cannot … a case", "submit a draft for consultation on"),
    Action.COMMENT_CONSULTATION: pgettext_lazy("Cannot … a case", "comment on the consultation draft of"),
    Action.SUBMIT_INTERIM_REPORT: pgettext_lazy("Cannot … a case", "submit an interim report on"),
    Action.SUBMIT_REPORT: pgettext_lazy("Cannot … a case", "submit the report on"),
    Action.RETURN_REPORT: pgettext_lazy("Cannot … a case", "return the report on"),
    Action.ACCEPT_REPORT: pgettext_lazy("Cannot … a case", "accept the report on"),
    Action.EVALUATE_SATISFIED: pgettext_lazy("Cannot … a case", "evaluate as satisfied"),
    Action.EVALUATE_BASICALLY_SATISFIED: pgettext_lazy("Cannot … a case", "evaluate as basically satisfied"),
    Action.EVALUATE_DISSATISFIED: pgettext_lazy("Cannot … a case", "evaluate as dissatisfied"),
    Action.REQUEST_EXTENSION: pgettext_lazy("Cannot … a case", "request an extension for"),
    Action.DECIDE_EXTENSION: pgettext_lazy("Cannot … a case", "decide on an extension for"),
    Action.CLOSE: pgettext_lazy("Cannot … a case", "close"),
    Action.REOPEN: pgettext_lazy("Cannot … a case", "reopen"),
    Action.PUBLISH: pgettext_lazy("Cannot … a case", "publish"),
    Action.UNPUBLISH: pgettext_lazy("Cannot … a case", "unpublish"),
    Action.PROPOSE_ESCALATION: pgettext_lazy("Cannot … a case", "escalate further"),
    Action.REQUEST_SIGNOFF: pgettext_lazy("Cannot … a case", "send for sign-off"),
    Action.SIGN_OFF: pgettext_lazy("Cannot … a case", "sign off"),
    Action.PRESS: pgettext_lazy("Cannot … a case", "send a reminder notice on"),
}
REFUSAL_ITEM_STATUS = {
    ItemStatus.NOT_STARTED: pgettext_lazy("an item that is …", "not started"),
    ItemStatus.IN_PROGRESS: pgettext_lazy("an item that is …", "in progress"),
    ItemStatus.DONE: pgettext_lazy("an item that is …", "done"),
    ItemStatus.CLOSED: pgettext_lazy("an item that is …", "closed"),
    ItemStatus.CARRIED_OVER: pgettext_lazy("an item that is …", "carried over"),
}
# A vote's base inside a sentence: "more than half of …".
VOTE_BASE_PHRASE = {
    VoteBase.VOTES_CAST: pgettext_lazy("more than half of …", "the votes cast"),
    VoteBase.MEMBERS_PRESENT: pgettext_lazy("more than half of …", "the members present"),
    VoteBase.ALL_MEMBERS: pgettext_lazy("more than half of …", "all members"),
}
# The item actions have no label of their own above; the pages' buttons (opinions.actions) word them differently.
REFUSAL_ITEM_ACTION = {
    ItemAction.REPORT_PROGRESS: pgettext_lazy("Cannot … an item", "report progress on"),
    ItemAction.MARK_DONE: pgettext_lazy("Cannot … an item", "mark as done"),
    ItemAction.VERIFY: pgettext_lazy("Cannot … an item", "verify"),
    ItemAction.SEND_BACK: pgettext_lazy("Cannot … an item", "send back"),
    ItemAction.CARRY_OVER: pgettext_lazy("Cannot … an item", "carry over"),
    ItemAction.REPORT_FOLLOW_UP: pgettext_lazy("Cannot … an item", "report on"),
}
REFUSAL_APPROVER = {
    ExtensionApprover.LEADER: pgettext_lazy("Extensions are decided by …", "the Council of Chairpersons"),
    ExtensionApprover.STAFF: pgettext_lazy("Extensions are decided by …", "the committee staff"),
}
