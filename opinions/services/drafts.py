"""Drafting a case (起草): its fields and its numbered items, until it is issued."""


from django.db import models, transaction
from django.utils.translation import gettext as _

from npc_tracker.errors import InvalidInput, NotAllowed

from .. import rules
from ..models import AuditProblem, Case, CaseItem
from ..permissions import can_create_cases
from ..reminders.planning import replan_reminders
from ..rule_checks import rule_text_error
from ..selectors import belonging_to
from ..tracking import delete_tracked, locked_case, save_tracked
from ..workflow import Action, CaseStatus
from .common import check_amount, reject_unknown, required_text
from .documents import signoff_reset
from .transitions import check_action

# What a draft (起草) is made of, in the order the page and the API show it. The page's form and the API's draft
# serializer offer their fields from these lists (forms.CaseForm, api.serializers.CaseDraftSerializer), so a field
# added here is offered there, or a test says which surface leaves it out and why.
DRAFT_INPUT = (
    "kind", "title", "doc_number", "meeting", "source_report_title", "reporter_name", "reporter_position",
    "lead_body", "co_bodies", "drafting_committee", "supervising_committee", "consulted_committee", "deadline_rule",
    "hearing_meeting", "deadline_rule_reason", "deadline_quote", "report_type", "opinion_text", "external_ref",
    "source_note",
)
# The case's own columns; the co-handling bodies are a relation, set once the case is saved.
DRAFT_FIELDS = frozenset(DRAFT_INPUT) - {"co_bodies"}
# Where an imported case came from: written by the loader that knows it (demo), typed by nobody.
DRAFT_IMPORT_ONLY = frozenset({"source_note"})
# Another system's key for the case: its API client sets it; the page does not show it.
DRAFT_API_ONLY = frozenset({"external_ref"})
DRAFT_PAGE_FIELDS = tuple(name for name in DRAFT_INPUT if name not in DRAFT_IMPORT_ONLY | DRAFT_API_ONLY)
DRAFT_API_FIELDS = tuple(name for name in DRAFT_INPUT if name not in DRAFT_IMPORT_ONLY)

# An item's own fields, in the order the page and the API show them; its number is its place in the draft's list.
ITEM_INPUT = ("heading", "text", "kind", "responsible_body", "amount")
ITEM_FIELDS = frozenset({"number", *ITEM_INPUT})


def _validate_deadline_rule(kind: str, rule_text: str, reason: str) -> None:
    if error := rule_text_error(rule_text):
        raise InvalidInput(str(error), field="deadline_rule", code=error.code) from error
    default = rules.default_rule_text(kind)
    if rule_text != default and not (reason or "").strip():
        raise InvalidInput(
            _("The deadline rule differs from the rule set (%(default)s): state the reason, e.g. the time limit "
              "written in the opinion.") % {"default": default or _("none")},
            field="deadline_rule_reason",
        )


@transaction.atomic
def case_create(*, actor, items=(), co_bodies=(), reason: str = "", at=None, **fields) -> Case:
    """Create a draft (起草). `items` is a list of dicts with number/heading/text/kind/responsible_body."""
    if not can_create_cases(actor):
        raise NotAllowed(_("Only committee staff can create cases."))
    reject_unknown(fields, DRAFT_FIELDS)
    fields.setdefault("deadline_rule", rules.default_rule_text(fields.get("kind", "")))
    required_text(fields.get("title", ""), "title", _("A case needs a title."))
    if not fields.get("lead_body"):
        raise InvalidInput(_("A case needs a lead body."), field="lead_body")
    _validate_deadline_rule(fields.get("kind", ""), fields["deadline_rule"], fields.get("deadline_rule_reason", ""))
    case = Case(created_by=actor, status=CaseStatus.DRAFT, **fields)
    save_tracked(case, actor=actor, reason=reason or _("Draft created"), at=at)
    if co_bodies:
        case.co_bodies.set(co_bodies)
    for number, item in enumerate(items, start=1):
        check_amount(item)
        save_tracked(CaseItem(case=case, **{"number": number, **item}), actor=actor,
                     reason=reason or _("Draft created"), at=at)
    replan_reminders(case)  # the hand-over reminder of a meeting's draft
    return case


@transaction.atomic
def case_update_draft(*, case: Case, actor, reason: str = "", co_bodies=None, **fields) -> Case:
    case = locked_case(case)
    check_action(case, Action.EDIT_DRAFT, actor)
    reject_unknown(fields, DRAFT_FIELDS)
    changed = any(getattr(case, name) != value for name, value in fields.items())
    for name, value in fields.items():
        setattr(case, name, value)
    required_text(case.title, "title", _("A case needs a title."))
    _validate_deadline_rule(case.kind, case.deadline_rule, case.deadline_rule_reason)
    if co_bodies is not None:
        changed = changed or {body.pk for body in co_bodies} != set(case.co_bodies.values_list("pk", flat=True))
    save_tracked(case, actor=actor, reason=reason or _("Draft edited"))
    if co_bodies is not None:
        case.co_bodies.set(co_bodies)
    if changed:
        signoff_reset(case, actor=actor)
    replan_reminders(case)
    return case


