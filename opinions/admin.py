"""Admin: every model with its history. The admin writes nothing the services do not (design.md rules 1, 2, 8):
cases, items, reports, extensions, evaluations and attachments are only shown here (their lifecycle is the app's
pages and API, through the workflow); meetings, heard reports, rule sets and calendar days are written through their
services, so every edit has its history with the user and a reason; nothing tracked is deleted here. The
reminder plan is bookkeeping, shown read-only, with failed rungs sent again on request."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from agencies.selectors import user_scope
from npc_tracker.errors import DomainError
from npc_tracker.history_admin import (
    ReadOnlyHistoryAdmin,
    ReasonForm,
    ReferenceDataAdmin,
    ViewOnly,
    WriteForm,
    WriteThroughAdmin,
)

from . import documents, services
from .calendar_input import CalendarInputError, parse_lines
from .choices import DocumentKind
from .models import (
    Attachment,
    AuditArea,
    AuditImport,
    AuditProblem,
    AuditReportText,
    CalendarDay,
    Case,
    CaseDocument,
    CaseItem,
    DocNumberSequence,
    DocumentTemplate,
    Evaluation,
    Extension,
    HeardReport,
    Meeting,
    Reminder,
    Report,
    RuleSet,
)
from .permissions import can_create_cases
from .reminders import sweep
from .services import meetings


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ItemInline(ReadOnlyInline):
    model = CaseItem
    fields = readonly_fields = ["number", "heading", "status", "responsible_body"]


class ReportInline(ReadOnlyInline):
    model = Report
    fields = readonly_fields = ["kind", "title", "submitted_at", "review_outcome"]


class HeardReportInline(ReadOnlyInline):
    model = HeardReport
    fields = readonly_fields = ["order", "title", "reporter_name", "reporter_position", "body", "committee"]


def _fields(form, change, allowed) -> dict:
    """What the service is asked to write: on a change only what the user changed, so a form opened before someone
    else's edit does not put back that edit's other fields."""
    names = form.changed_data if change else form.cleaned_data
    return {name: form.cleaned_data[name] for name in names if name in allowed}


class MeetingRegisterAdmin(WriteThroughAdmin):
    """Committee staff keep the meeting register (opinions.meetings says so, and the service asks again)."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and can_create_cases(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and can_create_cases(request.user)


@admin.register(Meeting)
class MeetingAdmin(MeetingRegisterAdmin):
    list_display = ["__str__", "kind", "term", "session", "start_date", "end_date"]
    list_filter = ["kind", "term"]
    inlines = [HeardReportInline]

    def write(self, request, obj, form, change):
        fields = _fields(form, change, meetings.MEETING_FIELDS)
        if change:
            return meetings.meeting_update(meeting=obj, actor=request.user, **fields)
        return meetings.meeting_create(actor=request.user, **fields)


@admin.register(HeardReport)
class HeardReportAdmin(MeetingRegisterAdmin):
    list_display = ["title", "meeting", "order", "reporter_name", "body", "committee"]
    list_filter = ["meeting__term", "committee"]
    search_fields = ["title", "reporter_name"]

    def get_readonly_fields(self, request, obj=None):
        return ["meeting"] if obj is not None else []  # a report is added to a meeting and stays with it

    def write(self, request, obj, form, change):
        fields = _fields(form, change, meetings.HEARD_REPORT_FIELDS)
        if change:
            return meetings.heard_report_update(report=obj, actor=request.user, **fields)
        return meetings.heard_report_add(meeting=form.cleaned_data["meeting"], actor=request.user, **fields)


@admin.register(Case)
class CaseAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "kind", "lead_body", "status", "due_date", "is_public"]
    list_filter = ["status", "kind", "lead_body", "supervising_committee", "is_public"]
    search_fields = ["title", "doc_number", "opinion_text", "external_ref"]
    date_hierarchy = "issued_date"
    inlines = [ItemInline, ReportInline]


@admin.register(CaseItem)
class CaseItemAdmin(ReadOnlyHistoryAdmin):
    list_display = ["case", "number", "heading", "status", "responsible_body"]
    list_filter = ["status", "kind"]
    search_fields = ["heading", "text"]


