"""The working-day calendar the deadlines count on: whole years as the State Council publishes them, and
corrections of single days. Administrators only."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from npc_tracker.errors import DomainError, InvalidInput

from .. import deadlines, rules
from ..choices import PROVISIONAL_CALENDAR_SOURCES, CalendarSource
from ..models import CalendarDay, Case
from ..notices import Event, notify_event
from ..reminders.planning import replan_reminders
from ..tracking import locked_case, save_tracked
from ..workflow import CaseStatus
from .common import require_admin
from .transitions import apply_due


@transaction.atomic
def calendar_day_update(*, day: CalendarDay, actor, is_workday: bool, note: str = "",
                        reason: str = "") -> CalendarDay:
    """Correct one day (a holiday or 调休 the State Council announced late); due dates already set stay as they are."""
    require_admin(actor)
    day = CalendarDay.objects.select_for_update().get(pk=day.pk)
    day.is_workday, day.note, day.source = is_workday, (note or "").strip()[:50], CalendarSource.ADMIN
    save_tracked(day, actor=actor, reason=reason or _("Calendar day corrected"))
    return day


@dataclass(frozen=True)
class YearEntered:
    written: int  # days written or changed
    replaced_provisional: bool  # the year had weekends-only rows, now the official ones
    recomputed: int  # open cases whose due date was counted on those rows
    moved: int  # of those, how many due dates changed


@transaction.atomic
def calendar_enter_year(*, year: int, actor, rest_days: dict[date, str], make_up_workdays: dict[date, str],
                        replace: bool = False, provisional: bool = False, at=None) -> YearEntered:
    """Enter a year's working-day calendar as the State Council publishes it: weekends are rest days, statutory
    holidays are added as rest days, 调休 weekend days as working days.

    `provisional`: weekends only, before the holidays are published, so that work into the year can go on; every
    due date counted on it says 暂定. Entering the official year over a provisional one needs no `replace`: it
    recomputes the due date of every open case counted on the provisional days, with history, and tells the bodies
    whose date moved."""
    outside = [d for d in (*rest_days, *make_up_workdays) if d.year != year]
    if outside:
        raise InvalidInput(_("%(date)s is not in %(year)s.") % {"date": outside[0], "year": year})
    both = set(rest_days) & set(make_up_workdays)
    if both:
        raise InvalidInput(_("%(date)s cannot be both a holiday and a working day.") % {"date": min(both)})
    if provisional and (rest_days or make_up_workdays):
        raise InvalidInput(_("A provisional year is weekends only: enter holidays and make-up working days with the "
                             "official year."))
    existing = CalendarDay.objects.filter(date__year=year)
    was_provisional = existing.filter(source__in=PROVISIONAL_CALENDAR_SOURCES).exists()
    official_rows = existing.exclude(source__in=PROVISIONAL_CALENDAR_SOURCES).exists()
    if existing.exists() and not replace and (provisional or official_rows):
        raise DomainError(
            _("The calendar for %(year)s already has entries; confirm replacing them (--replace).") % {"year": year},
            code="calendar_exists")
    source = CalendarSource.PROVISIONAL if provisional else CalendarSource.ADMIN
    reason = (_("Provisional calendar for %(year)s entered (weekends only)") if provisional
              else _("Calendar for %(year)s entered")) % {"year": year}
    written = _write_year(year, existing, rest_days, make_up_workdays, source, actor=actor, reason=reason)
    if provisional or not was_provisional:
        return YearEntered(written, False, 0, 0)
    recomputed, moved = _recompute_counted_on(year, actor=actor, at=at)
    return YearEntered(written, True, recomputed, moved)


def _write_year(year, existing, rest_days, make_up_workdays, source, *, actor, reason) -> int:
    by_date = {row.date: row for row in existing}
    day, written = date(year, 1, 1), 0
    while day.year == year:
        is_workday = day in make_up_workdays or (day.weekday() < 5 and day not in rest_days)
        note = rest_days.get(day) or make_up_workdays.get(day) or ""
        row = by_date.get(day) or CalendarDay(date=day)
        if row.pk is None or (row.is_workday, row.note, row.source) != (is_workday, note, source):
            row.is_workday, row.note, row.source = is_workday, note, source
            save_tracked(row, actor=actor, reason=reason)
            written += 1
        day += timedelta(days=1)
    return written


def _recompute_counted_on(year: int, *, actor, at=None) -> tuple[int, int]:
    """Every open case whose due date read a provisional day of `year`, counted again on the official days. A date
    counted on `year` is due in it or later, or (a fixed point moved back) at most a few days before it."""
    recomputed = moved = 0
    candidates = (Case.objects.exclude(status__in=[CaseStatus.DRAFT, CaseStatus.CLOSED])
                  .filter(due_basis__isnull=False, due_date__gte=date(year - 1, 12, 1)).order_by("pk"))
    for pk in candidates.values_list("pk", flat=True).iterator():
        case = locked_case(Case(pk=pk))
        basis = deadlines.DueDate.from_dict(case.due_basis)
        # A basis stored before provisional years were recorded may have read one too: counting it again is harmless.
        if year not in basis.provisional_years and "provisional_years" in case.due_basis:
            continue
        fresh = _counted_again(case, basis)
        recomputed += 1
        before = case.due_date
        apply_due(case, fresh)
        if fresh.due == before:
            save_tracked(case, actor=actor, at=at, reason=_(
                "Official calendar for %(year)s entered: the due date %(date)s stands and is no longer provisional")
                % {"year": year, "date": before})
            continue
        moved += 1
        reason = _("Official calendar for %(year)s entered: due date recomputed from %(old)s to %(new)s") % {
            "year": year, "old": before, "new": fresh.due}
        save_tracked(case, actor=actor, at=at, reason=reason)
        replan_reminders(case)
        notify_event(case, Event.DUE_DATE_RECOMPUTED, actor=actor, ref=f"cal{year}", detail=reason, at=at)
    return recomputed, moved


def _counted_again(case: Case, basis: deadlines.DueDate) -> deadlines.DueDate:
    """The rule from the same anchor, and the approved extensions again on top of it."""
    fresh = rules.compute_due(str(basis.rule), case_kind=case.kind, anchor_event=basis.anchor_event,
                              anchor_date=basis.anchor_date,
                              hearing_meeting=case.hearing_meeting.start_date if case.hearing_meeting else None,
                              period=basis.period[0] if basis.period else 1)
    for step in basis.steps:
        if step.kind == "extended" and step.date > fresh.due:
            fresh = rules.extend_due(fresh, step.date, case_kind=case.kind)
    return fresh
