"""Who receives what, resolved from active memberships when a message is built — so a liaison who replaced
another gets every reminder from then on, with no re-planning (cases belong to bodies, not to people)."""

from collections import defaultdict

from django.contrib.auth import get_user_model

from agencies.models import Membership, MembershipRole
from opinions.permissions import co_body_ids

from .models import Endpoint


class Directory:
    """Recipients and their channels for a batch of cases, loaded in a fixed number of queries."""

    def __init__(self, *, body_ids=(), committee_ids=()):
        rows = Membership.objects.filter(is_active=True, user__is_active=True).filter(
            role__in=[MembershipRole.LIAISON, MembershipRole.STAFF, MembershipRole.LEADER]
        ).values_list("role", "body_id", "committee_id", "committee__kind", "user_id")
        self.liaisons, self.staff = defaultdict(list), defaultdict(list)
        self.office, self.leaders = [], []
        wanted_bodies, wanted_committees = set(body_ids), set(committee_ids)
        for role, body_id, committee_id, committee_kind, user_id in rows:
            if role == MembershipRole.LIAISON and body_id in wanted_bodies:
                self.liaisons[body_id].append(user_id)
            elif role == MembershipRole.STAFF:
                if committee_kind == "office":
                    self.office.append(user_id)
                if committee_id in wanted_committees:
                    self.staff[committee_id].append(user_id)
            elif role == MembershipRole.LEADER:
                self.leaders.append(user_id)
        user_ids = {u for group in (*self.liaisons.values(), *self.staff.values(), self.office, self.leaders)
                    for u in group}
        self.users = get_user_model().objects.in_bulk(user_ids)
        self.endpoints = defaultdict(list)
        for endpoint in Endpoint.objects.filter(user_id__in=user_ids, enabled=True):
            self.endpoints[endpoint.user_id].append(endpoint)

    @classmethod
    def for_cases(cls, cases):
        body_ids, committee_ids = set(), set()
        for case in cases:
            body_ids.add(case.lead_body_id)
            body_ids.update(co_body_ids(case))
            committee_ids.update({case.supervising_committee_id, case.consulted_committee_id,
                                  case.drafting_committee_id} - {None})
        return cls(body_ids=body_ids, committee_ids=committee_ids)

    def body_liaisons(self, *body_ids) -> list:
        return self._users(u for body_id in body_ids for u in self.liaisons.get(body_id, ()))

    def case_staff(self, case, *, prefer_consulted: bool = False) -> list:
        """The committee that follows the case up; the general office when the case names none."""
        order = [case.consulted_committee_id, case.supervising_committee_id, case.drafting_committee_id]
        if not prefer_consulted:
            order = [case.supervising_committee_id, case.consulted_committee_id, case.drafting_committee_id]
        for committee_id in order:
            if committee_id and self.staff.get(committee_id):
                return self._users(self.staff[committee_id])
        return self._users(self.office)

    def leadership(self) -> list:
        return self._users(self.leaders)

    def _users(self, ids) -> list:
        seen, result = set(), []
        for user_id in ids:
            if user_id not in seen and user_id in self.users:
                seen.add(user_id)
                result.append(self.users[user_id])
        return result
