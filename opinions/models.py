"""Cases from issue to closure (domain.md §4–§6).

Writes go through opinions.services; nothing here enforces business rules beyond integrity constraints.
"""

from datetime import date, time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Body, Committee

from . import choices, voting
from .deadlines import DueDate, days_left, zh_number
from .rule_checks import validate_reminder_policy, validate_rule_text
from .workflow import OWED_STATUSES, CaseStatus, ItemStatus

USER = settings.AUTH_USER_MODEL


class Meeting(models.Model):
    """A Standing Committee meeting (常委会会议) or a Council of Chairpersons meeting (主任会议)."""

    kind = models.CharField(_("kind"), max_length=20, choices=choices.MeetingKind.choices,
                            default=choices.MeetingKind.SC_MEETING)
    term = models.PositiveSmallIntegerField(_("term"), help_text=_("届, e.g. 14"))
    session = models.PositiveSmallIntegerField(_("session"), help_text=_("次, e.g. 15"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # A satisfaction vote needs a quorum (more than half of all members present), and a rule set may count the
    # result against either number (opinions.voting).
    members = models.PositiveSmallIntegerField(
        _("members (组成人员)"), null=True, blank=True,
        help_text=_("All members of the Standing Committee at the time of the meeting."))
    present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "term", "session"], name="unique_meeting_number"),
            models.CheckConstraint(name="meeting_ends_after_start",
                                   condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date"))),
            models.CheckConstraint(name="meeting_present_within_members",
                                   condition=Q(members__isnull=True) | Q(present__isnull=True)
                                   | Q(present__lte=models.F("members"))),
        ]

    def __str__(self):
        return self.title()

    def title(self, lang: str = "zh") -> str:
        """"市十四届人大常委会第十五次会议", as the bulletins write it."""
        if lang == "en":
            body = "Standing Committee" if self.kind == choices.MeetingKind.SC_MEETING else "Council of Chairpersons"
            return f"{self.term}th {body}, session {self.session}"
        body = "人大常委会" if self.kind == choices.MeetingKind.SC_MEETING else "人大常委会主任会议"
        return f"市{zh_number(self.term)}届{body}第{zh_number(self.session)}次会议"

    @property
    def last_date(self):
        return self.end_date or self.start_date

    @property
    def has_quorum(self) -> bool | None:
        """More than half of all members present; None while either number is not recorded."""
        if self.members is None or self.present is None:
            return None
        return voting.has_quorum(members=self.members, present=self.present)


def default_reminder_days():
    return [30, 14, 7, 3, 1, 0]


