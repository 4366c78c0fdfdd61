"""The staff's daily digest (issue 3): what is due this week, what went overdue, what arrived since yesterday.

One message per committee staff member per day, over the cases their committees follow (the general office
follows every case), and only when there is something to say.
"""

from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Membership, MembershipRole
from notifications.compose import messages_for
from notifications.directory import Directory
from notifications.messages import with_site_language
from notifications.services import save_and_send

from .models import Case, Report
from .notices import Event
from .workflow import OWED_STATUSES

DUE_SOON_DAYS = 7


def _cases_followed_by(committee_ids: set[int], office: bool):
    cases = Case.objects.all()
    if office:
        return cases
    return cases.filter(Q(supervising_committee__in=committee_ids) | Q(consulted_committee__in=committee_ids)
                        | Q(drafting_committee__in=committee_ids))


@with_site_language
def digest_for(committee_ids: set[int], office: bool, today: date) -> str:
    cases = _cases_followed_by(committee_ids, office)
    open_cases = cases.filter(status__in=OWED_STATUSES)
    due_soon = open_cases.filter(due_date__gte=today, due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
    went_overdue = open_cases.filter(due_date=today - timedelta(days=1))
    since = timezone.now() - timedelta(days=1)
    arrived = Report.objects.filter(case__in=cases, submitted_at__gte=since).select_related("case")
    sections = []
    if due_soon:
        sections.append(_("Due within a week:") + "\n" + "\n".join(
            f"· {c.due_date:%Y-%m-%d} {c.title}" for c in due_soon.order_by("due_date")))
    if went_overdue:
        sections.append(_("Overdue since today:") + "\n" + "\n".join(f"· {c.title}" for c in went_overdue))
    if arrived:
        sections.append(_("Reports received:") + "\n" + "\n".join(
            f"· {r.get_kind_display()}：{r.case.title}" for r in arrived))
    return "\n\n".join(sections)


def send_daily_digests(*, today: date | None = None) -> int:
    """Returns the number of staff who got a digest; running it twice the same day sends nothing new."""
    today = today or timezone.localdate()
    scopes: dict[int, tuple[set[int], bool]] = {}
    for user_id, committee_id, kind in Membership.objects.filter(
            role=MembershipRole.STAFF, is_active=True, user__is_active=True).values_list(
            "user_id", "committee_id", "committee__kind"):
        committees, office = scopes.get(user_id, (set(), False))
        committees.add(committee_id)
        scopes[user_id] = (committees, office or kind == "office")
    directory = Directory(committee_ids={c for committees, _ in scopes.values() for c in committees})
    sent = 0
    for user_id, (committees, office) in scopes.items():
        body = digest_for(committees, office, today)
        user = directory.users.get(user_id)
        if not body or user is None:
            continue
        subject = with_site_language(lambda: _("Daily digest %(date)s") % {"date": today.isoformat()})()
        save_and_send(messages_for([user], key=f"digest:{today.isoformat()}", event=Event.DAILY_DIGEST,
                                   subject=subject, body=body, directory=directory))
        sent += 1
    return sent
