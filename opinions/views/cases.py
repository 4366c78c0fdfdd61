
import hashlib
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import ModelChoiceField
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.selectors import user_scope
from npc_tracker import submissions
from npc_tracker.errors import DomainError
from npc_tracker.forms import IdsField, refuse
from npc_tracker.submissions import once_per_submission

from .. import documents, exports, rules, selectors, services, uploads
from ..choices import CASE_STATUS_LABELS, RECTIFIED_BY_WAY, CaseKind, DocumentKind
from ..filtersets import CaseFilterSet
from ..models import Case
from ..permissions import available_actions, can_create_cases, can_upload_case_files, case_roles
from ..reminders.log import case_reminder_log
from ..services.audit import LIST_OPEN_STATUSES
from ..workflow import Action, CaseStatus, Role
from .offered import case_actions_for, item_actions_for

PAGE_SIZE = 50
# The filters most lists need; the rest (the dashboard's links use them) wait behind "More filters".
MAIN_FILTERS = ("q", "status", "kind", "body", "committee", "meeting", "year", "due_within", "overdue")
SORTABLE = {"due_date", "-due_date", "title", "-title", "status", "-status", "issued_date", "-issued_date"}


def _filtered(request):
    filterset = CaseFilterSet(request.GET, queryset=selectors.case_list(request.user))
    sort = request.GET.get("sort", "")
    cases = filterset.qs.order_by(sort, "-pk") if sort in SORTABLE else selectors.by_urgency(filterset.qs)
    return filterset, cases


@login_required
def case_list(request):
    filterset, cases = _filtered(request)
    counts = selectors.status_counts(filterset.qs)
    paginator = Paginator(cases, PAGE_SIZE)
    paginator.count = sum(counts.values())  # the same rows, counted by status already: no second COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    _share_choices(filterset.form)
    today, soon = selectors.today(), selectors.due_soon()
    # Translated once per page: get_FOO_display hashes the field's lazy choices on every call (4 ms a page).
    kinds = {kind: str(label) for kind, label in CaseKind.choices}
    statuses = {status: str(label) for status, label in CASE_STATUS_LABELS.items()}
    for case in page:
        case.kind_label, case.status_label = kinds.get(case.kind, case.kind), statuses[case.status]
        case.rag = selectors.rag(case, today, soon)
        case.days_left = case.days_to_due(today)
        case.days_overdue = case.days_past_due(today)
    query = request.GET.copy()
    query.pop("page", None)
    sortless = query.copy()
    sortless.pop("sort", None)
    more = [name for name in filterset.form.fields if name not in MAIN_FILTERS]
    return render(request, "opinions/case_list.html", {
        "filter": filterset,
        "main_filters": _rendered_fields(filterset.form, MAIN_FILTERS),
        "more_filters": _rendered_fields(filterset.form, more),
        "more_filters_open": any(request.GET.get(name) for name in more),
        "page": page,
        "status_counts": [(status, CASE_STATUS_LABELS[CaseStatus(status)], n)
                          for status, n in sorted(counts.items(),
                                                  key=lambda pair: list(CaseStatus).index(CaseStatus(pair[0])))],
        # Only an empty page asks (to tell "nothing matches" from "nothing yet"): one query fewer on every other.
        "total": selectors.cases_visible_to(request.user).count,
        "query": query.urlencode(),
        "sortless_query": sortless.urlencode(),
        "can_create": can_create_cases(request.user),
        "status_has_drafts": any(case.status == CaseStatus.DRAFT for case in page),
        "user_is_liaison": bool(user_scope(request.user).liaison_body_ids),
    }, status=200 if filterset.is_valid() else 400)


@dataclass(frozen=True)
class _RenderedField:
    label: str
    html: str

    def __str__(self) -> str:  # a SafeString, as a bound field's
        return self.html

    __html__ = __str__