class RuleSet(models.Model):
    """Follow-up rules per jurisdiction and case kind, as data (domain.md §6): editable without a release."""

    jurisdiction = models.CharField(_("jurisdiction"), max_length=50, default="河南省")
    case_kind = models.CharField(_("case kind"), max_length=40, choices=choices.CaseKind.choices)
    deadline_rule = models.CharField(
        _("default deadline rule"), max_length=40, blank=True,
        help_text=_("months:3, days:10, workdays:10, date:2024-12-31, year_end, next_session or december_session:20 "
                    "(20 days before the December session); empty = set per case"),
    )
    anchor_event = models.CharField(_("anchor event"), max_length=20, choices=choices.AnchorEvent.choices,
                                    default=choices.AnchorEvent.RECEIPT)
    roll_forward = models.BooleanField(
        _("roll a rest-day deadline forward to the next working day"), default=True,
        help_text=_("For periods (months, days, working days). A fixed date (年底前, a date, before the December "
                    "session) on a rest day always moves back to the working day before it."))
    extension_approver = models.CharField(_("extension approver"), max_length=20,
                                          choices=choices.ExtensionApproverChoice.choices,
                                          default=choices.ExtensionApproverChoice.LEADER)
    consultation_required = models.BooleanField(_("consultation before the report"), default=False)
    handover_days = models.PositiveSmallIntegerField(_("handover within days after the meeting"), default=10)
    handover_reminder_days = models.PositiveSmallIntegerField(
        _("remind staff of the handover, days before it is due"), default=3, validators=[MaxValueValidator(60)])
    resubmit_within_days = models.PositiveSmallIntegerField(
        _("resubmit a returned report within days"), default=15, validators=[MaxValueValidator(366)],
        help_text=_("A returned report (退回) is due again this many days after the return, never before the case's "
                    "own due date; its reminders follow that date. 0: the case's due date stands."))
    acknowledge_within_workdays = models.PositiveSmallIntegerField(
        _("acknowledge within working days"), default=5, validators=[MaxValueValidator(60)],
        help_text=_("Not acknowledged after this many working days: the liaisons are reminded; as many again: the "
                    "committee's staff. 0: no reminder."))
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    reminder_days = models.JSONField(_("reminders, days before the due date"), default=default_reminder_days)
    overdue_notice_after_days = models.PositiveSmallIntegerField(_("催办通知, days after the due date"), default=1)
    escalate_after_workdays = models.PositiveSmallIntegerField(_("通报, working days overdue"), default=5)
    due_soon_days = models.PositiveSmallIntegerField(
        _("shown as due soon (amber) from days before the due date"), default=14,
        validators=[MaxValueValidator(366)])
    send_window_start = models.TimeField(_("send reminders from"), default=time(8, 30))
    send_window_end = models.TimeField(_("send reminders until"), default=time(18, 0))
    vote_base = models.CharField(_("satisfaction vote: more than half of"), max_length=20,
                                 choices=choices.VoteBase.choices, default=choices.VoteBase.VOTES_CAST)
    signoff_by = models.CharField(
        _("drafts signed off (审签) by"), max_length=10, choices=choices.SignoffByChoice.choices,
        default=choices.SignoffByChoice.OFFICE,
        help_text=_("Who approves a draft and its 交办通知 before it is numbered and issued. The office: any staff "
                    "member of the general office other than the one who sent it for sign-off."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["jurisdiction", "case_kind"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "case_kind"], name="unique_rule_set")]

    def __str__(self):
        return f"{self.jurisdiction} · {self.get_case_kind_display()}"

    def clean(self):
        validate_rule_text(self.deadline_rule, field="deadline_rule")
        validate_reminder_policy(self)


