"""Admin: every model with its history. Lifecycle fields are read-only here: status, due dates and decisions
change only through services (design.md rules 1, 2)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    Attachment,
    CalendarDay,
    Case,
    CaseItem,
    Evaluation,
    Extension,
    HeardReport,
    Meeting,
    Reminder,
    Report,
    RuleSet,
)
from .reminders import sweep


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


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "term", "session", "start_date", "end_date"]
    list_filter = ["kind", "term"]
    inlines = [HeardReportInline]


@admin.register(HeardReport)
class HeardReportAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting", "order", "reporter_name", "body", "committee"]
    list_filter = ["meeting__term", "committee"]
    search_fields = ["title", "reporter_name"]
    readonly_fields = ["meeting"]


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "lead_body", "status", "due_date", "is_public"]
    list_filter = ["status", "kind", "lead_body", "supervising_committee", "is_public"]
    search_fields = ["title", "doc_number", "opinion_text", "external_ref"]
    date_hierarchy = "issued_date"
    readonly_fields = ["status", "is_public", "due_date", "original_due_date", "due_basis", "issued_date",
                       "received_date", "submitted_date", "closed_date", "deadline_rule", "created_by", "created_at"]
    autocomplete_fields = ["lead_body", "co_bodies", "drafting_committee", "supervising_committee",
                           "consulted_committee"]
    inlines = [ItemInline, ReportInline]


@admin.register(CaseItem)
class CaseItemAdmin(SimpleHistoryAdmin):
    list_display = ["case", "number", "heading", "status", "responsible_body"]
    list_filter = ["status", "kind"]
    search_fields = ["heading", "text"]
    readonly_fields = ["case", "number", "status"]


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["title", "case", "kind", "submitted_at", "review_outcome"]
    list_filter = ["kind", "review_outcome"]
    # The text is what was submitted, and the stored diffs (Report.changes) are computed from it.
    readonly_fields = ["case", "kind", "submitted_by", "submitted_at", "text"]


@admin.register(Extension)
class ExtensionAdmin(SimpleHistoryAdmin):
    list_display = ["case", "requested_date", "previous_due_date", "decision", "decided_by"]
    list_filter = ["decision"]
    readonly_fields = ["case", "requested_date", "previous_due_date", "requested_by", "requested_at"]


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["case", "meeting", "satisfied", "basically_satisfied", "dissatisfied", "result"]
    list_filter = ["result"]
    readonly_fields = ["case", "entitled_to_vote", "satisfied", "basically_satisfied", "dissatisfied",
                       "recorded_by", "recorded_at"]


@admin.register(Attachment)
class AttachmentAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "case", "item", "report", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["case", "item", "report", "file", "original_name", "content_type", "size", "uploaded_by"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RuleSet)
class RuleSetAdmin(SimpleHistoryAdmin):
    list_display = ["case_kind", "jurisdiction", "deadline_rule", "anchor_event", "roll_forward",
                    "extension_approver", "consultation_required", "reminder_days"]
    list_filter = ["jurisdiction"]

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Through the service, like the API: history with the user, and the open cases' reminders re-planned.
        services.rule_set_update(rule_set=obj, actor=request.user,
                                 **{name: form.cleaned_data[name] for name in form.changed_data
                                    if name in services.RULE_SET_FIELDS})


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "is_workday", "note", "source"]
    list_filter = ["is_workday", "source"]
    date_hierarchy = "date"
    search_fields = ["note"]


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