def _rendered_fields(form, names) -> list:
    """The filter fields as HTML. A select's HTML is kept in the cache under everything it is made of (language,
    chosen values, label, every option), so never stale: rendering the selects' two hundred options was a third of
    the page's CPU. Only choices are kept, so what users type (a search, a date) never grows the cache."""
    if form.errors:
        return [form[name] for name in names]
    language, rendered = get_language(), []
    for name in names:
        field = form.fields[name]
        options = [(str(value), str(label)) for value, label in getattr(field.widget, "choices", ())]
        chosen = form.data.getlist(name)
        if not options or not set(chosen) <= {value for value, _label in options}:
            rendered.append(form[name])
            continue
        made_of = (language, name, chosen, str(field.label), options)
        key = "case-filter:" + hashlib.sha256(repr(made_of).encode()).hexdigest()
        html = cache.get(key)
        if html is None:
            html = str(form[name])
            cache.set(key, html, 3600)
        rendered.append(_RenderedField(str(field.label), mark_safe(html)))
    return rendered


def _share_choices(form) -> None:
    """Filters over the same model (body and lead body, committee and supervising committee) list the same rows:
    read each list once for the page, not once per select."""
    read = {}
    for field in form.fields.values():
        if isinstance(field, ModelChoiceField):
            key = (str(field.queryset.query), field.empty_label)
            if key not in read:
                read[key] = list(iter(field.choices))  # iter(): list() would COUNT(*) first for its length
            field.widget.choices = read[key]


@login_required
def case_export(request):
    """The filtered list as CSV, streamed."""
    filterset, cases = _filtered(request)
    if not filterset.is_valid():
        return HttpResponseBadRequest(" ".join(str(e) for errors in filterset.errors.values() for e in errors))
    response = StreamingHttpResponse(exports.ledger_csv(cases), content_type="text/csv; charset=utf-8")
    name = f"cases-{selectors.today():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def case_export_xlsx(request):
    """The filtered list as the Excel ledger (台账): a sheet of cases and a sheet of their items."""
    filterset, cases = _filtered(request)
    if not filterset.is_valid():
        return HttpResponseBadRequest(" ".join(str(e) for errors in filterset.errors.values() for e in errors))
    return FileResponse(exports.ledger_workbook(cases), as_attachment=True,
                        filename=f"ledger-{selectors.today():%Y%m%d}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class BulkIssueForm(forms.Form):
    case = IdsField(label=gettext_lazy("Cases"), queryset=Case.objects.none(), required=False)
    back = forms.CharField(required=False)  # the list's query string, to return to the same filters

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = selectors.cases_visible_to(user)


@login_required
@require_POST
@once_per_submission
def case_bulk_issue(request):
    """Issue several drafts at once: each on its own, so one refusal does not hold back the others."""
    form = BulkIssueForm(request.POST, user=request.user)
    if not form.is_valid():
        return refuse(request, form)
    drafts = form.cleaned_data["case"]
    if not drafts:
        messages.error(request, _("Tick the drafts to issue first."))
    issued, refused = [], []
    for case in drafts:
        try:
            services.case_issue(case=case, actor=request.user)
        except DomainError as exc:
            refused.append(f"{case.title}：{exc.message}")
        else:
            issued.append(case.title)
    if issued:
        messages.success(request, ngettext("%(n)d case issued.", "%(n)d cases issued.", len(issued))
                         % {"n": len(issued)})
    for reason in refused:
        messages.error(request, _("Not issued: %(reason)s") % {"reason": reason})
    if not issued:
        submissions.refused(request)
    return redirect(f"{reverse('opinions:case_list')}?{form.cleaned_data['back']}")


@login_required
def case_detail(request, pk):
    return render_case(request, get_object_or_404(selectors.cases_visible_to(request.user), pk=pk))


# A printed case lists this many items; an audit case's thousands of problems are the ledger's to print.
PRINTED_ITEMS = 500


@login_required
def case_print(request, pk):
    """The case as it is filed: particulars, the opinion, every item, the reports in full, the votes and the documents
    issued — unfolded, without the actions."""
    case = get_object_or_404(selectors.cases_visible_to(request.user).select_related(
        "lead_body", "meeting", "supervising_committee"), pk=pk)
    items = list(case.items.order_by("number")[:PRINTED_ITEMS + 1])
    return render(request, "opinions/case_print.html", {
        "case": case, "items": items[:PRINTED_ITEMS],
        "more_items": case.items.count() - PRINTED_ITEMS if len(items) > PRINTED_ITEMS else 0,
        "co_bodies": list(case.co_bodies.all()),
        "due_explanation": rules.explain_due(case, "en" if request.LANGUAGE_CODE == "en" else "zh"),
        "reports": case.reports.in_order(),
        "evaluations": case.evaluations.select_related("meeting"),
        "documents": case.documents.all(),
    })


@login_required
def assignment_preview(request, pk):
    """The 交办通知 as it would go out, before it is numbered: what the signer (审签) reads beside the draft."""
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk, status=CaseStatus.DRAFT)
    if Role.STAFF not in case_roles(request.user, case) and Role.OFFICE not in case_roles(request.user, case):
        raise PermissionDenied
    letter = documents.Letter(kind=DocumentKind.ASSIGNMENT, case=case, number="", issued_on=selectors.today())
    output = documents.render(letter, documents.template_in_force(DocumentKind.ASSIGNMENT))
    return FileResponse(output, as_attachment=True, filename=_("Assignment notice (draft).docx"),
                        content_type=uploads.ACCEPTED["docx"].content_type)


