"""Read shapes of the API, and the draft input. Thin: no rule lives here (design.md rule 1)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Body, Committee
from npc_tracker.api import RejectUnknownFields, absolute_url

from .. import rules, selectors, uploads
from ..actions import case_action_specs_for
from ..choices import FurtherSupervision
from ..models import (
    Attachment,
    CalendarDay,
    Case,
    CaseDocument,
    CaseItem,
    Evaluation,
    Extension,
    HeardReport,
    Meeting,
    Report,
    RuleSet,
)
from ..services.drafts import DRAFT_API_FIELDS, ITEM_INPUT


class BodySerializer(serializers.ModelSerializer):
    class Meta:
        model = Body
        fields = ["id", "name", "short_name", "kind", "parent", "is_active"]


class CommitteeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Committee
        fields = ["id", "name", "short_name", "kind", "is_active"]


class HeardReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = HeardReport
        fields = ["id", "order", "title", "reporter_name", "reporter_position", "body", "committee"]


class MeetingSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    has_quorum = serializers.BooleanField(
        read_only=True, allow_null=True,
        help_text="More than half of all members present, as a satisfaction vote needs; null while not recorded.")
    heard_reports = HeardReportSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "kind", "term", "session", "title", "start_date", "end_date", "note", "members", "present",
                  "has_quorum", "heard_reports"]

    def get_title(self, meeting) -> str:
        return meeting.title()


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "item", "report", "original_name", "content_type", "size", "uploaded_by", "uploaded_at",
                  "download_url"]

    def get_download_url(self, attachment) -> str:
        """The API's download, which takes a token as well as a session; absolute, like every link it gives."""
        return absolute_url(self.context.get("request"), reverse(
            "v1:case-attachment-download", kwargs={"pk": attachment.case_id, "attachment_pk": attachment.pk}))


class AttachmentUploadSerializer(RejectUnknownFields, serializers.Serializer):
    """A file for the case, or for one of its items or reports: ids of another case's rows are refused by field."""

    file = serializers.FileField(help_text=f"Typed by its content, never by its name or Content-Type; the name must "
                                           f"end as that type's names do. Accepted: {uploads.ACCEPT}.")
    item = serializers.PrimaryKeyRelatedField(queryset=CaseItem.objects.none(), required=False, allow_null=True)
    report = serializers.PrimaryKeyRelatedField(queryset=Report.objects.none(), required=False, allow_null=True)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:  # the schema generator builds it without a case
            self.fields["item"].queryset = selectors.belonging_to(case, CaseItem)
            self.fields["report"].queryset = selectors.belonging_to(case, Report)


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseItem
        fields = ["id", "number", "kind", "heading", "text", "responsible_body", "amount", "rectified_amount",
                  "status", "measures", "progress_note", "committee_note", "next_report_date", "evaluation"]
        extra_kwargs = {"next_report_date": {"help_text": "持续整改: when the body next reports on the item."},
                        "evaluation": {"help_text": "The evaluation that required this follow-up item, if any."}}


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = ["id", "kind", "title", "text", "submitted_by", "submitted_at", "review_outcome", "review_comment",
                  "reviewed_by", "reviewed_at"]


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = ["id", "requested_date", "reason", "requested_by", "requested_at", "previous_due_date", "decision",
                  "decision_comment", "decided_by", "decided_at"]


class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "meeting", "entitled_to_vote", "satisfied", "basically_satisfied", "dissatisfied", "result",
                  "vote_base", "members", "present", "follow_up", "recorded_by", "recorded_at"]
        extra_kwargs = {"vote_base": {"help_text": "What “more than half” was counted against, as the rule set said "
                                                   "when the vote was recorded."},
                        "members": {"help_text": "The meeting's members (组成人员) when the vote was recorded."},
                        "present": {"help_text": "The meeting's members present when the vote was recorded."}}


