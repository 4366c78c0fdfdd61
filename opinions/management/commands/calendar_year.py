"""`manage.py calendar_year 2027 --rest 2027-01-01..2027-01-03:元旦 --work 2027-02-07:春节调休上班`

Enters a year's working-day calendar from the State Council's notice, so deadlines into that year can be computed.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from npc_tracker.errors import DomainError
from opinions import services


def parse_days(spec: str) -> dict[date, str]:
    """"2027-01-01..2027-01-03:元旦" → each day of the range with its name."""
    span, _, name = spec.partition(":")
    first, _, last = span.partition("..")
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last or first)
    except ValueError as exc:
        raise CommandError(f"“{spec}”: expected YYYY-MM-DD[..YYYY-MM-DD][:name]") from exc
    if end < start:
        raise CommandError(f"“{spec}”: the range ends before it starts")
    return {start + timedelta(days=n): name for n in range((end - start).days + 1)}


class Command(BaseCommand):
    help = "Enter a year's working-day calendar (weekends + statutory holidays + 调休 make-up working days)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--rest", action="append", default=[], metavar="DATE[..DATE][:NAME]",
                            help="a statutory holiday (rest day), repeatable")
        parser.add_argument("--work", action="append", default=[], metavar="DATE[..DATE][:NOTE]",
                            help="a weekend day that is a working day (调休), repeatable")
        parser.add_argument("--replace", action="store_true", help="overwrite the year's existing entries")
        parser.add_argument("--user", help="the administrator recorded in the history (default: none)")

    def handle(self, *args, year, rest, work, replace, user, **options):
        actor = get_user_model().objects.filter(username=user).first() if user else None
        if user and actor is None:
            raise CommandError(f"no user “{user}”")
        rest_days = {day: name or "法定节假日" for spec in rest for day, name in parse_days(spec).items()}
        workdays = {day: name or "调休上班" for spec in work for day, name in parse_days(spec).items()}
        try:
            written = services.calendar_enter_year(year=year, actor=actor, rest_days=rest_days,
                                                   make_up_workdays=workdays, replace=replace)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{year}: {written} days written ({len(rest_days)} holidays, {len(workdays)} make-up "
                          f"working days)")