def render_case(request, case, *, bound=None, status=200):
    """The case page; `bound` is an action form sent back with its errors, shown open where it was."""
    case = Case.objects.select_related("lead_body", "meeting", "drafting_committee", "supervising_committee",
                                       "consulted_committee").get(pk=case.pk)
    today = selectors.today()
    attachments = list(case.attachments.select_related("uploaded_by"))
    items = list(case.items.select_related("responsible_body", "audit__area", "audit__repeat_of",
                                           "audit__verified_by"))
    for item in items:
        item.offered = item_actions_for(request.user, item, case, bound=bound)
        item.files = [a for a in attachments if a.item_id == item.pk]
        if hasattr(item, "audit"):  # the money rectified by way, as far as reported
            item.audit_ways = [(label, getattr(item.audit, name)) for name, label in RECTIFIED_BY_WAY
                               if getattr(item.audit, name) is not None]
    reports = selectors.reports_with_changes(case)
    issued_documents = list(case.documents.select_related("issued_by", "template"))
    reminders = case_reminder_log(case)
    for report in reports:
        report.files = [a for a in attachments if a.report_id == report.pk]
    return render(request, "opinions/case_detail.html", {
        "case": case,
        "items": items,
        "reports": reports,
        "case_files": [a for a in attachments if a.item_id is None and a.report_id is None],
        "issued_documents": issued_documents,
        "can_preview_assignment": case.status == CaseStatus.DRAFT and Role.STAFF in case_roles(request.user, case),
        "extensions": case.extensions.select_related("requested_by", "decided_by"),
        "evaluations": case.evaluations.select_related("meeting"),
        "timeline": selectors.case_timeline(case, reminders),
        "reminders": reminders,
        "due_explanation": rules.explain_due(case, "en" if request.LANGUAGE_CODE == "en" else "zh"),
        "periods": selectors.periodic_schedule(case),
        "rag": selectors.rag(case, today, selectors.due_soon()),
        "days_left": case.days_to_due(today),
        "days_overdue": case.days_past_due(today),
        "roles": case_roles(request.user, case),
        "offered": case_actions_for(request.user, case, bound=bound),
        "can_edit": Action.EDIT_DRAFT in available_actions(request.user, case),
        "can_upload": can_upload_case_files(request.user, case),
        "audit_links": case.kind == CaseKind.AUDIT_RECTIFICATION,
        "can_import_audit": (case.kind == CaseKind.AUDIT_RECTIFICATION and Role.STAFF in case_roles(request.user, case)
                             and case.status in LIST_OPEN_STATUSES),
    }, status=status)
