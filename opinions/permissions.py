"""Who is what on one case. The pure workflow decides what each role may do; this module only says which
roles a user holds relative to a case, and what the table then lets them do."""

from agencies.selectors import user_scope

from . import workflow
from .rules import extension_approver_for, signoff_by_for
from .workflow import Role


def case_roles(user, case) -> frozenset[Role]:
    """Worked out once per user on a loaded case: a page asks for every button, item and file form. A service that
    changes a case works on a fresh, locked instance, so nothing stale is asked again."""
    known = case.__dict__.setdefault("_roles_by_user", {})
    if user.pk not in known:
        known[user.pk] = _case_roles(user, case)
    return known[user.pk]


def _case_roles(user, case) -> frozenset[Role]:
    scope = user_scope(user)
    roles = set()
    case_committees = {case.drafting_committee_id, case.supervising_committee_id, case.consulted_committee_id}
    # The general office (办公室) coordinates every case; other staff act on the cases of their committees.
    if scope.office_staff or scope.staff_committee_ids & (case_committees - {None}):
        roles.add(Role.STAFF)
    if case.lead_body_id in scope.liaison_body_ids:
        roles.add(Role.LIAISON)
    if scope.liaison_body_ids and scope.liaison_body_ids & co_body_ids(case):
        roles.add(Role.CO_LIAISON)
    if scope.is_leader:
        roles.add(Role.LEADER)
    if scope.office_staff:
        roles.add(Role.OFFICE)
    return frozenset(roles)


def item_roles(user, item) -> frozenset[Role]:
    """A co-handling body's liaison acts only on the items assigned to their body."""
    roles = set(case_roles(user, item.case))
    if Role.CO_LIAISON in roles and item.responsible_body_id not in user_scope(user).liaison_body_ids:
        roles.discard(Role.CO_LIAISON)
    return frozenset(roles)


def co_body_ids(case) -> set[int]:
    cached = getattr(case, "_co_body_ids", None)
    if cached is None:
        cached = case._co_body_ids = set(case.co_bodies.values_list("pk", flat=True))
    return cached


def available_actions(user, case) -> list:
    """What the user may do on the case now, the items guard included (nothing offered is refused for open items)."""
    offered = workflow.available_actions(case.status, case_roles(user, case), **rule_arguments(case),
                                         item_statuses=item_statuses(case))
    if workflow.Action.SIGN_OFF in offered and sent_it_for_signoff(user, case):
        offered.remove(workflow.Action.SIGN_OFF)
    return offered


def sent_it_for_signoff(user, case) -> bool:
    """Nobody signs off (审签) a draft they sent for sign-off themselves: a second pair of eyes is the point."""
    return case.signoff_requested_by_id == user.pk


def rule_arguments(case) -> dict:
    """What the rule set in force adds to the workflow's question: who decides extensions, who signs off drafts,
    and where this draft stands in its sign-off."""
    return {"extension_approver": extension_approver_for(case), "signoff_by": signoff_by_for(case),
            "signoff_state": case.signoff_state}


def item_statuses(case) -> list[str]:
    """The statuses of the case's items, read once per loaded case (a page asks for every button); a service works
    on a fresh, locked instance, so nothing stale is asked again."""
    cached = getattr(case, "_item_statuses", None)
    if cached is None:
        cached = case._item_statuses = list(case.items.values_list("status", flat=True))
    return cached


def can_create_cases(user) -> bool:
    return user_scope(user).is_staff


def can_see_year_figures(user) -> bool:
    """The year's statistics are the whole office's figures: committee staff, leadership and administrators see
    them; a body's liaison, who sees only their own body's cases, does not."""
    return user_scope(user).sees_all_cases


def can_upload_case_files(user, case) -> bool:
    """Case-level files: the committee's own documents at any time, the lead body's while the case is with it."""
    roles = case_roles(user, case)
    if Role.STAFF in roles and case.status != workflow.CaseStatus.WITHDRAWN:
        return True
    return Role.LIAISON in roles and case.status in workflow.BODY_ITEM_CASE_STATUSES
