"""The working-day calendar the deadlines count on: whole years as the State Council publishes them, and
corrections of single days. Administrators only."""

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from npc_tracker.errors import DomainError, InvalidInput

from ..choices import CalendarSource
from ..models import CalendarDay
from ..tracking import save_tracked
from .common import require_admin


@transaction.atomic
def calendar_day_update(*, day: CalendarDay, actor, is_workday: bool, note: str = "",
                        reason: str = "") -> CalendarDay:
    """Correct one day (a holiday or 调休 the State Council announced late); due dates already set stay as they are."""
    require_admin(actor)
    day = CalendarDay.objects.select_for_update().get(pk=day.pk)
    day.is_workday, day.note, day.source = is_workday, (note or "").strip()[:50], CalendarSource.ADMIN
    save_tracked(day, actor=actor, reason=reason or _("Calendar day corrected"))
    return day


@transaction.atomic
def calendar_enter_year(*, year: int, actor, rest_days: dict[date, str], make_up_workdays: dict[date, str],
                        replace: bool = False) -> int:
    """Enter a year's working-day calendar as the State Council publishes it: weekends are rest days, statutory
    holidays are added as rest days, 调休 weekend days as working days. Returns the number of days written."""
    outside = [d for d in (*rest_days, *make_up_workdays) if d.year != year]
    if outside:
        raise InvalidInput(_("%(date)s is not in %(year)s.") % {"date": outside[0], "year": year})
    both = set(rest_days) & set(make_up_workdays)
    if both:
        raise InvalidInput(_("%(date)s cannot be both a holiday and a working day.") % {"date": min(both)})
    existing = CalendarDay.objects.filter(date__year=year)
    if existing.exists() and not replace:
        raise DomainError(_("The calendar for %(year)s already has entries; confirm replacing them.") % {"year": year},
                          code="calendar_exists")
    by_date = {row.date: row for row in existing}
    day, written = date(year, 1, 1), 0
    while day.year == year:
        is_workday = day in make_up_workdays or (day.weekday() < 5 and day not in rest_days)
        note = rest_days.get(day) or make_up_workdays.get(day) or ""
        row = by_date.get(day) or CalendarDay(date=day)
        if row.pk is None or (row.is_workday, row.note) != (is_workday, note):
            row.is_workday, row.note, row.source = is_workday, note, CalendarSource.ADMIN
            save_tracked(row, actor=actor, reason=_("Calendar for %(year)s entered") % {"year": year})
            written += 1
        day += timedelta(days=1)
    return written
