"""Staff write a case as a draft (起草): its particulars, its numbered items and the opinion's text."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from npc_tracker.errors import DomainError
from npc_tracker.forms import refuse
from npc_tracker.submissions import once_per_submission

from .. import rules, selectors, services
from ..choices import CaseKind
from ..forms import COMMON_RULES, CaseForm, ItemFormSet, item_initial
from ..models import HeardReport
from ..permissions import available_actions, can_create_cases
from ..workflow import Action


class FromReportForm(forms.Form):
    report = forms.ModelChoiceField(label=gettext_lazy("Report heard"), required=False,
                                    queryset=HeardReport.objects.select_related("meeting"))


def _initial_from_heard_report(report: HeardReport | None) -> dict:
    """"Create a case from this report": the meeting's record fills in what staff would otherwise retype."""
    if report is None:
        return {}
    return {"meeting": report.meeting, "source_report_title": report.title, "reporter_name": report.reporter_name,
            "reporter_position": report.reporter_position, "lead_body": report.body,
            "drafting_committee": report.committee, "supervising_committee": report.committee,
            "title": f"关于{report.title.removeprefix('关于')}的审议意见" if report.title else ""}


def _render(request, form, formset, case=None, status=200):
    return render(request, "opinions/case_form.html", {
        "form": form, "formset": formset, "case": case, "common_rules": COMMON_RULES,
        "default_rules": json.dumps({kind: rules.default_rule_text(kind) for kind in CaseKind.values}),
    }, status=status)


def _save_draft(request, form, formset, case=None):
    fields = dict(form.cleaned_data)
    try:
        return services.draft_save(actor=request.user, case=case, items=formset.items_in_order(), **fields)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


@login_required
@once_per_submission
def case_create(request):
    if not can_create_cases(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form, formset = CaseForm(request.POST), ItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            case = _save_draft(request, form, formset)
            if case is not None:
                messages.success(request, _("Draft saved. Check it, then issue it to the body."))
                return redirect("opinions:case_detail", case.pk)
        return _render(request, form, formset, status=400)
    source = FromReportForm(request.GET)
    if not source.is_valid():
        return refuse(request, source)
    return _render(request, CaseForm(initial=_initial_from_heard_report(source.cleaned_data["report"])),
                   ItemFormSet(prefix="items"))


@login_required
@once_per_submission
def case_edit(request, pk):
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    if Action.EDIT_DRAFT not in available_actions(request.user, case):
        raise PermissionDenied
    if request.method == "POST":
        form, formset = CaseForm(request.POST), ItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid() and _save_draft(request, form, formset, case) is not None:
            messages.success(request, _("Draft saved."))
            return redirect("opinions:case_detail", case.pk)
        return _render(request, form, formset, case, status=400)
    return _render(request, CaseForm(initial=CaseForm.initial_from(case)),
                   ItemFormSet(prefix="items", initial=item_initial(case)), case)

