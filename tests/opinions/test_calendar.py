"""Entering next year's calendar: afterwards deadlines into that year compute; until then they are refused."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from npc_tracker.errors import DomainError, InvalidInput
from opinions import services
from opinions.models import CalendarDay

pytestmark = pytest.mark.django_db


def enter_2027(**kwargs):
    out = StringIO()
    call_command("calendar_year", "2027", "--rest", "2027-01-01..2027-01-03:元旦", "--work", "2027-01-09:元旦调休",
                 stdout=out, **kwargs)
    return out.getvalue()


def test_entering_2027_writes_every_day_with_holidays_and_make_up_days():
    assert "2027 年正式日历已录入：写入 365 天（法定节假日 3 天，调休上班 1 天）。" in enter_2027()
    days = {d.date: d for d in CalendarDay.objects.filter(date__year=2027)}
    assert len(days) == 365
    assert not days[date(2027, 1, 1)].is_workday
    assert days[date(2027, 1, 1)].note == "元旦"
    assert days[date(2027, 1, 9)].is_workday  # a Saturday made a working day
    assert not days[date(2027, 1, 10)].is_workday
    assert days[date(2027, 1, 4)].is_workday


def test_after_entering_2027_a_case_issued_in_november_2026_gets_its_due_date(make_case, world):
    with pytest.raises(DomainError):
        services.case_issue(case=make_case(), actor=world.staff, issued_date=date(2026, 11, 23))
    enter_2027()
    case = services.case_issue(case=make_case(title="another"), actor=world.staff, issued_date=date(2026, 11, 23))
    assert case.due_date == date(2027, 2, 23)


def test_a_year_with_entries_is_only_replaced_when_asked():
    enter_2027()
    with pytest.raises(CommandError, match=r"2027.*--replace"):
        enter_2027()
    call_command("calendar_year", "2027", "--replace", stdout=StringIO())
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).is_workday  # no holiday given this time: a Friday


def test_bad_calendar_input_is_refused_and_writes_nothing(world):
    with pytest.raises(CommandError):
        call_command("calendar_year", "2027", "--rest", "2027-02-30", stdout=StringIO())
    with pytest.raises(InvalidInput):
        services.calendar_enter_year(year=2027, actor=None, rest_days={date(2026, 12, 31): "x"}, make_up_workdays={})
    with pytest.raises(InvalidInput):
        services.calendar_enter_year(year=2027, actor=None, rest_days={date(2027, 1, 2): "x"},
                                     make_up_workdays={date(2027, 1, 2): "y"})
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_calendar_edits_are_recorded_with_the_administrator(admin_user):
    services.calendar_enter_year(year=2027, actor=admin_user, rest_days={}, make_up_workdays={})
    record = CalendarDay.history.filter(date=date(2027, 3, 1)).first()
    assert record.history_user == admin_user