class CalendarDay(models.Model):
    """One day of the working-day calendar. Seeded from chinese-calendar; the State Council's next-year schedule
    (published each November/December) is entered here by an administrator."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=50, blank=True, help_text=_("holiday name or 调休"))
    source = models.CharField(_("source"), max_length=20, choices=choices.CalendarSource.choices,
                              default=choices.CalendarSource.ADMIN)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {'workday' if self.is_workday else 'rest day'}"


def owed_first():
    """0 for a case the body still owes, else 1: the case list's first sort key, and its index's (plain strings in
    the enum's order, so that the migration neither depends on the enum nor changes with the set's hash order)."""
    owed = [status.value for status in CaseStatus if status in OWED_STATUSES]
    return models.Case(models.When(status__in=owed, then=models.Value(0)), default=models.Value(1))


class Case(models.Model):
    """A deliberation opinion (审议意见) or a similar follow-up, handed to a body with a deadline."""

    kind = models.CharField(_("kind"), max_length=40, choices=choices.CaseKind.choices)
    title = models.CharField(_("title"), max_length=300)
    doc_number = models.CharField(_("document number"), max_length=50, blank=True)
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="cases")
    hearing_meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting that hears the report"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reports_heard_for_cases",
        help_text=_("For a before_meeting:N rule: the due date is N days before this meeting."))
    source_report_title = models.CharField(_("report heard"), max_length=300, blank=True)
    reporter_name = models.CharField(_("reporter"), max_length=50, blank=True)
    reporter_position = models.CharField(_("reporter's position"), max_length=100, blank=True)
    lead_body = models.ForeignKey(Body, verbose_name=_("lead body"), on_delete=models.PROTECT,
                                  related_name="lead_cases")
    co_bodies = models.ManyToManyField(Body, verbose_name=_("co-handling bodies"), blank=True,
                                       related_name="co_cases")
    drafting_committee = models.ForeignKey(Committee, verbose_name=_("drafting committee"), null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="drafted_cases")
    supervising_committee = models.ForeignKey(Committee, verbose_name=_("supervising committee"), null=True,
                                              blank=True, on_delete=models.PROTECT, related_name="supervised_cases")
    consulted_committee = models.ForeignKey(Committee, verbose_name=_("consulted committee"), null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="consulted_cases")
    deadline_rule = models.CharField(_("deadline rule"), max_length=40, blank=True)
    deadline_rule_reason = models.CharField(
        _("reason for the deadline rule"), max_length=300, blank=True,
        help_text=_("Required when the rule differs from the rule set, e.g. the time limit stated in the opinion."),
    )
    deadline_quote = models.TextField(_("deadline as written in the opinion"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    original_due_date = models.DateField(_("original due date"), null=True, blank=True)
    # After a return (退回): when the revised report is due. The due date stays the legal one (overdue, statistics);
    # the reminders follow this date until the report is in again.
    resubmit_due = models.DateField(_("revised report due"), null=True, blank=True)
    # 重新办理 (after 不满意) gives the case a new due date; the first report is still judged against the one in force
    # when it was first due (its timeliness is recorded for good, domain.md §5).
    first_cycle_due_date = models.DateField(_("due date before re-handling"), null=True, blank=True)
    due_basis = models.JSONField(_("how the due date was computed"), null=True, blank=True, editable=False)
    report_type = models.CharField(_("report required"), max_length=30, choices=choices.ReportType.choices,
                                   blank=True)
    status = models.CharField(_("status"), max_length=20, choices=choices.CASE_STATUS_CHOICES,
                              default=CaseStatus.DRAFT, editable=False, db_index=True)
    is_public = models.BooleanField(_("published"), default=False, editable=False)
    signoff_state = models.CharField(_("sign-off (审签)"), max_length=20, choices=choices.SignoffStateChoice.choices,
                                     default=choices.SignoffStateChoice.NOT_REQUESTED, editable=False)
    signoff_requested_by = models.ForeignKey(USER, verbose_name=_("sent for sign-off by"), null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+", editable=False)
    signed_off_by = models.ForeignKey(USER, verbose_name=_("signed off by"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+", editable=False)
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True, editable=False)
    opinion_text = models.TextField(_("full text of the opinion"), blank=True)
    issued_date = models.DateField(_("issued on"), null=True, blank=True)
    received_date = models.DateField(_("received on"), null=True, blank=True)
    submitted_date = models.DateField(_("final report first submitted on"), null=True, blank=True, editable=False)
    closed_date = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    escalated_on = models.DateField(_("circulated as overdue (通报) on"), null=True, blank=True, editable=False)
    further_supervision = models.CharField(_("further supervision decided"), max_length=30, blank=True,
                                           choices=choices.FurtherSupervision.choices, editable=False)
    further_supervision_on = models.DateField(_("further supervision decided on"), null=True, blank=True,
                                              editable=False)
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    external_ref = models.CharField(
        _("external reference"), max_length=50, unique=True, null=True, blank=True,
        help_text=_("A stable key from another system or a seed file, e.g. 2020-S15-01."),
    )
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[co_bodies])

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["lead_body", "status"]),
            models.Index(fields=["status", "due_date"]),
            # The case list's default order (selectors.by_urgency), as an index: the first page of 100,000 cases
            # is read from its first 50 entries instead of sorting every visible case. PostgreSQL uses it only
            # while its expressions are the query's own, hence one owed_first() for both. An ascending column puts
            # NULLs last there already, as the query asks (SQLite's indexes cannot say NULLS LAST).
            models.Index(owed_first(), models.F("due_date"), models.F("id").desc(), name="case_urgency_idx"),
            # The list's other sort keys (each with -pk after it): a LIMIT 50 reads the index in order and only
            # sorts ties, instead of sorting every visible case.
            models.Index(fields=["title"], name="case_title_idx"),
            models.Index(fields=["issued_date"], name="case_issued_date_idx"),
        ]

    def __str__(self):
        return self.title

    def days_to_due(self, today: date) -> int | None:
        """Days from `today` to the due date: negative when overdue, None without a due date."""
        return days_left(self.due_date, today) if self.due_date else None

    @property
    def report_due(self) -> date | None:
        """When the body's next report is due: the revised report's date after a return, else the due date. What
        the reminders follow."""
        return self.resubmit_due or self.due_date

    @property
    def due_provisional(self) -> bool:
        """The due date was counted on a provisional (weekends-only) calendar year, or stands in for a session not
        registered yet: 暂定, and recomputed when the official year is entered."""
        return DueDate.stored_is_provisional(self.due_basis)

    def days_past_due(self, today: date) -> int | None:
        """Days `today` is past the due date (the overdue count): days_to_due seen from the other side."""
        days = self.days_to_due(today)
        return -days if days is not None else None

    @property
    def year(self):
        if self.meeting_id:
            return self.meeting.start_date.year
        return (self.issued_date or self.created_at.date()).year


class CaseItem(models.Model):
    """One numbered point of an opinion, problem or recommendation, tracked on its own (整改台账)."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=20, choices=choices.ItemKind.choices,
                            default=choices.ItemKind.OPINION)
    heading = models.CharField(_("heading"), max_length=500)
    text = models.TextField(_("text"), blank=True)
    responsible_body = models.ForeignKey(
        Body, verbose_name=_("responsible body"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="items", help_text=_("Only when not the lead body."),
    )
    status = models.CharField(_("status"), max_length=20, choices=choices.ITEM_STATUS_CHOICES,
                              default=ItemStatus.NOT_STARTED, editable=False)
    # Audit problems carry money (domain.md §10): 整改率 is also reported by amount. In 万元, as the bulletins do.
    amount = models.DecimalField(_("amount involved (10,000 yuan)"), max_digits=14, decimal_places=2, null=True,
                                 blank=True, validators=[MinValueValidator(0)])
    rectified_amount = models.DecimalField(_("amount rectified (10,000 yuan)"), max_digits=14, decimal_places=2,
                                           null=True, blank=True, editable=False)
    measures = models.TextField(_("measures taken"), blank=True)
    progress_note = models.TextField(_("latest progress"), blank=True)
    committee_note = models.TextField(_("committee's remark"), blank=True)
    # 持续整改: when the body next reports on an item carried over; its reminder counts to this date.
    next_report_date = models.DateField(_("next report due"), null=True, blank=True, editable=False)
    # A follow-up item a 基本满意 evaluation asked for, or None for the opinion's own items.
    evaluation = models.ForeignKey("Evaluation", verbose_name=_("required by the evaluation"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="follow_up_items", editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["case", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="unique_item_number")]

    def __str__(self):
        return f"{self.number}. {self.heading}"


class ReportQuerySet(models.QuerySet):
    """The order of a case's reports, and so which one is "the report before": by the moment submitted, then in the
    order they were written (two recorded for the same moment). The diff stored at submission, the case page and
    the side-by-side comparison all read it from here."""

    ORDER = ("submitted_at", "pk")

    def in_order(self) -> "ReportQuerySet":
        return self.order_by(*self.ORDER)

    def before(self, report: "Report") -> "Report | None":
        """The report just before `report` in this order (saved, or about to be), or None for the first."""
        return self.filter(_beside(report, "lt")).in_order().last()

    def after(self, report: "Report") -> "Report | None":
        """The report just after `report` in this order (saved, or about to be), or None for the last."""
        return self.filter(_beside(report, "gt")).in_order().first()


def _beside(report: "Report", side: str) -> models.Q:
    """The reports on one side ("lt" before, "gt" after) of `report` in ReportQuerySet.ORDER."""
    moment = report.submitted_at
    if report.pk is None:  # not yet saved: it will be the last of its moment, its pk the highest
        return models.Q(submitted_at__lte=moment) if side == "lt" else models.Q(submitted_at__gt=moment)
    return models.Q(**{f"submitted_at__{side}": moment}) | models.Q(submitted_at=moment, **{f"pk__{side}": report.pk})


class Report(models.Model):
    """A report of the body: a draft for consultation, an interim (phased) report or the final report."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=30, choices=choices.ReportKind.choices)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    submitted_by = models.ForeignKey(USER, verbose_name=_("submitted by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))
    review_outcome = models.CharField(_("review"), max_length=20, choices=choices.ReviewOutcome.choices,
                                      default=choices.ReviewOutcome.PENDING, editable=False)
    review_comment = models.TextField(_("review comments"), blank=True, editable=False)
    reviewed_by = models.ForeignKey(USER, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+", editable=False)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    # What changed since the report before it (opinions.textdiff.Diff as JSON), computed once when this report or
    # one dated before it is submitted, never when the case page is shown; empty for the first report. Derived
    # data, so kept out of history.
    changes = models.JSONField(_("changes since the previous report"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["changes"])

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["case", "submitted_at"]

    def __str__(self):
        return self.title


def attachment_path(instance, filename):
    return f"cases/{instance.case_id}/{filename}"


class Attachment(models.Model):
    """Evidence or a report file. Immutable once uploaded: nothing is deleted (domain.md §5)."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="attachments")
    item = models.ForeignKey(CaseItem, verbose_name=_("item"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="attachments")
    report = models.ForeignKey(Report, verbose_name=_("report"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(USER, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class DocNumberSequence(models.Model):
    """文号: the numbers of one prefix in one year (安人常办〔2026〕12号), each given out once and never again."""

    prefix = models.CharField(_("prefix"), max_length=30)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("document number sequence")
        verbose_name_plural = _("document number sequences")
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="unique_doc_number_sequence")]

    def __str__(self):
        return f"{self.prefix}〔{self.year}〕{self.last_number}号"


def document_template_path(instance, filename: str) -> str:
    return f"document_templates/{filename}"


class DocumentTemplate(models.Model):
    """A Word template an administrator uploaded for one kind of document; the highest version is in force, and
    without one the built-in template is (opinions.documents). Never changed: a new upload is a new version."""

    kind = models.CharField(_("kind"), max_length=20, choices=choices.DocumentKind.choices)
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=document_template_path)
    original_name = models.CharField(_("file name"), max_length=255)
    note = models.CharField(_("note"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(USER, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="unique_document_template_version")]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"


class Extension(models.Model):
    """An extension request (延期申请) and its decision. The original due date stays on the case."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="extensions")
    requested_date = models.DateField(_("proposed due date"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(USER, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    previous_due_date = models.DateField(_("due date when requested"), null=True)
    decision = models.CharField(_("decision"), max_length=20, choices=choices.ExtensionDecision.choices,
                                default=choices.ExtensionDecision.PENDING, editable=False)
    decision_comment = models.TextField(_("decision comment"), blank=True, editable=False)
    decided_by = models.ForeignKey(USER, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+", editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["case", "requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(decision="pending"),
                                    name="one_pending_extension_per_case"),
        ]

    def __str__(self):
        return f"{self.case} → {self.requested_date}"


class Evaluation(models.Model):
    """A satisfaction evaluation (满意度测评) of the body's report at a Standing Committee meeting."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="evaluations")
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="evaluations")
    entitled_to_vote = models.PositiveSmallIntegerField(_("members entitled to vote"))
    # How the result was counted, as it stood when the vote was recorded (the rule set and the meeting may change).
    vote_base = models.CharField(_("more than half of"), max_length=20, choices=choices.VoteBase.choices,
                                 default=choices.VoteBase.VOTES_CAST, editable=False)
    members = models.PositiveSmallIntegerField(_("members (组成人员)"), null=True, blank=True, editable=False)
    present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True, editable=False)
    satisfied = models.PositiveSmallIntegerField(_("satisfied"))
    basically_satisfied = models.PositiveSmallIntegerField(_("basically satisfied"))
    dissatisfied = models.PositiveSmallIntegerField(_("dissatisfied"))
    result = models.CharField(_("result"), max_length=30, choices=choices.EvaluationResult.choices, editable=False)
    follow_up = models.TextField(_("follow-up required"), blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["case", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                name="votes_within_entitled",
                condition=Q(entitled_to_vote__gte=models.F("satisfied") + models.F("basically_satisfied")
                            + models.F("dissatisfied")),
            ),
        ]

    def __str__(self):
        return f"{self.case} · {self.get_result_display()}"

    @property
    def votes_cast(self):
        return self.satisfied + self.basically_satisfied + self.dissatisfied

    @property
    def base_count(self) -> int | None:
        """The number "more than half" was counted against; None if this record lacks it."""
        try:
            return voting.vote_base_count(self.vote_base, cast=self.votes_cast, present=self.present,
                                          members=self.members)
        except voting.InvalidVotes:
            return None


class HeardReport(models.Model):
    """A report the meeting heard (听取的报告), in agenda order: what a deliberation opinion answers."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT,
                                related_name="heard_reports")
    order = models.PositiveSmallIntegerField(_("agenda order"))
    title = models.CharField(_("report heard"), max_length=300)
    reporter_name = models.CharField(_("reporter"), max_length=50, blank=True)
    reporter_position = models.CharField(_("reporter's position"), max_length=100, blank=True)
    body = models.ForeignKey(Body, verbose_name=_("reporting body"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="heard_reports")
    committee = models.ForeignKey(Committee, verbose_name=_("committee preparing the deliberation"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="heard_reports")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("heard report")
        verbose_name_plural = _("heard reports")
        ordering = ["meeting", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "title"], name="unique_heard_report_title")]

    def __str__(self):
        return self.title


class Reminder(models.Model):
    """One rung of the reminder ladder of one case, for one due date (re-planning makes new rows).

    Bookkeeping, not a tracked record: its state advances with conditional updates (a claim must be one atomic
    UPDATE), so it carries no simple-history; what matters to people is written to the case and its messages."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="reminders")
    step = models.CharField(_("step"), max_length=20)
    due_date = models.DateField(_("for due date"))
    fire_at = models.DateTimeField(_("fires at"))
    state = models.CharField(_("state"), max_length=20, choices=choices.ReminderState.choices,
                             default=choices.ReminderState.PLANNED)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True, editable=False)
    # A row whose delivery raised goes back to planned until next_attempt_at, and is failed after the last attempt.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["fire_at"]
        constraints = [models.UniqueConstraint(fields=["case", "step", "due_date"], name="one_reminder_per_step")]
        indexes = [models.Index(fields=["state", "fire_at"], name="reminder_due_idx")]

    def __str__(self):
        return f"{self.case_id} {self.step} @ {self.fire_at:%Y-%m-%d %H:%M}"


class AuditArea(models.Model):
    """An area of the audit work report (预算执行, 部门预算, 重大政策落实 …), in the report's order; editable."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audit area")
        verbose_name_plural = _("audit areas")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


def _money(label):
    return models.DecimalField(label, max_digits=14, decimal_places=2, null=True, blank=True,
                               validators=[MinValueValidator(0)])


class AuditProblem(models.Model):
    """One problem of the audit work report's list (审计查出问题整改台账), domain.md §10. It is an item of the audit
    rectification case — so it has the item's workflow, evidence files and history, its unit is the item's
    responsible body, its text, amount involved and amount rectified (万元) are the item's — plus what only an audit
    problem has."""

    item = models.OneToOneField(CaseItem, verbose_name=_("item"), primary_key=True, on_delete=models.PROTECT,
                                related_name="audit")
    reference = models.CharField(_("reference"), max_length=40, help_text=_("The audit office's own reference."))
    audit_year = models.PositiveSmallIntegerField(_("audit year"), help_text=_("The fiscal year audited."),
                                                  validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    area = models.ForeignKey(AuditArea, verbose_name=_("area"), on_delete=models.PROTECT, related_name="problems")
    problem_type = models.CharField(_("problem type"), max_length=100)
    rectification_type = models.CharField(_("rectification type"), max_length=20,
                                          choices=choices.RectificationType.choices)
    paid_to_treasury = _money(_("paid to the treasury (10,000 yuan)"))
    disbursed = _money(_("disbursed (10,000 yuan)"))
    accounts_adjusted = _money(_("accounts adjusted (10,000 yuan)"))
    returned_to_source = _money(_("returned to the original funding channel (10,000 yuan)"))
    losses_recovered = _money(_("losses recovered (10,000 yuan)"))
    rules_made = models.PositiveIntegerField(_("rules made"), default=0)
    people_dealt_with = models.PositiveIntegerField(_("people dealt with"), default=0)
    matters_referred = models.PositiveIntegerField(_("matters referred"), default=0)
    # 屡审屡犯: the same unit's problem of the same type in an earlier audit year, confirmed by the staff.
    repeat_of = models.ForeignKey("self", verbose_name=_("repeat of"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="repeated_by", editable=False)
    verified_by = models.ForeignKey(USER, verbose_name=_("verified by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audit problem")
        verbose_name_plural = _("audit problems")
        ordering = ["audit_year", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["audit_year", "reference"], name="unique_audit_problem_reference"),
            models.CheckConstraint(condition=~Q(repeat_of=models.F("item")), name="audit_problem_not_its_own_repeat"),
        ]
        indexes = [models.Index(fields=["problem_type", "audit_year"])]

    def __str__(self):
        return f"{self.reference} {self.item.heading}"


class AuditReportText(models.Model):
    """What the staff write in the December audit-rectification report (opinions.audit_report); every figure and
    table of it comes from the ledger. Versioned by its history."""

    case = models.OneToOneField(Case, verbose_name=_("case"), primary_key=True, on_delete=models.PROTECT,
                                related_name="audit_report_text")
    introduction = models.TextField(_("introduction"), blank=True)
    measures = models.TextField(_("main measures taken"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("December report text")
        verbose_name_plural = _("December report texts")

    def __str__(self):
        return str(self.case)


def audit_import_path(instance, filename: str) -> str:
    return f"imports/{filename}"


class AuditImport(models.Model):
    """One upload of the audit office's list, checked and saved by a task (opinions.audit_import) while its page
    shows the progress; the list's rows land in the ledger all together or not at all."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Refused: nothing imported")
        FAILED = "failed", _("Failed: nothing imported")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="audit_imports")
    file = models.FileField(_("file"), upload_to=audit_import_path)
    original_name = models.CharField(_("file name"), max_length=255)
    created_by = models.ForeignKey(USER, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit list import")
        verbose_name_plural = _("audit list imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.original_name


def case_document_path(instance, filename: str) -> str:
    return f"cases/{instance.case_id}/documents/{filename}"


class CaseDocument(models.Model):
    """A document the office issued on a case (交办通知, 催办通知, 督办函…): numbered, generated from the template in
    force, and kept as a file of the case. Who issued it, when, and from which template version."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=choices.DocumentKind.choices)
    number = models.CharField(_("document number"), max_length=50, blank=True)
    template = models.ForeignKey(DocumentTemplate, verbose_name=_("template"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 help_text=_("Empty: the built-in template."))
    file = models.FileField(_("file"), upload_to=case_document_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    note = models.TextField(_("note"), blank=True)
    extension = models.ForeignKey(Extension, verbose_name=_("extension"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="documents")
    evaluation = models.ForeignKey(Evaluation, verbose_name=_("evaluation"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="documents")
    issued_by = models.ForeignKey(USER, verbose_name=_("issued by"), null=True, on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField(_("issued at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["issued_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["number"], condition=~models.Q(number=""),
                                               name="unique_document_number")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}".strip()

    # Every document is generated as Word, the form an office edits and prints.
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    @property
    def template_version(self) -> int:
        """0: the built-in template."""
        return self.template.version if self.template_id else 0