@admin.register(Report)
class ReportAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "case", "kind", "submitted_at", "review_outcome"]
    list_filter = ["kind", "review_outcome"]


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["case", "requested_date", "previous_due_date", "decision", "decided_by"]
    list_filter = ["decision"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["case", "meeting", "satisfied", "basically_satisfied", "dissatisfied", "result"]
    list_filter = ["result"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["original_name", "case", "item", "report", "size", "uploaded_by", "uploaded_at"]


@admin.register(CaseDocument)
class CaseDocumentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["number", "kind", "case", "issued_by", "issued_at", "template"]
    list_filter = ["kind"]
    search_fields = ["number"]


@admin.register(DocNumberSequence)
class DocNumberSequenceAdmin(ViewOnly, admin.ModelAdmin):
    """文号 are given out by the services only: a number changed here could be given twice."""

    list_display = ["prefix", "year", "last_number"]


class DocumentTemplateForm(WriteForm):
    class Meta:
        model = DocumentTemplate
        fields = ["kind", "file", "note"]


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(WriteThroughAdmin):
    """A template is replaced by uploading a new version (checked: a placeholder the document does not have is
    refused by name); versions are never changed, so each issued document names the one it was made from. The
    built-in templates are the starting point to download, edit in Word and upload."""

    form = DocumentTemplateForm
    list_display = ["kind", "version", "original_name", "note", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    change_list_template = "admin/opinions/documenttemplate/change_list.html"

    def has_add_permission(self, request):
        return super().has_add_permission(request) and user_scope(request.user).is_admin

    def has_change_permission(self, request, obj=None):
        return False

    def write(self, request, obj, form, change):
        return services.document_template_upload(kind=form.cleaned_data["kind"], file=form.cleaned_data["file"],
                                                 note=form.cleaned_data["note"], actor=request.user)

    def get_urls(self):
        builtin = self.admin_site.admin_view(self.builtin_template)
        return [path("builtin/<str:kind>/", builtin, name="opinions_documenttemplate_builtin"), *super().get_urls()]

    def builtin_template(self, request, kind):
        if not self.has_view_permission(request) or kind not in DocumentKind.values:
            raise PermissionDenied
        return FileResponse(documents.builtin_template(kind), as_attachment=True, filename=f"{kind}.docx")

    def changelist_view(self, request, extra_context=None):
        builtin_kinds = [(kind, label, "、".join(documents.placeholders(kind))) for kind, label in DocumentKind.choices]
        extra_context = {**(extra_context or {}), "builtin_kinds": builtin_kinds}
        return super().changelist_view(request, extra_context)


class AdministratorsAdmin(WriteThroughAdmin):
    """Rules and the calendar are the administrators' (the services ask again); changed with a reason, never added
    or deleted one by one here: the rule sets are seeded per case kind and `calendar_enter_year` enters whole years,
    and a rule set added past its service would leave the open cases' reminders unplanned."""

    form = ReasonForm

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and user_scope(request.user).is_admin


@admin.register(RuleSet)
class RuleSetAdmin(AdministratorsAdmin):
    list_display = ["case_kind", "jurisdiction", "deadline_rule", "anchor_event", "roll_forward",
                    "extension_approver", "consultation_required", "reminder_days"]
    list_filter = ["jurisdiction"]
    fields = ["jurisdiction", "case_kind",
              *(field.name for field in RuleSet._meta.fields if field.name in services.RULE_SET_FIELDS), "reason"]
    readonly_fields = ["jurisdiction", "case_kind"]

    def write(self, request, obj, form, change):
        # Through the service, like the API: history with the user, and the open cases' reminders re-planned.
        return services.rule_set_update(rule_set=obj, actor=request.user, reason=form.cleaned_data["reason"],
                                        **_fields(form, change, services.RULE_SET_FIELDS))


class CalendarYearForm(forms.Form):
    """A whole year, as the State Council's notice gives it, or weekends only until it is out."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2099)
    holidays = forms.CharField(
        label=_("Statutory holidays"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line: 2027-01-01..2027-01-03:元旦. Weekends are rest days already."))
    make_up_workdays = forms.CharField(
        label=_("Weekend days worked (调休)"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: 2027-02-07:春节调休上班."))
    provisional = forms.BooleanField(
        label=_("Provisional: weekends only"), required=False,
        help_text=_("Before the State Council publishes the holidays. Every due date counted on it says 暂定 and is "
                    "recomputed when the official year is entered here."))
    replace = forms.BooleanField(label=_("Replace an official year already entered"), required=False)

    def clean(self):
        data = super().clean()
        try:
            data["rest_days"] = parse_lines(data.get("holidays", "").splitlines(), "法定节假日")
            data["workdays"] = parse_lines(data.get("make_up_workdays", "").splitlines(), "调休上班")
        except CalendarInputError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


@admin.register(CalendarDay)
class CalendarDayAdmin(AdministratorsAdmin):
    change_list_template = "admin/opinions/calendarday/change_list.html"
    list_display = ["date", "is_workday", "note", "source"]
    list_filter = ["is_workday", "source"]
    date_hierarchy = "date"
    search_fields = ["note"]
    fields = ["date", "is_workday", "note", "source", "reason"]
    readonly_fields = ["date", "source"]

    def write(self, request, obj, form, change):
        return services.calendar_day_update(day=obj, actor=request.user, is_workday=form.cleaned_data["is_workday"],
                                            note=form.cleaned_data["note"], reason=form.cleaned_data["reason"])

    def get_urls(self):
        return [path("enter-year/", self.admin_site.admin_view(self.enter_year), name="opinions_calendarday_year"),
                *super().get_urls()]

    def enter_year(self, request):
        """The whole-year form (calendar_year in the admin): through the same service, which over a provisional year
        recomputes the due dates counted on it."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = CalendarYearForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                entered = services.calendar_enter_year(
                    year=data["year"], actor=request.user, rest_days=data["rest_days"],
                    make_up_workdays=data["workdays"], provisional=data["provisional"], replace=data["replace"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(request, _(
                    "%(year)s entered: %(written)d days written; %(recomputed)d open cases recomputed, %(moved)d "
                    "due dates moved.") % {"year": data["year"], "written": entered.written,
                                           "recomputed": entered.recomputed, "moved": entered.moved},
                    messages.SUCCESS)
                return redirect("admin:opinions_calendarday_changelist")
        return TemplateResponse(request, "admin/opinions/calendarday/enter_year.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
            "title": _("Enter a whole year")})


@admin.register(AuditArea)
class AuditAreaAdmin(ReferenceDataAdmin):
    """The areas the audit office's lists use: edited here, with a reason; deactivated, never deleted."""

    list_display = ["name", "order", "active"]
    list_filter = ["active"]


@admin.register(AuditProblem)
class AuditProblemAdmin(ReadOnlyHistoryAdmin):
    list_display = ["reference", "audit_year", "area", "problem_type", "rectification_type", "verified_at"]
    list_filter = ["audit_year", "area", "rectification_type"]
    search_fields = ["reference", "problem_type", "item__heading"]


@admin.register(AuditReportText)
class AuditReportTextAdmin(ReadOnlyHistoryAdmin):
    list_display = ["case"]


@admin.register(AuditImport)
class AuditImportAdmin(ViewOnly, admin.ModelAdmin):
    """An import is the task's record: shown, never written here."""

    list_display = ["original_name", "case", "created_by", "created_at", "state", "rows", "finished_at"]
    list_filter = ["state"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["case", "step", "due_date", "fire_at", "state", "attempts", "next_attempt_at", "last_error",
                    "finished_at", "outcome"]
    list_filter = ["state", "step"]
    search_fields = ["case__title"]
    readonly_fields = [f.name for f in Reminder._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Try failed reminders again"), permissions=["change"])
    def retry(self, request, queryset):
        count = sweep.retry_failed(queryset.values_list("pk", flat=True))
        self.message_user(request, _("%(n)d reminders will be sent by the next sweep.") % {"n": count},
                          messages.SUCCESS)
