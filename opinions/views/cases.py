
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from notifications.selectors import case_reminder_log

from .. import rules, selectors
from ..choices import ACTION_LABELS, CASE_STATUS_LABELS
from ..filtersets import CaseFilterSet
from ..permissions import available_actions, case_roles
from ..workflow import Action, CaseStatus

PAGE_SIZE = 50
SORTABLE = {"due_date", "-due_date", "title", "-title", "status", "-status", "issued_date", "-issued_date"}


@login_required
def case_list(request):
    visible = selectors.case_list(request.user)
    filterset = CaseFilterSet(request.GET, queryset=visible)
    cases = filterset.qs
    sort = request.GET.get("sort", "due_date")
    cases = cases.order_by(sort if sort in SORTABLE else "due_date", "-pk")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    today = selectors.today()
    for case in page:
        case.rag = selectors.rag(case, today)
        case.days_left = (case.due_date - today).days if case.due_date else None
        case.days_overdue = -case.days_left if case.days_left is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "opinions/case_list.html", {
        "filter": filterset,
        "page": page,
        "status_counts": [(status, CASE_STATUS_LABELS[CaseStatus(status)], n)
                          for status, n in sorted(selectors.status_counts(filterset.qs).items(),
                                                  key=lambda pair: list(CaseStatus).index(CaseStatus(pair[0])))],
        "total": visible.count(),
        "query": query.urlencode(),
    })


@login_required
def case_detail(request, pk):
    case = get_object_or_404(
        selectors.cases_visible_to(request.user).select_related(
            "lead_body", "meeting", "drafting_committee", "supervising_committee", "consulted_committee"),
        pk=pk,
    )
    today = selectors.today()
    return render(request, "opinions/case_detail.html", {
        "case": case,
        "items": case.items.select_related("responsible_body"),
        "reports": case.reports.select_related("submitted_by", "reviewed_by"),
        "extensions": case.extensions.select_related("requested_by", "decided_by"),
        "evaluations": case.evaluations.select_related("meeting"),
        "timeline": selectors.case_timeline(case),
        "reminders": case_reminder_log(case),
        "due_explanation": rules.explain_due(case, "en" if request.LANGUAGE_CODE == "en" else "zh"),
        "rag": selectors.rag(case, today),
        "days_left": (case.due_date - today).days if case.due_date else None,
        "days_overdue": (today - case.due_date).days if case.due_date else None,
        "roles": case_roles(request.user, case),
        "actions": [ACTION_LABELS[action] for action in available_actions(request.user, case)
                    if action != Action.EDIT_DRAFT],
    })
