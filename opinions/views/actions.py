"""The buttons on a case page. Each is a form posted here; the workflow decides who sees which, the service does it.

A refused or invalid action re-renders the case page with the form as it was sent and the reason, so nothing the
user typed is lost.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from npc_tracker.errors import DomainError
from npc_tracker.submissions import once_per_submission

from .. import selectors
from ..actions import CASE_ACTIONS_BY_SLUG, ITEM_ACTIONS_BY_SLUG
from ..models import CaseItem
from ..permissions import available_actions, case_roles, item_roles
from ..workflow import available_item_actions
from .cases import render_case
from .offered import OfferedAction, case_form, item_form


def _perform(request, case, spec, target, form):
    offered = OfferedAction(spec, form, request.path, open=True, intro=spec.intro(target) if spec.intro else "")
    if form.is_valid():
        try:
            result = spec.run(target, request.user, form.cleaned_data)
        except DomainError as exc:
            form.add_error(_field_of(form, exc.field), exc.message)
            return render_case(request, case, bound=offered, status=409 if exc.field is None else 400)
        messages.success(request, spec.done_message(result))
        return redirect(case_url(case, target))
    return render_case(request, case, bound=offered, status=400)


def _field_of(form, name: str | None) -> str | None:
    """The form's field a service's refusal is shown beside: the one named, or the one the form says stands for it
    (a sum of several fields), else none (above the form)."""
    if name in form.fields:
        return name
    field_for_error = getattr(form, "field_for_error", None)
    return field_for_error(name) if field_for_error is not None and name else None


def case_url(case, target) -> str:
    anchor = f"#item-{target.number}" if isinstance(target, CaseItem) else ""
    return reverse("opinions:case_detail", args=[case.pk]) + anchor


@login_required
@require_POST
@once_per_submission
def case_action(request, pk, action):
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    spec = CASE_ACTIONS_BY_SLUG.get(action)
    if spec is None:
        raise Http404
    if not spec.allowed_by & set(available_actions(request.user, case)) or not spec.shown_if(case):
        raise PermissionDenied(_("You cannot do this on this case now."))
    return _perform(request, case, spec, case, case_form(spec, case, request.POST, request.FILES))


@login_required
@require_POST
@once_per_submission
def item_action(request, pk, item_pk, action):
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    item = get_object_or_404(selectors.belonging_to(case, CaseItem), pk=item_pk)
    spec = ITEM_ACTIONS_BY_SLUG.get(action)
    if spec is None:
        raise Http404
    if not case_roles(request.user, case) or not spec.shown_if(item) or not spec.allowed_by & set(
            available_item_actions(item.status, case.status, item_roles(request.user, item))):
        raise PermissionDenied(_("You cannot do this on this item now."))
    return _perform(request, case, spec, item, item_form(spec, item, request.POST, request.FILES))