@transaction.atomic
def item_add(*, case: Case, actor, heading: str, reason: str = "", **fields) -> CaseItem:
    case = locked_case(case)
    check_action(case, Action.EDIT_DRAFT, actor)
    if set(fields) - ITEM_FIELDS:
        raise InvalidInput(_("Unknown item fields."))
    required_text(heading, "heading", _("An item needs a heading."))
    check_amount(fields)
    last = case.items.order_by("-number").values_list("number", flat=True).first() or 0
    item = CaseItem(case=case, heading=heading.strip(), **{"number": last + 1, **fields})
    save_tracked(item, actor=actor, reason=reason or _("Item added"))
    signoff_reset(case, actor=actor)
    return item


@transaction.atomic
def item_update_draft(*, item: CaseItem, actor, reason: str = "", **fields) -> CaseItem:
    case = locked_case(item.case)
    check_action(case, Action.EDIT_DRAFT, actor)
    item = CaseItem.objects.select_for_update().get(pk=item.pk)
    if set(fields) - (ITEM_FIELDS - {"number"}):
        raise InvalidInput(_("Unknown item fields."))
    check_amount(fields)
    changed = any(getattr(item, name) != value for name, value in fields.items())
    for name, value in fields.items():
        setattr(item, name, value)
    required_text(item.heading, "heading", _("An item needs a heading."))
    save_tracked(item, actor=actor, reason=reason or _("Item edited"))
    if changed:
        signoff_reset(case, actor=actor)
    return item


@transaction.atomic
def draft_items_set(*, case: Case, actor, items: list[dict]) -> list[CaseItem]:
    """The draft's items as the list gives them: in that order, numbered from 1; rows with a `pk` are edited,
    rows without one added, and items missing from the list removed (a draft is not yet on record)."""
    case = locked_case(case)
    check_action(case, Action.EDIT_DRAFT, actor)
    existing = {item.pk: item for item in belonging_to(case, CaseItem).select_for_update()}
    kept = {row["pk"] for row in items if row.get("pk")}
    if kept - set(existing):
        raise InvalidInput(_("An item does not belong to this case."), field="items")
    for row in items:
        required_text(row.get("heading", ""), "heading", _("An item needs a heading."))
        check_amount(row)
    removed = set(existing) - kept
    # A problem of the audit office's list stays on the case: its list is corrected by importing it again.
    listed = sorted(AuditProblem.objects.filter(pk__in=removed).values_list("reference", flat=True))
    if listed:
        raise InvalidInput(_("Items on the audit office's problem list (%(references)s) cannot be removed from the "
                             "draft.") % {"references": "、".join(listed)}, field="items")
    if removed:
        signoff_reset(case, actor=actor)
    for pk in removed:
        delete_tracked(existing[pk], actor=actor, reason=_("Item removed from the draft"))
    # Move every kept item out of the way first: the numbers are unique per case at every moment.
    case.items.filter(pk__in=kept).update(number=models.F("number") + 10000)
    result = []
    for number, row in enumerate(items, start=1):
        fields = {key: value for key, value in row.items() if key in ITEM_FIELDS - {"number"}}
        fields["heading"] = fields["heading"].strip()
        item = existing[row["pk"]] if row.get("pk") else CaseItem(case=case)
        changed = item.pk is None or item.number != number or any(
            getattr(item, key) != value for key, value in fields.items())
        for key, value in {"number": number, **fields}.items():
            setattr(item, key, value)
        if changed:
            signoff_reset(case, actor=actor)
            save_tracked(item, actor=actor, reason=_("Item added") if item.pk is None else _("Item edited"))
        else:
            CaseItem.objects.filter(pk=item.pk).update(number=number)  # back from the temporary number
        result.append(item)
    return result


@transaction.atomic
def draft_save(*, actor, case: Case | None = None, co_bodies=None, items: list[dict] | None = None,
               **fields) -> Case:
    """Create or edit a draft with its items in one go (the page's form and the API): both halves or neither.
    An empty deadline rule means the rule set's default for the kind."""
    if not (fields.get("deadline_rule") or "").strip() and "deadline_rule" in fields:
        fields["deadline_rule"] = rules.default_rule_text(fields.get("kind") or (case.kind if case else ""))
    if case is None:
        case = case_create(actor=actor, co_bodies=co_bodies or (), **fields)
    else:
        case = case_update_draft(case=case, actor=actor, co_bodies=co_bodies, **fields)
    if items is not None:
        draft_items_set(case=case, actor=actor, items=items)
    return case
