"""Who receives what, resolved from active memberships when a message is built — so a liaison who replaced
another gets every reminder from then on, with no re-planning (what is followed up belongs to bodies and
committees, not to people)."""

from collections import defaultdict

from django.contrib.auth import get_user_model

from agencies.models import Membership, MembershipRole

from .models import Endpoint


class Directory:
    """The liaisons of some bodies, the staff of some committees, the general office, the leadership, and their
    channels, loaded in a fixed number of queries for a whole batch of messages."""

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

    def body_liaisons(self, *body_ids) -> list:
        return self._users(u for body_id in body_ids for u in self.liaisons.get(body_id, ()))

    def committee_staff(self, *committee_ids) -> list:
        """The staff of the first of these committees that has any; the general office when none has."""
        for committee_id in committee_ids:
            if committee_id and self.staff.get(committee_id):
                return self._users(self.staff[committee_id])
        return self.office_staff()

    def office_staff(self) -> list:
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
