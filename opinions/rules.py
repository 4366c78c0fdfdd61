"""Glue between the database (rule sets, calendar, meetings) and the pure deadline engine."""

from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from . import deadlines
from .choices import PROVISIONAL_CALENDAR_SOURCES, MeetingKind
from .errors import from_deadline_error
from .models import CalendarDay, Meeting, RuleSet
from .workflow import ExtensionApprover, SignoffBy

# How many calendar years past the anchor a computation may need (a 24-month rule plus roll-forward).
CALENDAR_LOOKAHEAD_YEARS = 3


def jurisdiction() -> str:
    return getattr(settings, "NPC_JURISDICTION", "河南省")


def rule_set_for(case_kind: str) -> RuleSet | None:
    return RuleSet.objects.filter(jurisdiction=jurisdiction(), case_kind=case_kind).first()


def extension_approver_for(case) -> ExtensionApprover:
    cached = getattr(case, "_extension_approver", None)
    if cached is None:
        rule_set = rule_set_for(case.kind)
        cached = ExtensionApprover(rule_set.extension_approver) if rule_set else ExtensionApprover.LEADER
        case._extension_approver = cached
    return cached


def signoff_by_for(case) -> SignoffBy:
    """Who signs off the case's draft under the rule set in force; without a rule set, the office (the default)."""
    cached = getattr(case, "_signoff_by", None)
    if cached is None:
        rule_set = rule_set_for(case.kind)
        cached = case._signoff_by = SignoffBy(rule_set.signoff_by) if rule_set else SignoffBy.OFFICE
    return cached


def handover_deadline(case, rule_set: RuleSet | None) -> date | None:
    """The day by which the meeting's opinion must be issued (交办): the rule set's days after the meeting closed.
    Calendar days, not moved off rest days: the office's own target, not a time limit on a body."""
    if case.meeting_id is None:
        return None
    days = rule_set.handover_days if rule_set else RuleSet._meta.get_field("handover_days").default
    return case.meeting.last_date + timedelta(days=days)


def default_rule_text(case_kind: str) -> str:
    rule_set = rule_set_for(case_kind)
    return rule_set.deadline_rule if rule_set else ""


def work_calendar(first_year: int, last_year: int) -> deadlines.WorkCalendar:
    rows = CalendarDay.objects.filter(date__year__gte=first_year, date__year__lte=last_year)
    days, notes, provisional = {}, {}, set()
    for day, is_workday, note, source in rows.values_list("date", "is_workday", "note", "source"):
        days[day] = is_workday
        if note:
            notes[day] = note
        if source in PROVISIONAL_CALENDAR_SOURCES:
            provisional.add(day.year)
    return deadlines.WorkCalendar(days, notes, provisional_years=frozenset(provisional))


def provisional_calendar_years() -> list[int]:
    return sorted(CalendarDay.objects.filter(source__in=PROVISIONAL_CALENDAR_SOURCES)
                  .values_list("date__year", flat=True).distinct())


def next_session_after(day: date) -> date | None:
    meeting = (Meeting.objects.filter(kind=MeetingKind.SC_MEETING, start_date__gt=day)
               .order_by("start_date").first())
    return meeting.start_date if meeting else None


def december_session_of(day: date) -> date | None:
    """The Standing Committee session registered for December of the day's year, if there is one after the day."""
    meeting = (Meeting.objects.filter(kind=MeetingKind.SC_MEETING, start_date__year=day.year, start_date__month=12,
                                      start_date__gt=day).order_by("start_date").first())
    return meeting.start_date if meeting else None


def compute_due(rule_text: str, *, case_kind: str, anchor_event: str, anchor_date: date,
                hearing_meeting: date | None = None, period: int = 1) -> deadlines.DueDate:
    """Compute a due date the way the case kind's rule set says (roll-forward), or raise a DomainError.
    `hearing_meeting`: the start of the meeting chosen to hear the report (before_meeting rules)."""
    rule_set = rule_set_for(case_kind)
    roll_forward = rule_set.roll_forward if rule_set else True
    try:
        rule = deadlines.Rule.parse(rule_text)
        last_year = max(anchor_date.year + CALENDAR_LOOKAHEAD_YEARS, rule.fixed.year + 1 if rule.fixed else 0)
        calendar = work_calendar(anchor_date.year, last_year)
        return deadlines.compute_due(
            rule, anchor_date, calendar=calendar, anchor_event=anchor_event, roll_forward=roll_forward,
            next_session=next_session_after(anchor_date) if rule.kind == "next_session" else None,
            december_session=december_session_of(anchor_date) if rule.kind == "december_session" else None,
            hearing_meeting=hearing_meeting, period=period,
        )
    except deadlines.DeadlineError as exc:
        raise from_deadline_error(exc) from exc


def extend_due(due: deadlines.DueDate, new_date: date, *, case_kind: str) -> deadlines.DueDate:
    rule_set = rule_set_for(case_kind)
    try:
        calendar = work_calendar(new_date.year, new_date.year + 1)
        return deadlines.extend(due, new_date, calendar=calendar,
                                roll_forward=rule_set.roll_forward if rule_set else True)
    except deadlines.DeadlineError as exc:
        raise from_deadline_error(exc) from exc


def explain_due(case, lang: str = "zh") -> str:
    if not case.due_basis:
        return ""
    return deadlines.DueDate.from_dict(case.due_basis).explain(lang)


def missing_calendar_years(years) -> list[int]:
    """Years (of those asked) whose calendar is not complete — used to warn administrators early."""
    missing = []
    for year in years:
        expected = (date(year + 1, 1, 1) - date(year, 1, 1)).days
        if CalendarDay.objects.filter(date__year=year).count() < expected:
            missing.append(year)
    return missing


def describe_missing_calendar(year: int) -> str:
    return _("The working-day calendar for %(year)s has not been entered yet.") % {"year": year}


class ReminderCalendar:
    """Working days for the reminder ladder, loaded once for the years a batch needs.

    For a year not entered yet it falls back to Monday–Friday: a reminder is a courtesy, not a legal time limit,
    so it must not stop for want of a calendar (deadlines themselves are never guessed)."""

    def __init__(self, first: date, last: date):
        self.days = dict(CalendarDay.objects.filter(date__year__gte=first.year, date__year__lte=last.year + 1)
                         .values_list("date", "is_workday"))

    def is_workday(self, day: date) -> bool:
        known = self.days.get(day)
        return known if known is not None else day.weekday() < 5
