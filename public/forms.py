"""The staff's publish form (a step of the case page and of the API, opinions.actions) and the public search form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opinions.models import Attachment
from opinions.uploads import ACCEPT

from .models import Part
from .selectors import SEARCH_MAX_LENGTH


class CaseFileChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.original_name


class PublishForm(forms.Form):
    """What goes out. The case page offers only this case's files (public.actions); the service refuses any other."""

    parts = forms.MultipleChoiceField(
        label=_("What goes out besides the particulars and dates"), choices=Part.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Title, document number, kind, meeting, bodies, supervising committee and dates always go "
                    "out."))
    attachments = CaseFileChoice(
        label=_("Files that go out"), queryset=Attachment.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Files stay internal unless chosen here."))
    redacted_text = forms.CharField(
        label=_("Report text to publish (redacted copy)"), required=False, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Edit out what is confidential (涉密) or personal: this text goes out instead of the report as "
                    "submitted, which is then never shown. Left empty, the report goes out as submitted, unless a "
                    "redacted file is given."))
    redacted_file = forms.FileField(
        label=_("Redacted copy of the report as a file"), required=False, allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, Word or an image. With a file and no text above, the report's own text does not go out."))
    drop_redacted_file = forms.BooleanField(
        label=_("Withdraw the redacted file published before"), required=False,
        help_text=_("Publishing again keeps the redacted file published before unless another is uploaded."))


class SearchForm(forms.Form):
    """The public list's filters. A value that cannot be one (a year out of range, a body or kind that does not
    exist) is refused (400); one that merely finds nothing, as a year or a body with nothing published, is not."""

    q = forms.CharField(label=_("Search titles and document numbers"), required=False,
                        max_length=SEARCH_MAX_LENGTH, strip=True)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    body = forms.ChoiceField(label=_("Body"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, years, bodies, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["year"].widget = forms.Select(choices=everything + [(year, year) for year in years])
        self.fields["body"].choices = everything + [(name, name) for name in bodies]
        self.fields["kind"].choices = everything + list(kinds)