@extend_schema_field({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "08:30"})
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in Asia/Shanghai, HH:MM (an OpenAPI "time" would demand a UTC offset)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class CaseListSerializer(serializers.ModelSerializer):
    further_supervision = serializers.ChoiceField(
        choices=[("", ""), *FurtherSupervision.choices], read_only=True,
        help_text="Empty until leadership decides a 专题询问, 质询 or 跟踪检查.")
    lead_body_name = serializers.CharField(source="lead_body.name", read_only=True)
    rag = serializers.SerializerMethodField(
        help_text="red: overdue; amber: due within the rule set's days (14 by default); green; none")
    days_left = serializers.SerializerMethodField(help_text="Negative when overdue; null without a due date.")
    due_provisional = serializers.BooleanField(
        read_only=True, help_text="The due date was counted on a provisional (weekends-only) calendar year, or stands "
                                  "in for a session not registered yet (暂定): it is recomputed when they are entered.")

    class Meta:
        model = Case
        fields = ["id", "kind", "title", "doc_number", "status", "meeting", "lead_body", "lead_body_name",
                  "supervising_committee", "issued_date", "received_date", "due_date", "original_due_date",
                  "closed_date", "rag", "days_left", "due_provisional", "is_public", "further_supervision"]

    def get_rag(self, case) -> str:
        return selectors.rag(case, self.context["today"], self.context["due_soon"])

    def get_days_left(self, case) -> int | None:
        return case.days_to_due(self.context["today"])


# A case's own lists, each also served whole, page by page, at /cases/{id}/<name>/ (in this order).
class CaseDocumentSerializer(serializers.ModelSerializer):
    """A document the office issued on the case: its kind and number, who issued it and when, from which template
    version (0: the built-in one), and its download."""

    label = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = CaseDocument
        fields = ["id", "kind", "label", "number", "issued_by", "issued_at", "template_version", "url"]
        read_only_fields = fields

    def get_label(self, document) -> str:
        return document.get_kind_display()

    def get_url(self, document) -> str:
        return absolute_url(self.context.get("request"), reverse(
            "v1:case-document-download", kwargs={"pk": document.case_id, "document_pk": document.pk}))


CASE_LISTS = {
    "items": (CaseItem, ItemSerializer),
    "reports": (Report, ReportSerializer),
    "attachments": (Attachment, AttachmentSerializer),
    "extensions": (Extension, ExtensionSerializer),
    "evaluations": (Evaluation, EvaluationSerializer),
    "documents": (CaseDocument, CaseDocumentSerializer),
}
FIRST_ROWS = 50


class FirstRows(serializers.ListSerializer):
    """The first FIRST_ROWS rows of one of a case's lists, in the order of its own endpoint: a detail's size is
    bounded however many files or reports a case gathers."""

    def to_representation(self, data):
        case = data.instance  # the case's related manager (case.items …)
        return super().to_representation(selectors.case_rows(case, self.child.Meta.model)[:FIRST_ROWS])


def _first_rows(serializer_class):
    return FirstRows(child=serializer_class(), read_only=True,
                     help_text=f"The first {FIRST_ROWS}; `lists` gives how many there are and where all of them are.")


class CaseListLinkSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    url = serializers.URLField(help_text="All of them, paginated like every list.")


CaseListsSerializer = type("CaseListsSerializer", (serializers.Serializer,),
                           {name: CaseListLinkSerializer() for name in CASE_LISTS})


