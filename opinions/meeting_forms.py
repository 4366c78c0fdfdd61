"""Forms of the meeting register. They parse input only: the rules (term ≥ 1, end after start, no duplicate
meeting or report) are opinions.services.meetings' so every caller gets the same answer (design.md rule 1).

Fields are named as the services' keyword arguments, so a view hands cleaned_data over as it is.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Body, Committee

from . import choices
from .forms import DateInput
from .models import Meeting

# The storage limit of a PositiveSmallIntegerField; the service applies the meaningful range.
SMALL_INTEGER_MAX = 32767


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=choices.MeetingKind.choices,
                             initial=choices.MeetingKind.SC_MEETING)
    term = forms.IntegerField(label=_("Term (届)"), max_value=SMALL_INTEGER_MAX, help_text=_("e.g. 14"))
    session = forms.IntegerField(label=_("Session (次)"), max_value=SMALL_INTEGER_MAX, help_text=_("e.g. 15"))
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput,
                               help_text=_("Leave empty for a one-day meeting."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    members = forms.IntegerField(label=_("Members (组成人员)"), required=False, max_value=SMALL_INTEGER_MAX,
                                 help_text=_("All members of the Standing Committee at the time of the meeting."))
    present = forms.IntegerField(label=_("Members present"), required=False, max_value=SMALL_INTEGER_MAX,
                                 help_text=_("A satisfaction vote needs more than half of all members present."))

    @classmethod
    def initial_from(cls, meeting: Meeting) -> dict:
        return {name: getattr(meeting, name) for name in cls.base_fields}


class HeardReportForm(forms.Form):
    title = forms.CharField(label=_("Report heard"), max_length=300,
                            widget=forms.TextInput(attrs={"placeholder": "关于……情况的报告", "size": 60}))
    reporter_name = forms.CharField(label=_("Reporter"), max_length=50, required=False)
    reporter_position = forms.CharField(label=_("Reporter's position"), max_length=100, required=False,
                                        widget=forms.TextInput(attrs={"placeholder": "市发展和改革委员会主任"}))
    body = forms.ModelChoiceField(label=_("Reporting body"), queryset=Body.objects.filter(is_active=True),
                                  required=False)
    committee = forms.ModelChoiceField(
        label=_("Committee preparing the deliberation"), queryset=Committee.objects.filter(is_active=True),
        required=False, help_text=_("The committee that drafts the deliberation opinion, e.g. 财经工委."))
    order = forms.IntegerField(label=_("Agenda order"), required=False, max_value=SMALL_INTEGER_MAX,
                               help_text=_("Leave empty to add it after the last report."))
