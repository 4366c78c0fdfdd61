"""The actions offered on a case page: each allowed entry of the registry with its form, bound or not."""

from dataclasses import dataclass

from django import forms
from django.urls import reverse

from ..actions import ActionSpec, case_action_specs_for, item_action_specs_for
from ..forms import AcceptReportForm
from ..permissions import item_statuses
from ..workflow import SETTLED_ITEM_STATUSES, ItemStatus


@dataclass
class OfferedAction:
    """An action offered on the page, with its (possibly bound, possibly invalid) form."""

    spec: ActionSpec
    form: forms.Form
    url: str
    open: bool = False
    intro: str = ""  # what the action will do on this case, said above its form


def case_actions_for(user, case, *, bound: OfferedAction | None = None) -> list[OfferedAction]:
    offered = []
    for spec in case_action_specs_for(user, case):
        url = reverse("opinions:case_action", args=[case.pk, spec.slug])
        offered.append(bound if bound is not None and bound.url == url
                       else OfferedAction(spec, case_form(spec, case), url,
                                          intro=spec.intro(case) if spec.intro else ""))
    return offered


def case_form(spec, case, *data) -> forms.Form:
    form = spec.form(*data, prefix=spec.slug, initial=spec.initial(case) if spec.initial and not data else None)
    if spec.adapt is not None:
        spec.adapt(form, case)
    if isinstance(form, AcceptReportForm):
        # Accepting settles the items still open: ask only about the ones there are.
        open_items = [s for s in item_statuses(case) if s not in SETTLED_ITEM_STATUSES]
        if ItemStatus.DONE not in open_items:
            form.fields.pop("verify_done")
        if not open_items:
            form.fields.pop("carry_over_reason")
            form.fields.pop("next_report_date")
    return form


def item_actions_for(user, item, case, *, bound: OfferedAction | None = None) -> list[OfferedAction]:
    offered = []
    for spec in item_action_specs_for(user, item, case):
        url = reverse("opinions:item_action", args=[case.pk, item.pk, spec.slug])
        offered.append(bound if bound is not None and bound.url == url
                       else OfferedAction(spec, item_form(spec, item), url,
                                          intro=spec.intro(item) if spec.intro else ""))
    return offered


def item_form(spec, item, *data) -> forms.Form:
    # Bound too: what the user changed from it tells which field a refusal is about (AuditReportForm).
    form = spec.form(*data, prefix=f"item{item.pk}-{spec.slug}", initial=spec.initial(item) if spec.initial else None)
    # Only items with money involved ask how much of it is rectified; an audit problem's amount rectified is the
    # sum of its ways of rectification, reported on their own (actions.py, report-audit).
    if item.amount is None or hasattr(item, "audit"):
        form.fields.pop("rectified_amount", None)
    return form