class CaseDetailSerializer(CaseListSerializer):
    items = _first_rows(ItemSerializer)
    reports = _first_rows(ReportSerializer)
    attachments = _first_rows(AttachmentSerializer)
    extensions = _first_rows(ExtensionSerializer)
    evaluations = _first_rows(EvaluationSerializer)
    documents = _first_rows(CaseDocumentSerializer)
    lists = serializers.SerializerMethodField()
    due_explanation = serializers.SerializerMethodField(help_text="How the due date was computed.")
    available_actions = serializers.SerializerMethodField(
        help_text="The action endpoints this user may call now (POST /cases/{id}/<action>/).")

    class Meta(CaseListSerializer.Meta):
        fields = [*CaseListSerializer.Meta.fields, "source_report_title", "reporter_name", "reporter_position",
                  "co_bodies", "drafting_committee", "consulted_committee", "deadline_rule", "hearing_meeting",
                  "deadline_rule_reason", "deadline_quote", "report_type", "opinion_text", "resubmit_due",
                  "escalated_on", "further_supervision_on", "submitted_date", "external_ref", "due_explanation",
                  "signoff_state", "available_actions", "items", "reports", "attachments", "extensions",
                  "evaluations", "documents", "lists"]

    def get_due_explanation(self, case) -> str:
        return rules.explain_due(case, self.context.get("lang", "zh"))

    @extend_schema_field(CaseListsSerializer)
    def get_lists(self, case) -> dict:
        request = self.context.get("request")
        return {name: {"count": selectors.case_rows(case, model).count(),
                       "url": absolute_url(request, reverse(f"v1:case-{name}", kwargs={"pk": case.pk}))}
                for name, (model, _serializer) in CASE_LISTS.items()}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_actions(self, case) -> list[str]:
        return [spec.slug for spec in case_action_specs_for(self.context["request"].user, case)]


class TimelineChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class TimelineEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    subject = serializers.CharField()
    reason = serializers.CharField()
    changes = TimelineChangeSerializer(many=True)


# An item of a draft offers the service's fields (drafts.ITEM_INPUT); each is declared for its default. A model
# serializer, so a field added to the list is offered, and one declared but not listed fails (DRF asserts it).
class DraftItemSerializer(RejectUnknownFields, serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, help_text="An existing item of this draft; omit for a new one.")
    heading = serializers.CharField(max_length=500)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=CaseItem._meta.get_field("kind").choices, required=False,
                                   default="opinion")
    responsible_body = serializers.PrimaryKeyRelatedField(queryset=Body.objects.all(), required=False,
                                                          allow_null=True, default=None)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True,
                                      default=None, help_text="Amount involved, in 10,000 yuan (audit problems).")

    class Meta:
        model = CaseItem
        fields = ["id", *ITEM_INPUT]


class CaseDraftSerializer(RejectUnknownFields, serializers.ModelSerializer):
    """A draft's particulars and, optionally, its items in order (they replace the draft's items)."""

    co_bodies = serializers.PrimaryKeyRelatedField(queryset=Body.objects.all(), many=True, required=False)
    items = DraftItemSerializer(many=True, required=False)
    deadline_rule = serializers.CharField(max_length=40, required=False, allow_blank=True,
                                          help_text="Omit for the rule set's default for the kind.")

    class Meta:
        model = Case
        fields = [*DRAFT_API_FIELDS, "items"]
        extra_kwargs = {"external_ref": {"validators": []}}  # uniqueness is the database's, reported as 400


class RuleSetSerializer(RejectUnknownFields, serializers.ModelSerializer):
    send_window_start = LocalTimeField()
    send_window_end = LocalTimeField()

    class Meta:
        model = RuleSet
        fields = ["id", "jurisdiction", "case_kind", "deadline_rule", "anchor_event", "roll_forward",
                  "extension_approver", "consultation_required", "handover_days", "handover_reminder_days",
                  "acknowledge_within_workdays", "resubmit_within_days", "legal_basis", "reminder_days",
                  "overdue_notice_after_days", "escalate_after_workdays", "send_window_start", "send_window_end",
                  "due_soon_days", "vote_base", "signoff_by"]
        read_only_fields = ["jurisdiction", "case_kind"]


