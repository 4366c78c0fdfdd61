from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from npc_tracker import submissions
from npc_tracker.errors import DomainError
from npc_tracker.submissions import once_per_submission

from .. import selectors
from ..models import Attachment, CaseDocument, CaseItem, Report
from ..responses import file_response
from ..services.attachments import attachment_add


class AttachmentUploadForm(forms.Form):
    # Empty files pass here so that the attachment service refuses them with its own message, naming the file.
    file = forms.FileField(allow_empty_file=True,
                           error_messages={"required": gettext_lazy("Choose a file to upload.")})
    item = forms.ModelChoiceField(queryset=None, required=False, error_messages={
        "invalid_choice": gettext_lazy("That item is not part of this case.")})
    report = forms.ModelChoiceField(queryset=None, required=False, error_messages={
        "invalid_choice": gettext_lazy("That report is not part of this case.")})

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = selectors.belonging_to(case, CaseItem)
        self.fields["report"].queryset = selectors.belonging_to(case, Report)


@login_required
@require_POST
@once_per_submission
def attachment_upload(request, pk):
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    # Errors go back to the top of the page, where messages are shown; a success goes to where the file now is.
    case_url = reverse("opinions:case_detail", args=[case.pk])
    form = AttachmentUploadForm(request.POST, request.FILES, case=case)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        submissions.refused(request)
        return redirect(case_url)
    item, report = form.cleaned_data["item"], form.cleaned_data["report"]
    try:
        attachment = attachment_add(case=case, actor=request.user, file=form.cleaned_data["file"], item=item,
                                    report=report)
    except DomainError as exc:
        messages.error(request, exc.message)
        submissions.refused(request)
        return redirect(case_url)
    messages.success(request, _("“%(name)s” uploaded.") % {"name": attachment.original_name})
    anchor = f"item-{item.number}" if item else "reports" if report else "attachments"
    return redirect(f"{case_url}#{anchor}")


@login_required
def document_download(request, document_pk):
    """A document the office issued on a case (交办通知, 催办通知…), to whoever sees the case."""
    return file_response(get_object_or_404(
        CaseDocument.objects.filter(case__in=selectors.cases_visible_to(request.user)), pk=document_pk))


@login_required
def attachment_download(request, attachment_pk):
    attachment = get_object_or_404(
        Attachment.objects.filter(case__in=selectors.cases_visible_to(request.user)), pk=attachment_pk)
    return file_response(attachment)
