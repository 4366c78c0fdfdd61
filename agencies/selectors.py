"""Reads about people's memberships, cached on the user object for one request."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import Membership, MembershipRole


@dataclass(frozen=True)
class UserScope:
    """What a user is, across all their active memberships."""

    staff_committee_ids: frozenset[int]
    office_staff: bool
    liaison_body_ids: frozenset[int]
    is_leader: bool
    is_admin: bool

    @property
    def is_staff(self) -> bool:
        return bool(self.staff_committee_ids)

    @property
    def sees_all_cases(self) -> bool:
        return self.is_staff or self.is_leader or self.is_admin


EMPTY_SCOPE = UserScope(frozenset(), False, frozenset(), False, False)


def user_scope(user) -> UserScope:
    if not getattr(user, "is_authenticated", False):
        return EMPTY_SCOPE
    cached = getattr(user, "_npc_scope", None)
    if cached is not None:
        return cached
    rows = Membership.objects.filter(user=user, is_active=True).values_list("role", "committee_id", "body_id",
                                                                             "committee__kind")
    staff, liaison = set(), set()
    office = leader = False
    for role, committee_id, body_id, committee_kind in rows:
        if role == MembershipRole.STAFF:
            staff.add(committee_id)
            office = office or committee_kind == "office"
        elif role == MembershipRole.LIAISON:
            liaison.add(body_id)
        elif role == MembershipRole.LEADER:
            leader = True
    scope = UserScope(
        staff_committee_ids=frozenset(staff),
        office_staff=office,
        liaison_body_ids=frozenset(liaison),
        is_leader=leader,
        is_admin=user.is_superuser or any(role == MembershipRole.ADMIN for role, *_ in rows),
    )
    user._npc_scope = scope
    return scope


def memberships_seen_by(user) -> QuerySet[Membership]:
    """The places (memberships, current and past) a user may see of other people: everything for committee staff,
    leadership and administrators; for a liaison, the Standing Committee's side (staff, leadership) and their own
    bodies' liaisons — never another body's, even one that co-handles a case with theirs."""
    memberships = Membership.objects.all()
    scope = user_scope(user)
    if scope.sees_all_cases:
        return memberships
    if not scope.liaison_body_ids:
        return memberships.none()
    return memberships.filter(Q(role__in=[MembershipRole.STAFF, MembershipRole.LEADER])
                              | Q(role=MembershipRole.LIAISON, body__in=scope.liaison_body_ids))
