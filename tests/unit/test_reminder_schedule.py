"""The reminder ladder, pure: which steps, on which days, inside which window, and which go stale."""

import itertools
from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opinions.reminder_schedule import Policy, Step, fire_at, in_window, plan, superseded


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def test_the_default_ladder_for_a_due_date():
    steps = plan(date(2026, 12, 7), Policy(), is_workday=weekdays)
    assert [(s.key, s.fire_on) for s in steps] == [
        ("before:30", date(2026, 11, 7)), ("before:14", date(2026, 11, 23)), ("before:7", date(2026, 11, 30)),
        ("before:3", date(2026, 12, 4)), ("before:1", date(2026, 12, 6)), ("before:0", date(2026, 12, 7)),
        ("overdue", date(2026, 12, 8)), ("escalation", date(2026, 12, 14)),
    ]


def test_escalation_counts_working_days_so_a_holiday_week_pushes_it_back():
    holidays = {date(2026, 10, d) for d in range(1, 8)}
    steps = plan(date(2026, 9, 30), Policy(escalate_after_workdays=5),
                 is_workday=lambda d: (weekdays(d) and d not in holidays) or d == date(2026, 10, 10))
    assert steps[-1] == Step("escalation", date(2026, 10, 13))  # 10-08, 10-09, 10-10 (调休), 10-12, 10-13


def test_reminders_fire_at_the_start_of_the_sending_window():
    assert fire_at(Step("before:7", date(2026, 11, 30)), Policy()) == datetime(2026, 11, 30, 8, 30)


@pytest.mark.parametrize(("moment", "expected"), [
    (datetime(2026, 11, 23, 8, 29), False),
    (datetime(2026, 11, 23, 8, 30), True),
    (datetime(2026, 11, 23, 17, 59), True),
    (datetime(2026, 11, 23, 18, 0), False),
    (datetime(2026, 11, 22, 10, 0), False),  # a Sunday
])
def test_nothing_is_sent_at_night_or_on_rest_days(moment, expected):
    assert in_window(moment, Policy(), is_workday=weekdays) is expected


def test_a_custom_window_is_respected():
    policy = Policy(window_start=time(9), window_end=time(12))
    assert not in_window(datetime(2026, 11, 23, 12, 30), policy, is_workday=weekdays)


@pytest.mark.parametrize(("key", "also_due", "stale"), [
    ("before:7", ["before:7", "before:3"], True),
    ("before:7", ["before:7", "overdue"], True),
    ("before:3", ["before:7", "before:3"], False),
    ("before:0", ["before:0"], False),
    ("overdue", ["overdue", "escalation"], False),
    ("escalation", ["escalation"], False),
])
def test_a_reminder_superseded_by_a_later_due_step_is_stale(key, also_due, stale):
    assert superseded(key, also_due) is stale


@pytest.mark.parametrize(("bad", "message"), [
    ({"days_before": (7, 7)}, "days_before"), ({"days_before": (-1,)}, "days_before"),
    ({"overdue_after_days": 0}, "at least one day"), ({"escalate_after_workdays": 0}, "at least one day"),
    ({"window_start": time(18), "window_end": time(8)}, "window"),
])
def test_an_impossible_policy_is_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        Policy(**bad)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
       st.lists(st.integers(0, 60), min_size=1, max_size=6, unique=True), st.integers(1, 20))
def test_the_ladder_is_ordered_and_each_step_supersedes_the_ones_before(due, days, escalate):
    steps = plan(due, Policy(days_before=tuple(days), escalate_after_workdays=escalate), is_workday=weekdays)
    assert [s.fire_on for s in steps] == sorted(s.fire_on for s in steps)
    assert [s.rank for s in steps] == sorted(s.rank for s in steps)
    assert steps[-1].fire_on > due
    for earlier, later in itertools.pairwise(steps):
        assert superseded(earlier.key, [earlier.key, later.key]) == earlier.key.startswith("before")
