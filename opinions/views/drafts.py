"""Staff write a case as a draft (起草): its particulars, its numbered items and the opinion's text."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from npc_tracker.errors import DomainError
from npc_tracker.forms import refuse
from npc_tracker.submissions import once_per_submission

from .. import rules, selectors, services
from ..choices import CaseKind
from ..deadline_field import (
    PREVIEW_PARAMETERS,
    DeadlinePreviewForm,
    explanation_language,
    rule_parts,
    rule_words,
)
from ..forms import CaseForm, ItemFormSet, item_initial
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


def deadline_preview_of(kind: str, rule_text: str, anchor, lang: str, meeting=None) -> dict:
    """The due date a rule gives a case of this kind, with its explanation, or why it cannot be computed yet; an
    empty rule is the rule set's default. Counted as the case will be: from the end of its meeting where the rule set
    says so, else from `anchor` taken as the day of the rule set's anchor event (receipt in Henan)."""
    default = rules.default_rule_text(kind)
    effective = rule_text or default
    rule_set = rules.rule_set_for(kind)
    anchor_event = rule_set.anchor_event if rule_set else "issue"
    if anchor_event == "meeting":
        # As services.case_issue: the meeting's last day, or the issue date while the case names no meeting.
        anchor_event, anchor = ("meeting", meeting.last_date) if meeting else ("issue", anchor)
    answer = {
        "rule": effective, "words": rule_words(effective, lang) if effective else "", "default_rule": default,
        "anchor_event": anchor_event, "anchor_date": anchor.isoformat(),
        "due": None, "explanation": "", "provisional": False, "error": None, "reason_needed": "",
    }
    if effective != default:
        answer["reason_needed"] = _(
            "This differs from the rule set's default (%(default)s): state the reason below.") % {
            "default": rule_words(default, lang) if default else _("none")}
    if not effective:
        answer["error"] = {"code": "no_rule", "detail": _(
            "The rule set sets no time limit for this kind: the case gets no due date unless you choose one.")}
        return answer
    try:
        due = rules.compute_due(effective, case_kind=kind, anchor_event=answer["anchor_event"], anchor_date=anchor)
    except DomainError as exc:
        answer["error"] = {"code": exc.code, "detail": exc.message}
    else:
        answer.update(due=due.due.isoformat(), explanation=due.explain(lang), provisional=due.provisional)
    return answer


def _page_preview(form) -> dict | None:
    """The preview drawn with the page (the script redraws it as the choice changes): of the rule as saved, or as
    sent when it reads."""
    if form.is_bound:
        data = getattr(form, "cleaned_data", {})
        if "kind" not in data or "deadline_rule" not in data:
            return None
        kind, rule, meeting = data["kind"], data["deadline_rule"], data.get("meeting")
    else:
        kind = form.initial.get("kind") or CaseKind.values[0]
        parts = form.initial.get("deadline_rule") or ""
        rule = "" if isinstance(parts, list) and parts[4] else _rule_text_or_none(parts)
        if rule is None:
            return None
        meeting = form.initial.get("meeting")
    return deadline_preview_of(kind, rule, selectors.today(), explanation_language(), meeting=meeting)


def _rule_text_or_none(parts) -> str | None:
    try:
        return DeadlinePreviewForm.base_fields["deadline_rule"].clean(parts)
    except forms.ValidationError:
        return None


def _with_default_preselected(initial: dict) -> dict:
    """The rule set's default for the case's kind, chosen on a new draft; the deadline's inputs of a draft, with the
    default marked when that is what it has (it then follows the kind, see deadline_field.rule_text_from)."""
    kind = initial.setdefault("kind", CaseKind.values[0])
    default = rules.default_rule_text(kind)
    initial["deadline_rule"] = rule_parts(initial.get("deadline_rule", default), default)
    return initial


def _render(request, form, formset, case=None, status=200):
    return render(request, "opinions/case_form.html", {
        "form": form, "formset": formset, "case": case, "preview": _page_preview(form),
        "preview_anchor": selectors.today(),
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
    initial = _with_default_preselected(_initial_from_heard_report(source.cleaned_data["report"]))
    return _render(request, CaseForm(initial=initial), ItemFormSet(prefix="items"))


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
    return _render(request, CaseForm(initial=_with_default_preselected(CaseForm.initial_from(case))),
                   ItemFormSet(prefix="items", initial=item_initial(case)), case)


@login_required
@require_GET
@never_cache
def deadline_preview(request):
    """The draft page's preview of a deadline (JSON): the due date, its explanation and whether it is provisional
    (暂定), or why it cannot be computed yet. Committee staff only; nothing is saved."""
    if not can_create_cases(request.user):
        raise PermissionDenied
    form = DeadlinePreviewForm(request.GET)
    fields = {name: [_("Unknown parameter.")] for name in sorted(set(request.GET) - PREVIEW_PARAMETERS)}
    if not form.is_valid() or fields:
        fields.update({name: [str(error) for error in errors] for name, errors in form.errors.items()})
        detail = next(iter(fields.values()))[0]
        return JsonResponse({"code": "invalid", "detail": detail, "fields": fields}, status=400)
    data = form.cleaned_data
    return JsonResponse(deadline_preview_of(data["kind"], data["deadline_rule"], data["anchor"] or selectors.today(),
                                           explanation_language(), meeting=data["meeting"]))

