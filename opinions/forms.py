"""Forms of the web pages: they parse and check the shape of input; the rules are the services' (design.md rule 1).

Every action form's fields are named as the service's keyword arguments, so a view can hand cleaned_data over.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agencies.models import Body, Committee
from npc_tracker.forms import IdsField

from . import choices, uploads
from .deadline_field import DeadlineRuleField
from .models import AuditProblem, Case, Meeting
from .services.drafts import DRAFT_PAGE_FIELDS, ITEM_INPUT


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in the attachment service, not here."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": uploads.ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


def offering(names, *extra):
    """The form offers `extra` and then exactly the fields `names` lists, in that order: the list is the service's,
    the declarations only say how each field is shown. A listed field without a declaration fails at import."""
    def build(form_class):
        form_class.base_fields = {name: form_class.base_fields[name] for name in (*extra, *names)}
        return form_class
    return build


@offering(DRAFT_PAGE_FIELDS)
class CaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=choices.CaseKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300,
                            widget=forms.TextInput(attrs={"placeholder": "关于……的审议意见"}))
    doc_number = forms.CharField(label=_("Document number"), max_length=50, required=False,
                                 widget=forms.TextInput(attrs={"placeholder": "安人常办〔2026〕12号"}))
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.all(), required=False)
    source_report_title = forms.CharField(label=_("Report heard"), max_length=300, required=False)
    reporter_name = forms.CharField(label=_("Reporter"), max_length=50, required=False)
    reporter_position = forms.CharField(label=_("Reporter's position"), max_length=100, required=False)
    lead_body = forms.ModelChoiceField(label=_("Lead body"), queryset=Body.objects.all())
    co_bodies = IdsField(
        label=_("Co-handling bodies"), queryset=Body.objects.all(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."))
    drafting_committee = forms.ModelChoiceField(label=_("Drafting committee"), queryset=Committee.objects.all(),
                                                required=False)
    supervising_committee = forms.ModelChoiceField(label=_("Supervising committee"),
                                                   queryset=Committee.objects.all(), required=False)
    consulted_committee = forms.ModelChoiceField(
        label=_("Consulted committee"), queryset=Committee.objects.all(), required=False,
        help_text=_("The committee whose comments the body seeks on its draft report, e.g. 预算工委."))
    deadline_rule = DeadlineRuleField(
        label=_("Deadline rule"), required=False,
        help_text=_("As the opinion says it: choose the kind, then N or the date. The rule set's default for the "
                    "case's kind is chosen for you."))
    hearing_meeting = forms.ModelChoiceField(
        label=_("Meeting that hears the report"), queryset=Meeting.objects.filter(kind=choices.MeetingKind.SC_MEETING),
        required=False, help_text=_("For a before_meeting:N rule: the due date is N days before this meeting."))
    deadline_rule_reason = forms.CharField(
        label=_("Reason for a different rule"), max_length=300, required=False,
        help_text=_("Required when the rule differs from the rule set, e.g. the time limit stated in the opinion."))
    deadline_quote = forms.CharField(label=_("Deadline as written in the opinion"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    report_type = forms.ChoiceField(label=_("Report required"), required=False,
                                    choices=[("", "—"), *choices.ReportType.choices])
    opinion_text = forms.CharField(label=_("Full text of the opinion"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 12}))

    @classmethod
    def initial_from(cls, case: Case) -> dict:
        initial = {name: getattr(case, name) for name in cls.base_fields if name != "co_bodies"}
        initial["co_bodies"] = list(case.co_bodies.all())
        return initial


@offering(ITEM_INPUT, "pk")
class ItemForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    heading = forms.CharField(label=_("Heading"), max_length=500)
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("Kind"), choices=choices.ItemKind.choices, initial=choices.ItemKind.OPINION)
    responsible_body = forms.ModelChoiceField(
        label=_("Responsible body"), queryset=Body.objects.all(), required=False,
        help_text=_("Only when not the lead body, e.g. a co-handling body."))
    amount = forms.DecimalField(label=_("Amount involved (10,000 yuan)"), required=False, min_value=0,
                                max_digits=14, decimal_places=2,
                                help_text=_("For audit problems: counts towards the rectification rate by amount."))


class BaseItemFormSet(forms.BaseFormSet):
    def clean(self):
        # Django takes a negative count of rows as none at all, which would silently remove every item.
        counts = self.management_form.cleaned_data
        if counts.get("TOTAL_FORMS", 0) < 0 or counts.get("INITIAL_FORMS", 0) < 0:
            raise forms.ValidationError(_("The item rows were sent malformed: reload the page and try again."))

    def items_in_order(self) -> list[dict]:
        """The filled-in rows in the order the user chose, without the ones marked for removal."""
        # A row left without an order number keeps its place on the page (Django would move it to the end).
        kept = [(index, form) for index, form in enumerate(self.forms)
                if (form.has_changed() or form.cleaned_data.get("pk")) and form not in self.deleted_forms]
        rows = [form for _index, form in sorted(kept, key=lambda pair: (pair[1].cleaned_data.get("ORDER")
                                                                         or pair[0] + 1, pair[0]))]
        return [{key: value for key, value in form.cleaned_data.items() if key not in ("ORDER", "DELETE")}
                for form in rows]


ItemFormSet = forms.formset_factory(ItemForm, formset=BaseItemFormSet, extra=1, can_order=True, can_delete=True,
                                    max_num=200)


def item_initial(case: Case) -> list[dict]:
    return [{"pk": item.pk, "heading": item.heading, "text": item.text, "kind": item.kind,
             "responsible_body": item.responsible_body, "amount": item.amount, "ORDER": item.number}
            for item in case.items.order_by("number")]


# ---------------------------------------------------------------- case actions


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalCommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class AcceptReportForm(OptionalCommentForm):
    """Accepting the report settles the items still open (opinions.workflow.SETTLING_ACTIONS), here or beforehand
    item by item; the case page leaves out what its items do not need."""

    verify_done = forms.TypedChoiceField(
        label=_("Items the body marked done"), required=False, coerce=lambda value: value == "yes", empty_value=False,
        choices=[("yes", _("Verify them (销号) with the acceptance")), ("no", _("Do not verify them now"))],
        widget=forms.RadioSelect)
    carry_over_reason = forms.CharField(
        label=_("Carry over the other open items (持续整改) because"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Every item still open is carried over for this reason. The report cannot be accepted while an "
                    "item is neither verified nor carried over."))
    next_report_date = forms.DateField(
        label=_("Next report on the carried-over items"), required=False, widget=DateInput,
        help_text=_("Required with a reason for carrying over: when the body next reports on them."))


class ConfirmForm(forms.Form):
    """Actions without input (publish): the button is the confirmation."""


class IssueForm(forms.Form):
    issued_date = forms.DateField(label=_("Issued on"), required=False, widget=DateInput,
                                  help_text=_("Empty means today."))


class AcknowledgeForm(forms.Form):
    received_date = forms.DateField(label=_("Received on"), required=False, widget=DateInput,
                                    help_text=_("Empty means today. Where the rule counts from receipt, the due date "
                                                "is recomputed from this date."))


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comments for the body"), widget=forms.Textarea(attrs={"rows": 4}))


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Report title"), max_length=300)
    text = forms.CharField(label=_("Report text"), widget=forms.Textarea(attrs={"rows": 10}))
    files = MultipleFileField(label=_("Attachments (PDF, OFD, Word, WPS, Excel, images)"), required=False)


class EvaluationForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting"), queryset=Meeting.objects.all(), required=False,
        help_text=_("The meeting must record its members and those present: a satisfaction vote needs more than half "
                    "of all members present."))
    entitled_to_vote = forms.IntegerField(label=_("Members entitled to vote"), min_value=1, max_value=999,
                                          required=False,
                                          help_text=_("Empty means the members present recorded for the meeting."))
    satisfied = forms.IntegerField(label=_("Satisfied"), min_value=0, max_value=999)
    basically_satisfied = forms.IntegerField(label=_("Basically satisfied"), min_value=0, max_value=999)
    dissatisfied = forms.IntegerField(label=_("Dissatisfied"), min_value=0, max_value=999)
    follow_up = forms.CharField(
        label=_("Follow-up items, one per line"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the body must still do (e.g. for 基本满意). Each line becomes an item of the case: carried "
                    "over (持续整改) until the next report date when the vote closes the case, handled in the new "
                    "report when it is dissatisfied."))
    next_report_date = forms.DateField(
        label=_("Next report on the follow-up items"), required=False, widget=DateInput,
        help_text=_("Required with follow-up items when the vote closes the case."))
    redo_due_date = forms.DateField(label=_("New due date if dissatisfied"), required=False, widget=DateInput,
                                    help_text=_("Empty means the next Standing Committee session."))


class ExtensionRequestForm(forms.Form):
    requested_date = forms.DateField(label=_("Proposed due date"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


EXTENSION_DECISIONS = [("yes", _("Approve")), ("no", _("Refuse"))]
SIGNOFF_DECISIONS = [("yes", _("Sign off: it may be numbered and issued")), ("no", _("Return it for revision"))]


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda value: value == "yes",
                                     choices=EXTENSION_DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SignOffForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda value: value == "yes",
                                     choices=SIGNOFF_DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Required when the draft is returned: what must change."))


class PressForm(forms.Form):
    note = forms.CharField(label=_("Note in the notice"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Optional: a paragraph the 催办通知 adds, e.g. what the body still owes."))


class FurtherSupervisionForm(forms.Form):
    measure = forms.ChoiceField(label=_("Measure"), choices=choices.FurtherSupervision.choices,
                                widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Decision and grounds"), widget=forms.Textarea(attrs={"rows": 3}))


# ---------------------------------------------------------------- item actions


def _rectified_amount_field():
    return forms.DecimalField(label=_("Amount rectified so far (10,000 yuan)"), required=False, min_value=0,
                              max_digits=14, decimal_places=2, help_text=_("At most the amount involved."))


class ProgressForm(forms.Form):
    progress_note = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label=_("Measures taken (optional)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    rectified_amount = _rectified_amount_field()
    files = MultipleFileField(label=_("Evidence (PDF, OFD, Word, WPS, Excel, images)"), required=False)


def _way_field(label):
    return forms.DecimalField(label=label, required=False, min_value=0, max_digits=14, decimal_places=2,
                              help_text=_("10,000 yuan"))


def _count_field(name):
    return forms.IntegerField(label=capfirst(AuditProblem._meta.get_field(name).verbose_name), required=False,
                              min_value=0, max_value=100000)


class AuditReportForm(forms.Form):
    """An audit problem's unit reports: progress, the money rectified so far by way (totals to date; their sum is
    the amount rectified), rules made and accountability (services.audit_problem_report). A figure left empty
    keeps the one recorded."""

    progress_note = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    paid_to_treasury = _way_field(choices.RECTIFIED_BY_WAY[0][1])
    disbursed = _way_field(choices.RECTIFIED_BY_WAY[1][1])
    accounts_adjusted = _way_field(choices.RECTIFIED_BY_WAY[2][1])
    returned_to_source = _way_field(choices.RECTIFIED_BY_WAY[3][1])
    losses_recovered = _way_field(choices.RECTIFIED_BY_WAY[4][1])
    rules_made = _count_field("rules_made")
    people_dealt_with = _count_field("people_dealt_with")
    matters_referred = _count_field("matters_referred")
    files = MultipleFileField(label=_("Evidence (PDF, OFD, Word, WPS, Excel, images)"), required=False)

    WAYS = tuple(name for name, _label in choices.RECTIFIED_BY_WAY)

    def field_for_error(self, name: str) -> str | None:
        """Where the service's refusal of the amount rectified (the ways' sum) is shown: beside the way the user
        changed, else the first one filled in."""
        if name != "rectified_amount":
            return None
        changed = [way for way in self.WAYS if way in self.changed_data]
        filled = [way for way in self.WAYS if self.cleaned_data.get(way) is not None]
        return (changed or filled or [self.WAYS[0]])[0]


class MarkDoneForm(forms.Form):
    measures = forms.CharField(label=_("Measures taken and results"), widget=forms.Textarea(attrs={"rows": 3}))
    rectified_amount = _rectified_amount_field()
    files = MultipleFileField(label=_("Evidence (PDF, OFD, Word, WPS, Excel, images)"), required=False)


class ItemNoteForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ItemReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CarryOverForm(ItemReasonForm):
    next_report_date = forms.DateField(label=_("Next report due"), widget=DateInput,
                                       help_text=_("When the body next reports on this item."))
