"""The audit-problem ledger's pages (审计查出问题整改台账, issue 15): the ledger with its 整改率, 屡审屡犯 confirmed
by the staff, its Excel 台账, and the import of the audit office's list. The same features as /api/v1/audit-problems/
(opinions.api.audit), through the same selectors, FilterSet and services."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.models import Body
from agencies.selectors import user_scope
from npc_tracker import submissions
from npc_tracker.errors import DomainError
from npc_tracker.forms import refuse
from npc_tracker.submissions import once_per_submission

from .. import audit_exports, audit_figures, audit_import, audit_report, selectors, services, tasks
from ..choices import ITEM_STATUS_CHOICES, CaseKind, RectificationType
from ..filtersets import AuditProblemFilterSet
from ..models import AuditArea, AuditImport, AuditProblem, AuditReportText, Case
from ..permissions import case_roles
from ..services.audit import LIST_OPEN_STATUSES
from ..workflow import Role

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The filters shown, in this order; `case` is set from a case's page and shown only when it is.
FILTERS = ("audit_year", "unit", "area", "status", "rectification_type", "repeat")


def _filtered(request) -> AuditProblemFilterSet:
    """The rows the user may see, filtered. Each select offers only what can match: the units of those rows, the
    audit cases the user sees."""
    visible = selectors.audit_problems_visible_to(request.user)
    filterset = AuditProblemFilterSet(request.GET, queryset=visible)
    fields = filterset.form.fields
    fields["unit"].queryset = Body.objects.filter(pk__in=visible.values("item__responsible_body")).order_by("name")
    fields["area"].queryset = AuditArea.objects.all()
    fields["case"].queryset = (selectors.cases_visible_to(request.user).filter(kind=CaseKind.AUDIT_RECTIFICATION)
                               .order_by("-pk"))
    return filterset


def _ordered(problems):
    return problems.order_by("audit_year", "reference", "pk")


@login_required
def audit_ledger(request):
    filterset = _filtered(request)
    problems = filterset.qs
    figures = audit_figures.rectification(problems)
    paginator = Paginator(_ordered(problems).select_related("item__case", "item__responsible_body", "area",
                                                             "repeat_of"), PAGE_SIZE)
    paginator.count = figures.problems  # the same rows, counted with the figures: no second COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _label(request.user, rows, back=request.GET.urlencode())
    query = request.GET.copy()
    query.pop("page", None)
    without_group = query.copy()
    for name in ("unit", "area", "page"):
        without_group.pop(name, None)
    case = filterset.form.cleaned_data.get("case") if filterset.is_valid() else None
    return render(request, "opinions/audit/ledger.html", {
        "filter": filterset,
        "filters": [filterset.form[name] for name in FILTERS],
        "case_filter": filterset.form["case"],
        "chosen_case": case,
        "figures": figures,
        "by_unit": audit_figures.rectification_by(problems, "unit"),
        "by_area": audit_figures.rectification_by(problems, "area"),
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "group_query": without_group.urlencode(),
        "can_import": user_scope(request.user).is_staff,
        "filtered": any(request.GET.get(name) for name in (*FILTERS, "case")),
    }, status=200 if filterset.is_valid() else 400)


def _label(user, rows: list[AuditProblem], *, back: str) -> None:
    """What each row shows beyond its fields: the labels, and for the staff of its case the earlier problems it may
    repeat (one query for the page)."""
    statuses = {value: str(label) for value, label in ITEM_STATUS_CHOICES}
    kinds = {value: str(label) for value, label in RectificationType.choices}
    confirming = []
    if user_scope(user).is_staff:
        cases = {}  # one object per case, so its roles are worked out once
        confirming = [row for row in rows if row.repeat_of_id is None and Role.STAFF in case_roles(
            user, cases.setdefault(row.item.case_id, row.item.case))]
    suggested = audit_figures.suggested_repeats(confirming)
    for row in rows:
        row.status_label = statuses.get(row.item.status, row.item.status)
        row.kind_label = kinds.get(row.rectification_type, row.rectification_type)
        row.suggested = suggested.get(row.pk, [])
        row.back = back


@login_required
def audit_ledger_export(request):
    """The filtered ledger as the Excel 台账: a sheet of problems and the rates per unit and per area."""
    filterset = _filtered(request)
    if not filterset.is_valid():
        return HttpResponseBadRequest(" ".join(str(e) for errors in filterset.errors.values() for e in errors))
    return FileResponse(audit_exports.ledger_workbook(filterset.qs), as_attachment=True,
                        filename=f"audit-ledger-{selectors.today():%Y%m%d}.xlsx", content_type=XLSX)


class RepeatForm(forms.Form):
    """屡审屡犯: one of the earlier problems suggested for this one."""

    repeat_of = forms.TypedChoiceField(label=gettext_lazy("Repeat of"), coerce=int, error_messages={
        "invalid_choice": gettext_lazy("That problem is not among the earlier ones of the same unit and type.")})
    back = forms.CharField(required=False)  # the ledger's query string, to return to the same rows

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {candidate.pk: candidate for candidate in candidates}
        self.fields["repeat_of"].choices = [(pk, candidate.reference) for pk, candidate in self.candidates.items()]


@login_required
@require_POST
@once_per_submission
def audit_confirm_repeat(request, pk):
    problem = get_object_or_404(selectors.audit_problems_visible_to(request.user).select_related("item__case"),
                                pk=pk)
    if Role.STAFF not in case_roles(request.user, problem.item.case):
        raise PermissionDenied(_("Only the committee staff of this case confirm repeat findings."))
    candidates = audit_figures.suggested_repeats([problem]).get(problem.pk, [])
    form = RepeatForm(request.POST, candidates=candidates)
    if not form.is_valid():
        return refuse(request, form)
    back = f"{reverse('opinions:audit_ledger')}?{form.cleaned_data['back']}#problem-{problem.pk}"
    earlier = form.candidates[form.cleaned_data["repeat_of"]]
    try:
        services.audit_problem_confirm_repeat(problem=problem, actor=request.user, repeat_of=earlier)
    except DomainError as exc:
        messages.error(request, exc.message)
        submissions.refused(request)
        return redirect(back)
    messages.success(request, _("%(reference)s confirmed as a repeat (屡审屡犯) of %(earlier)s of %(year)d.")
                     % {"reference": problem.reference, "earlier": earlier.reference, "year": earlier.audit_year})
    return redirect(back)


def _import_cases(user) -> list[Case]:
    """The audit rectification cases whose list the user may import into now: those they are staff on, the list
    still open (services.audit.check_list_case). A handful a year, so the roles are worked out case by case."""
    candidates = (selectors.cases_visible_to(user).filter(kind=CaseKind.AUDIT_RECTIFICATION,
                                                          status__in=LIST_OPEN_STATUSES).order_by("-pk"))
    return [case for case in candidates if Role.STAFF in case_roles(user, case)]


class AuditImportForm(forms.Form):
    case = forms.ModelChoiceField(label=gettext_lazy("Audit rectification case"), queryset=Case.objects.none(),
                                  empty_label=None)
    file = forms.FileField(label=gettext_lazy("The audit office's problem list (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
                           help_text=gettext_lazy("The filled-in template: one row per problem."))

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = Case.objects.filter(pk__in=[case.pk for case in cases]).order_by("-pk")


@login_required
@once_per_submission
def audit_import_page(request):
    """Committee staff import the audit office's list into an audit rectification case. The file is kept and a task
    imports it (opinions.audit_import); the import's own page shows how far it has got, then the result, or every
    error by row and column with nothing imported."""
    if not user_scope(request.user).is_staff:
        raise PermissionDenied(_("Only committee staff import audit problems."))
    cases = _import_cases(request.user)
    status = 200
    if request.method == "POST":
        form = AuditImportForm(request.POST, request.FILES, cases=cases)
        if form.is_valid():
            try:
                job = audit_import.start(case=form.cleaned_data["case"], actor=request.user,
                                         file=form.cleaned_data["file"], then=tasks.run_audit_import.delay)
            except DomainError as exc:
                form.add_error("file" if exc.field == "file" else "case", exc.message)
            else:
                return redirect("opinions:audit_import_job", pk=job.pk)
        status = 400
    else:
        chosen = request.GET.get("case", "")
        form = AuditImportForm(initial={"case": int(chosen) if chosen.isdigit() else None}, cases=cases)
    return render(request, "opinions/audit/import.html", {"form": form, "has_cases": bool(cases)}, status=status)


@login_required
def audit_import_job(request, pk):
    """One import, as its author sees it: queued and running with its progress (the page reloads itself until it
    is done), then what was imported, or every error by row and column (nothing imported) and the form again."""
    job = get_object_or_404(AuditImport.objects.select_related("case"), pk=pk, created_by=request.user)
    running = job.state in (AuditImport.State.QUEUED, AuditImport.State.RUNNING)
    if job.state == AuditImport.State.DONE:
        messages.success(request, _("Imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged")
                         % {"created": job.created, "updated": job.updated, "unchanged": job.unchanged})
        return redirect(f"{reverse('opinions:audit_ledger')}?case={job.case_id}")
    form = None
    cases = [] if running else _import_cases(request.user)
    if cases:  # the form again, for the corrected list, while the user may still import into a case
        form = AuditImportForm(initial={"case": job.case_id}, cases=cases)
    return render(request, "opinions/audit/import_job.html", {
        "job": job, "running": running, "progress": audit_import.progress_of(job), "form": form,
        "errors": [audit_import.RowError(**error) for error in job.errors]})


@login_required
def audit_template(request):
    return FileResponse(audit_import.template_workbook(), as_attachment=True, filename="审计查出问题清单模板.xlsx",
                        content_type=XLSX)


class AuditReportTextForm(forms.Form):
    introduction = forms.CharField(label=gettext_lazy("Introduction"), required=False, max_length=20000,
                                   widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text=gettext_lazy("Placed before the overall figures, which come from the "
                                                          "ledger."))
    measures = forms.CharField(label=gettext_lazy("Main measures taken"), required=False, max_length=20000,
                               widget=forms.Textarea(attrs={"rows": 6}))
    next_steps = forms.CharField(label=gettext_lazy("Next steps"), required=False, max_length=20000,
                                 widget=forms.Textarea(attrs={"rows": 4}))


def _audit_case(request, pk) -> Case:
    return get_object_or_404(selectors.cases_visible_to(request.user).filter(kind=CaseKind.AUDIT_RECTIFICATION),
                             pk=pk)


@login_required
@once_per_submission
def audit_report_page(request, pk):
    """The December report of an audit rectification case: its figures are the ledger's, shown here as they will
    be printed; the staff write its own words (each save a version) and issue it (a copy kept on the case)."""
    case = _audit_case(request, pk)
    is_staff = Role.STAFF in case_roles(request.user, case)
    words = AuditReportText.objects.filter(case=case).first()
    status = 200
    if request.method == "POST":
        if not is_staff:
            raise PermissionDenied(_("Only the committee staff of this case write its December report."))
        form = AuditReportTextForm(request.POST)
        if form.is_valid():
            try:
                if "issue" in request.POST:
                    services.audit_report_text_save(case=case, actor=request.user, **form.cleaned_data)
                    attachment = services.audit_report_attach(case=case, actor=request.user)
                    messages.success(request, _("Report issued and kept on the case: %(name)s")
                                     % {"name": attachment.original_name})
                    return redirect("opinions:case_detail", pk=case.pk)
                services.audit_report_text_save(case=case, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The report's text is saved."))
                return redirect("opinions:audit_report", pk=case.pk)
        status = 400
    else:
        form = AuditReportTextForm(initial={name: getattr(words, name, "") for name in
                                            ("introduction", "measures", "next_steps")})
    problems = AuditProblem.objects.filter(item__case=case)
    return render(request, "opinions/audit/report.html", {
        "case": case, "form": form if is_staff else None, "words": words,
        "title": audit_report.report_title(audit_report.audit_year_of(case)) if problems.exists() else None,
        "summary": audit_report.summary_sentence(audit_report.figures(case)) if problems.exists() else None,
        "versions": words.history.count() if words else 0}, status=status)


@login_required
def audit_report_docx(request, pk):
    case = _audit_case(request, pk)
    try:
        output = audit_report.build(case, as_of=selectors.today())
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("opinions:audit_report", pk=case.pk)
    name = f"{audit_report.report_title(audit_report.audit_year_of(case))}.docx"
    return FileResponse(output, as_attachment=True, filename=name, content_type=DOCX)