class CalendarDaySerializer(RejectUnknownFields, serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["id", "date", "is_workday", "note", "source"]
        read_only_fields = ["date", "source"]


class NamedDaySerializer(RejectUnknownFields, serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField(max_length=50, help_text="e.g. 元旦, 春节调休上班")


class CalendarYearInput(RejectUnknownFields, serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2099)
    holidays = NamedDaySerializer(many=True, required=False, default=list, max_length=366,
                                  help_text="Statutory holidays (rest days); weekends are rest days already.")
    make_up_workdays = NamedDaySerializer(many=True, required=False, default=list, max_length=366,
                                          help_text="Weekend days that are working days (调休).")
    provisional = serializers.BooleanField(default=False, help_text="Weekends only, until the holidays are "
                                                                    "published: every date counted on it says 暂定.")
    replace = serializers.BooleanField(default=False, help_text="Overwrite an official year already entered.")


class CalendarYearEntered(serializers.Serializer):
    year = serializers.IntegerField()
    written = serializers.IntegerField(help_text="Days written or changed.")
    replaced_provisional = serializers.BooleanField()
    recomputed = serializers.IntegerField(help_text="Open cases whose due date was counted on the provisional days.")
    moved = serializers.IntegerField(help_text="Of those, how many due dates changed (their bodies are told).")


# ---------------------------------------------------------------- the dashboard (output only)


class DashboardFiguresSerializer(serializers.Serializer):
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    due_within_7 = serializers.IntegerField()
    due_within_30 = serializers.IntegerField()
    closed_this_year = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    rehandled = serializers.IntegerField()
    late_handovers = serializers.IntegerField(
        help_text="Meetings' opinions issued later than the rule set's hand-over days after the meeting, or still "
                  "drafts past them.")
    red = serializers.IntegerField()
    amber = serializers.IntegerField()
    green = serializers.IntegerField()
    audit_problems = serializers.IntegerField(help_text="Audit problems (审计查出问题) of these cases.")
    audit_problems_rectified = serializers.IntegerField(help_text="Of them, verified as rectified (销号).")
    audit_repeats = serializers.IntegerField(help_text="Of them, confirmed as repeat findings (屡审屡犯).")
    rectification_rate = serializers.FloatField(
        allow_null=True, help_text="整改率 by count, %: audit problems verified over audit problems.")
    amount_involved = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="10,000 yuan")
    amount_rectified = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="10,000 yuan")
    rectification_rate_by_amount = serializers.FloatField(
        allow_null=True, help_text="整改率 by amount, %: amount rectified over amount involved, audit problems only.")


class LeagueRowSerializer(serializers.Serializer):
    body = serializers.IntegerField()
    body_name = serializers.CharField()
    cases = serializers.IntegerField()
    overdue = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    average_days_late = serializers.FloatField(allow_null=True)
    dissatisfied = serializers.IntegerField()
    audit_problems = serializers.IntegerField(help_text="Audit problems this body is the unit responsible for.")
    rectification_rate = serializers.FloatField(
        allow_null=True, help_text="整改率 of those problems by count, %: verified (销号) over all.")


class BreakdownRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="Committee id, kind or year: the list filter's value.")
    label = serializers.CharField(allow_null=True)
    cases = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    closed = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)


class TrendRowSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month.")
    opened = serializers.IntegerField()
    closed = serializers.IntegerField()
    went_overdue = serializers.IntegerField()


class OverdueRowSerializer(serializers.Serializer):
    case = serializers.IntegerField(source="case.pk")
    title = serializers.CharField(source="case.title")
    body_name = serializers.CharField(source="case.lead_body.name")
    due_date = serializers.DateField(source="case.due_date")
    days_overdue = serializers.IntegerField()
    liaisons = serializers.ListField(child=serializers.CharField())
    last_reminder = serializers.CharField()
    last_reminder_at = serializers.DateTimeField(allow_null=True)
    escalation = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    today = serializers.DateField()
    figures = DashboardFiguresSerializer()
    league_table = LeagueRowSerializer(many=True)
    by_committee = BreakdownRowSerializer(many=True)
    by_kind = BreakdownRowSerializer(many=True)
    by_year = BreakdownRowSerializer(many=True)
    trend = TrendRowSerializer(many=True)
    overdue_board = OverdueRowSerializer(many=True, help_text="The 20 most overdue cases.")
