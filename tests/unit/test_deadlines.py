"""Deadline arithmetic checked against the real State Council calendars (via the chinese_calendar package)."""

import functools
import json
import pickle
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from opinions.calendar_seed import calendar_rows
from opinions.deadlines import (
    ANCHOR_LABELS,
    CalendarMissingError,
    DeadlineError,
    DueDate,
    InvalidExtensionError,
    NoNextSessionError,
    Rule,
    RuleSyntaxError,
    Step,
    WorkCalendar,
    add_days,
    add_months,
    add_workdays,
    compute_due,
    days_left,
    extend,
    next_workday_on_or_after,
    period_dates,
)

FIRST_YEAR, LAST_YEAR = 2004, 2026  # the years chinese_calendar knows; 2027 is deliberately missing
NO_CALENDAR = WorkCalendar({})


@functools.lru_cache(maxsize=8)
def china_calendar(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> WorkCalendar:
    """The calendar exactly as the product seeds it from chinese-calendar."""
    days, notes = {}, {}
    for year in range(first_year, last_year + 1):
        for day, is_workday, note in calendar_rows(year):
            days[day] = is_workday
            if note:
                notes[day] = note
    return WorkCalendar(days, notes)


def workdays_between(start_exclusive: date, end_inclusive: date, calendar: WorkCalendar) -> int:
    count, d = 0, start_exclusive
    while d < end_inclusive:
        d += timedelta(days=1)
        count += calendar.is_workday(d)
    return count


# --- the test calendar itself matches the published notices -----------------------------------------------------


def test_the_package_calendar_knows_2026_national_day_and_its_make_up_days():
    cal = china_calendar()
    rest_days = [date(2026, 9, 25) + timedelta(days=i) for i in range(3)]
    rest_days += [date(2026, 10, 1) + timedelta(days=i) for i in range(7)]
    assert not any(cal.is_workday(d) for d in rest_days)
    assert cal.is_workday(date(2026, 9, 20))  # Sunday 调休
    assert cal.is_workday(date(2026, 10, 10))  # Saturday 调休
    assert cal.note(date(2026, 10, 1)) == "国庆节"
    assert cal.note(date(2026, 9, 25)) == "中秋节"


# --- WorkCalendar -----------------------------------------------------------------------------------------------


def full_year(year: int, *, workday=lambda d: d.weekday() < 5) -> dict[date, bool]:
    d, days = date(year, 1, 1), {}
    while d.year == year:
        days[d] = workday(d)
        d += timedelta(days=1)
    return days


def test_a_year_is_covered_only_when_every_day_is_present():
    assert WorkCalendar(full_year(2027)).covered_years == frozenset({2027})
    leap = full_year(2028)
    assert len(leap) == 366
    assert WorkCalendar(leap).covered_years == frozenset({2028})
    del leap[date(2028, 2, 29)]
    assert WorkCalendar(leap).covered_years == frozenset()


def test_a_partially_filled_year_is_not_covered_and_is_never_guessed():
    cal = WorkCalendar({date(2027, 1, 1): False, date(2027, 1, 4): True, date(2027, 1, 5): True})
    assert 2027 not in cal.covered_years
    with pytest.raises(CalendarMissingError) as info:
        cal.is_workday(date(2027, 1, 4))
    assert info.value.year == 2027


def test_the_calendar_returns_notes_only_where_there_are_some():
    cal = WorkCalendar(full_year(2027), {date(2027, 1, 1): "元旦"})
    assert cal.note(date(2027, 1, 1)) == "元旦"
    assert cal.note(date(2027, 1, 4)) is None


def test_the_chinese_calendar_helper_covers_2004_to_2026_but_not_2027():
    assert china_calendar().covered_years == frozenset(range(FIRST_YEAR, LAST_YEAR + 1))


# --- months -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("anchor", "n", "expected"),
    [
        (date(2020, 8, 31), 3, date(2020, 11, 30)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2022, 11, 30), 3, date(2023, 2, 28)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 3, 31), 1, date(2023, 4, 30)),
        (date(2023, 10, 15), 3, date(2024, 1, 15)),
        (date(2023, 5, 20), 12, date(2024, 5, 20)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2020, 9, 3), 3, date(2020, 12, 3)),  # 2020 plan opinion, issued 2020-09-03
        (date(2020, 8, 31), 2, date(2020, 10, 31)),  # 2020 budget opinion, meeting ended 2020-08-31
    ],
)
def test_a_month_period_ends_on_the_corresponding_day_or_the_last_day_of_a_short_month(anchor, n, expected):
    assert add_months(anchor, n) == expected


def test_the_2020_plan_opinion_is_due_on_a_thursday_and_does_not_move():
    due = compute_due("months:3", date(2020, 9, 3), calendar=china_calendar(), anchor_event="issue")
    assert due.due == date(2020, 12, 3)
    assert due.steps == (Step("computed", date(2020, 12, 3)),)


def test_the_2020_budget_opinion_lands_on_a_saturday_and_rolls_to_monday():
    due = compute_due("months:2", date(2020, 8, 31), calendar=china_calendar(), anchor_event="meeting")
    assert due.due == date(2020, 11, 2)
    assert [s.kind for s in due.steps] == ["computed", "rest_day", "rolled_forward"]


# --- calendar days ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("anchor", "n", "expected"),
    [
        (date(2020, 8, 31), 10, date(2020, 9, 10)),
        (date(2023, 1, 25), 10, date(2023, 2, 4)),
        (date(2024, 2, 25), 5, date(2024, 3, 1)),
        (date(2023, 12, 25), 10, date(2024, 1, 4)),
        (date(2023, 12, 31), 1, date(2024, 1, 1)),
    ],
)
def test_calendar_days_are_counted_from_the_day_after_the_anchor(anchor, n, expected):
    assert add_days(anchor, n) == expected


# --- working days -----------------------------------------------------------------------------------------------


def test_ten_working_days_from_2026_09_28_skip_national_day_and_count_the_make_up_saturday():
    cal = china_calendar()
    # 9-29, 9-30, 10-08, 10-09, 10-10 (Saturday 调休), 10-12 … 10-16
    assert add_workdays(date(2026, 9, 28), 10, cal) == date(2026, 10, 16)


@pytest.mark.parametrize(
    ("anchor", "n", "expected"),
    [
        (date(2026, 9, 28), 5, date(2026, 10, 10)),  # lands on the 调休 Saturday
        (date(2026, 10, 9), 1, date(2026, 10, 10)),  # the very next working day is that Saturday
        (date(2026, 10, 9), 2, date(2026, 10, 12)),  # steps over it: it was counted as day one
        (date(2026, 9, 19), 1, date(2026, 9, 20)),  # the 调休 Sunday before the holiday
        (date(2026, 9, 24), 1, date(2026, 9, 28)),  # Mid-autumn rest days 9-25..27
    ],
)
def test_make_up_working_days_around_national_day_2026_count_as_working_days(anchor, n, expected):
    assert add_workdays(anchor, n, china_calendar()) == expected


@pytest.mark.parametrize(
    ("anchor", "n", "expected"),
    [
        (date(2020, 9, 30), 1, date(2020, 10, 9)),  # National Day + Mid-autumn 10-01..10-08
        (date(2020, 9, 30), 2, date(2020, 10, 10)),  # Saturday 调休
        (date(2020, 9, 26), 1, date(2020, 9, 27)),  # Sunday 调休
        (date(2020, 9, 28), 10, date(2020, 10, 19)),
    ],
)
def test_working_days_across_national_day_and_mid_autumn_2020(anchor, n, expected):
    assert add_workdays(anchor, n, china_calendar()) == expected


def test_a_workdays_rule_explains_itself_with_the_true_2026_answer():
    due = compute_due("workdays:10", date(2026, 9, 28), calendar=china_calendar(), anchor_event="issue")
    assert due.explain() == "十个工作日，自交办日 2026-09-28 起 → 2026-10-16"


def test_zero_working_days_is_refused():
    with pytest.raises(ValueError, match="positive"):
        add_workdays(date(2026, 9, 28), 0, china_calendar())


# --- roll forward -----------------------------------------------------------------------------------------------


def test_a_saturday_due_date_rolls_forward_to_monday():
    due = compute_due("months:3", date(2020, 9, 5), calendar=china_calendar())
    assert due.steps == (
        Step("computed", date(2020, 12, 5)),
        Step("rest_day", date(2020, 12, 5)),
        Step("rolled_forward", date(2020, 12, 7)),
    )
    assert due.due == date(2020, 12, 7)


def test_a_due_date_inside_a_holiday_week_rolls_to_the_first_working_day_after_it():
    due = compute_due("days:3", date(2026, 9, 28), calendar=china_calendar())
    assert due.due == date(2026, 10, 8)
    assert due.steps[1] == Step("rest_day", date(2026, 10, 1), "国庆节")


def test_without_roll_forward_the_rest_day_is_kept():
    due = compute_due("months:2", date(2020, 8, 31), calendar=china_calendar(), roll_forward=False)
    assert due.due == date(2020, 10, 31)
    assert due.steps == (Step("computed", date(2020, 10, 31)),)


def test_a_due_date_on_a_make_up_saturday_does_not_move():
    due = compute_due("days:10", date(2026, 9, 30), calendar=china_calendar())
    assert due.due == date(2026, 10, 10)
    assert due.steps == (Step("computed", date(2026, 10, 10)),)


def test_a_fixed_date_on_a_rest_day_moves_back_to_the_last_working_day_before_it():
    due = compute_due("date:2026-10-03", date(2026, 9, 1), calendar=china_calendar())
    assert due.due == date(2026, 9, 30)  # National Day holiday 10-01..10-07; 9-30 is a Wednesday
    assert due.explain("zh") == "2026-10-03 前 → 2026-10-03 国庆节 → 提前至 2026-09-30"
    assert due.explain("en") == "by 2026-10-03 → 2026-10-03 国庆节 → moved back to 2026-09-30"


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2026, 10, 8), date(2026, 10, 8)),
        (date(2026, 10, 3), date(2026, 10, 8)),
        (date(2026, 10, 11), date(2026, 10, 12)),
    ],
)
def test_the_next_working_day_on_or_after_a_day_is_that_day_when_it_is_a_working_day(d, expected):
    assert next_workday_on_or_after(d, china_calendar()) == expected


# --- missing calendar years -------------------------------------------------------------------------------------


MISSING_2027_ZH = (
    "2027 年的工作日历尚未录入（国务院尚未公布或管理员尚未导入），无法计算工作日，请管理员先录入 2027 年日历。"
)


def test_working_days_walking_into_2027_raise_calendar_missing_for_2027():
    with pytest.raises(CalendarMissingError) as info:
        compute_due("workdays:10", date(2026, 12, 28), calendar=china_calendar())
    error = info.value
    assert error.year == 2027
    assert error.code == "calendar_missing"
    assert "2027" in str(error)
    assert "2027" in error.message_en
    assert str(error) == error.message_zh
    assert error.message_zh == MISSING_2027_ZH


def test_months_into_2027_with_roll_forward_need_the_2027_calendar():
    with pytest.raises(CalendarMissingError) as info:
        compute_due("months:3", date(2026, 11, 23), calendar=china_calendar())
    assert info.value.year == 2027


def test_months_into_2027_without_roll_forward_need_no_calendar_at_all():
    due = compute_due("months:3", date(2026, 11, 23), calendar=NO_CALENDAR, roll_forward=False)
    assert due.due == date(2027, 2, 23)


def test_days_without_roll_forward_need_no_calendar_at_all():
    due = compute_due("days:10", date(2020, 8, 31), calendar=NO_CALENDAR, roll_forward=False)
    assert due.due == date(2020, 9, 10)


def test_a_partial_2027_calendar_still_raises_for_2027():
    partial = dict(full_year(2026))
    partial.update({date(2027, 1, 1): False, date(2027, 1, 4): True})
    with pytest.raises(CalendarMissingError) as info:
        compute_due("workdays:5", date(2026, 12, 28), calendar=WorkCalendar(partial))
    assert info.value.year == 2027


def test_once_the_2027_calendar_is_entered_the_computation_succeeds():
    cal = WorkCalendar({**full_year(2026), **full_year(2027)})
    assert compute_due("workdays:10", date(2026, 12, 28), calendar=cal).due == date(2027, 1, 11)


# --- Rule -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("months:3", Rule("months", 3)),
        ("days:10", Rule("days", 10)),
        ("workdays:10", Rule("workdays", 10)),
        ("date:2024-12-31", Rule("date", fixed=date(2024, 12, 31))),
        ("next_session", Rule("next_session")),
        ("  MONTHS : 3 ", Rule("months", 3)),
        ("Workdays:999", Rule("workdays", 999)),
        ("days:010", Rule("days", 10)),
        ("months：2", Rule("months", 2)),  # full-width colon from a Chinese input method
        (" Next_Session ", Rule("next_session")),
        ("date: 2024-02-29", Rule("date", fixed=date(2024, 2, 29))),
    ],
)
def test_every_accepted_rule_form_parses(text, expected):
    assert Rule.parse(text) == expected


@pytest.mark.parametrize("text", ["months:3", "days:10", "workdays:10", "date:2024-12-31", "next_session"])
def test_the_canonical_text_of_a_rule_round_trips(text):
    assert str(Rule.parse(text)) == text
    assert Rule.parse(str(Rule.parse(text))) == Rule.parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "months",
        "months:0",
        "months:-1",
        "weeks:2",
        "date:2024-02-30",
        "",
        "   ",
        "months:abc",
        "months:1000",
        "months:3.5",
        "months:" + "9" * 5000,
        "date:20241231",
        "date:",
        "next_session:2",
        "3 months",
    ],
)
def test_bad_rules_raise_a_syntax_error_listing_the_accepted_forms(text):
    with pytest.raises(RuleSyntaxError) as info:
        Rule.parse(text)
    assert info.value.code == "rule_syntax"
    assert "months:N" in str(info.value)
    assert "next_session" in info.value.message_en


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "weeks", "n": 2},
        {"kind": "months"},
        {"kind": "months", "n": 0},
        {"kind": "months", "n": 3, "fixed": date(2024, 1, 1)},
        {"kind": "date"},
        {"kind": "days", "n": True},
        {"kind": "next_session", "n": 1},
    ],
)
def test_a_rule_built_directly_is_validated_too(kwargs):
    with pytest.raises(RuleSyntaxError):
        Rule(**kwargs)


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("months:3", "三个月", "3 months"),
        ("months:2", "两个月", "2 months"),
        ("months:1", "一个月", "1 month"),
        ("months:12", "十二个月", "12 months"),
        ("days:10", "十日", "10 days"),
        ("days:30", "三十日", "30 days"),
        ("days:1", "一日", "1 day"),
        ("workdays:10", "十个工作日", "10 working days"),
        ("workdays:2", "两个工作日", "2 working days"),
        ("workdays:21", "二十一个工作日", "21 working days"),
        ("days:105", "一百零五日", "105 days"),
        ("days:110", "一百一十日", "110 days"),
        ("days:999", "九百九十九日", "999 days"),
        ("months:200", "二百个月", "200 months"),
        ("date:2024-12-31", "2024-12-31 前", "by 2024-12-31"),
        ("next_session", "下一次常委会会议", "next Standing Committee session"),
    ],
)
def test_rules_have_chinese_and_english_labels(text, zh, en):
    rule = Rule.parse(text)
    assert rule.label() == zh
    assert rule.label("zh") == zh
    assert rule.label("en") == en


# --- next session -----------------------------------------------------------------------------------------------


def test_a_next_session_rule_uses_the_meeting_date():
    due = compute_due("next_session", date(2024, 9, 2), calendar=NO_CALENDAR, next_session=date(2024, 10, 29))
    assert due.due == date(2024, 10, 29)
    assert due.steps == (Step("next_session", date(2024, 10, 29)),)


def test_a_next_session_rule_without_a_meeting_date_raises():
    with pytest.raises(NoNextSessionError) as info:
        compute_due("next_session", date(2024, 9, 2), calendar=NO_CALENDAR)
    assert info.value.code == "no_next_session"


def test_a_next_session_rule_with_a_meeting_not_after_the_anchor_raises():
    with pytest.raises(NoNextSessionError):
        compute_due("next_session", date(2024, 9, 2), calendar=NO_CALENDAR, next_session=date(2024, 9, 2))


# --- extensions -------------------------------------------------------------------------------------------------


@pytest.fixture
def december_due() -> DueDate:
    return compute_due("months:3", date(2020, 9, 5), calendar=china_calendar())


def test_an_extension_moves_the_due_date_and_keeps_the_original(december_due):
    extended = extend(december_due, date(2021, 1, 15), calendar=china_calendar())
    assert extended.due == date(2021, 1, 15)
    assert extended.original_due == date(2020, 12, 7)
    assert extended.steps[-1] == Step("extended", date(2021, 1, 15), "2020-12-07")
    assert extended.explain() == (
        "三个月，自签收日 2020-09-05 起 → 2020-12-05 周六 → 顺延至 2020-12-07 → 延期至 2021-01-15（原 2020-12-07）"
    )
    assert extended.explain("en") == (
        "3 months from receipt date 2020-09-05 → 2020-12-05 Sat → rolled forward to 2020-12-07"
        " → extended to 2021-01-15 (was 2020-12-07)"
    )


@pytest.mark.parametrize("new_date", [date(2020, 12, 7), date(2020, 12, 1)])
def test_an_extension_not_after_the_current_due_date_is_refused(december_due, new_date):
    with pytest.raises(InvalidExtensionError) as info:
        extend(december_due, new_date, calendar=china_calendar())
    assert info.value.code == "invalid_extension"
    assert "2020-12-07" in str(info.value)


def test_extensions_chain_and_the_original_due_date_stays(december_due):
    cal = china_calendar()
    once = extend(december_due, date(2021, 1, 15), calendar=cal)
    twice = extend(once, date(2021, 2, 26), calendar=cal)
    assert twice.due == date(2021, 2, 26)
    assert twice.original_due == date(2020, 12, 7)
    assert twice.explain().endswith("→ 延期至 2021-01-15（原 2020-12-07） → 延期至 2021-02-26（原 2021-01-15）")
    with pytest.raises(InvalidExtensionError):
        extend(twice, date(2021, 2, 1), calendar=cal)


def test_an_extension_landing_on_a_rest_day_rolls_forward(december_due):
    extended = extend(december_due, date(2021, 1, 16), calendar=china_calendar())
    assert extended.due == date(2021, 1, 18)
    assert extended.explain().endswith("→ 延期至 2021-01-16 周六（原 2020-12-07） → 顺延至 2021-01-18")


def test_an_extension_without_roll_forward_keeps_the_rest_day_and_needs_no_calendar(december_due):
    extended = extend(december_due, date(2021, 1, 16), calendar=NO_CALENDAR, roll_forward=False)
    assert extended.due == date(2021, 1, 16)


def test_a_due_date_never_extended_is_its_own_original(december_due):
    assert december_due.original_due == december_due.due == date(2020, 12, 7)


# --- explain ----------------------------------------------------------------------------------------------------


def test_explain_shows_the_weekday_and_the_roll_forward(december_due):
    assert december_due.explain() == "三个月，自签收日 2020-09-05 起 → 2020-12-05 周六 → 顺延至 2020-12-07"
    assert december_due.explain("en") == (
        "3 months from receipt date 2020-09-05 → 2020-12-05 Sat → rolled forward to 2020-12-07"
    )


def test_explain_of_a_working_day_due_date_is_just_the_date():
    due = compute_due("months:3", date(2020, 9, 3), calendar=china_calendar(), anchor_event="issue")
    assert due.explain() == "三个月，自交办日 2020-09-03 起 → 2020-12-03"


def test_explain_names_the_holiday_of_a_rest_day():
    due = compute_due("months:3", date(2026, 7, 1), calendar=china_calendar())
    assert due.explain() == "三个月，自签收日 2026-07-01 起 → 2026-10-01 国庆节 → 顺延至 2026-10-08"


def test_explain_prefers_the_holiday_name_over_the_weekday_of_a_weekend_holiday():
    due = compute_due("days:5", date(2026, 9, 28), calendar=china_calendar())
    assert due.explain() == "五日，自签收日 2026-09-28 起 → 2026-10-03 国庆节 → 顺延至 2026-10-08"


def test_explain_falls_back_to_the_weekday_when_the_calendar_has_no_note():
    cal = WorkCalendar(full_year(2026))
    due = compute_due("days:5", date(2026, 9, 28), calendar=cal)
    assert due.explain() == "五日，自签收日 2026-09-28 起 → 2026-10-03 周六 → 顺延至 2026-10-05"


def test_explain_of_a_fixed_date_rule_omits_the_anchor():
    due = compute_due("date:2024-12-31", date(2024, 9, 2), calendar=china_calendar())
    assert due.explain() == "2024-12-31 前 → 2024-12-31"
    assert due.explain("en") == "by 2024-12-31 → 2024-12-31"


def test_explain_of_a_next_session_rule():
    due = compute_due("next_session", date(2024, 9, 2), calendar=NO_CALENDAR, next_session=date(2024, 10, 29))
    assert due.explain() == "下一次常委会会议，自签收日 2024-09-02 起 → 2024-10-29"


@pytest.mark.parametrize(("event", "labels"), ANCHOR_LABELS.items())
def test_explain_names_every_anchor_event(event, labels):
    due = compute_due("days:10", date(2020, 8, 31), calendar=china_calendar(), anchor_event=event)
    assert f"自{labels[0]} 2020-08-31 起" in due.explain()
    assert f"from {labels[1]} 2020-08-31" in due.explain("en")


def test_an_unknown_anchor_event_is_a_programming_error():
    with pytest.raises(ValueError, match="anchor"):
        compute_due("days:10", date(2020, 8, 31), calendar=china_calendar(), anchor_event="whenever")


# --- serialisation ----------------------------------------------------------------------------------------------


def test_a_due_date_round_trips_through_json_including_extensions(december_due):
    cal = china_calendar()
    extended = extend(extend(december_due, date(2021, 1, 16), calendar=cal), date(2021, 2, 26), calendar=cal)
    data = json.loads(json.dumps(extended.to_dict()))
    assert data["due"] == "2021-02-26"
    assert data["rule"] == "months:3"
    restored = DueDate.from_dict(data)
    assert restored == extended
    assert restored.original_due == date(2020, 12, 7)
    assert restored.explain() == extended.explain()


@pytest.mark.parametrize("rule", ["date:2024-12-31", "workdays:10", "days:3"])
def test_every_kind_of_due_date_round_trips(rule):
    due = compute_due(rule, date(2024, 9, 2), calendar=china_calendar(), anchor_event="meeting")
    assert DueDate.from_dict(due.to_dict()) == due


# --- errors -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        CalendarMissingError(2027),
        RuleSyntaxError("规则错误", "bad rule"),
        NoNextSessionError("无会议", "no session"),
        InvalidExtensionError("无效延期", "bad extension"),
    ],
)
def test_errors_are_deadline_errors_that_survive_pickling(error):
    assert isinstance(error, DeadlineError)
    assert str(error) == error.message_zh
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (copy.code, copy.message_zh, copy.message_en) == (error.code, error.message_zh, error.message_en)
    assert getattr(copy, "year", None) == getattr(error, "year", None)


# --- days_left --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "today", "expected"),
    [
        (date(2020, 12, 7), date(2020, 12, 1), 6),
        (date(2020, 12, 7), date(2020, 12, 7), 0),
        (date(2020, 12, 7), date(2020, 12, 10), -3),
        (date(2021, 1, 1), date(2020, 12, 31), 1),
    ],
)
def test_days_left_is_positive_before_zero_on_and_negative_after_the_due_date(due, today, expected):
    assert days_left(due, today) == expected


# --- properties -------------------------------------------------------------------------------------------------

anchors = st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(2025, 12, 31))
month_counts = st.integers(min_value=1, max_value=36)


@given(anchors, month_counts)
def test_add_months_lands_in_the_right_month_on_the_corresponding_or_last_day(anchor, n):
    result = add_months(anchor, n)
    assert (result.year * 12 + result.month) - (anchor.year * 12 + anchor.month) == n
    assert result.day <= anchor.day
    month_has_the_day = (result.replace(day=1) + timedelta(days=anchor.day - 1)).month == result.month
    if month_has_the_day:
        assert result.day == anchor.day
    else:
        assert (result + timedelta(days=1)).day == 1


@settings(deadline=None)
@given(anchors, st.sampled_from(["months", "days"]), month_counts)
def test_a_rolled_forward_due_date_is_the_first_working_day_on_or_after_the_raw_date(anchor, kind, n):
    cal = china_calendar()
    rule = Rule(kind, n)
    raw = compute_due(rule, anchor, calendar=cal, roll_forward=False).due
    assume(raw <= date(LAST_YEAR, 12, 24))  # leave room to roll forward without leaving the known years
    result = compute_due(rule, anchor, calendar=cal).due
    assert cal.is_workday(result)
    assert result >= raw
    assert workdays_between(raw - timedelta(days=1), result - timedelta(days=1), cal) == 0


@settings(deadline=None)
@given(anchors, month_counts)
def test_add_workdays_lands_on_the_nth_working_day_strictly_after_the_anchor(anchor, n):
    cal = china_calendar()
    result = add_workdays(anchor, n, cal)
    assert cal.is_workday(result)
    assert result > anchor
    assert workdays_between(anchor, result, cal) == n


@given(anchors, st.integers(min_value=1, max_value=999))
def test_a_days_rule_without_roll_forward_is_exactly_n_days_after_the_anchor(anchor, n):
    due = compute_due(Rule("days", n), anchor, calendar=NO_CALENDAR, roll_forward=False)
    assert due.due - anchor == timedelta(days=n)


def test_year_end_rule_is_due_on_31_december_of_the_anchor_year():
    due = compute_due("year_end", date(2024, 8, 27), calendar=china_calendar(), anchor_event="meeting")
    assert due.due == date(2024, 12, 31)
    assert due.explain("zh") == "年底前，自闭会日 2024-08-27 起 → 2024-12-31"
    assert due.explain("en") == "by the end of the year from end of meeting 2024-08-27 → 2024-12-31"


def test_year_end_never_rolls_into_january():
    due = compute_due("year_end", date(2022, 9, 1), calendar=china_calendar())
    assert due.due == date(2022, 12, 30)  # 2022-12-31 is a Saturday: "年底前" means the Friday before


@settings(deadline=None)
@given(anchors, st.integers(min_value=1, max_value=400))
def test_a_fixed_point_on_a_rest_day_moves_back_to_the_last_working_day_before_it(anchor, n):
    cal = china_calendar()
    fixed = add_days(anchor, n)
    assume(fixed.year <= LAST_YEAR and anchor.year >= FIRST_YEAR)
    assume(fixed >= date(FIRST_YEAR, 1, 15))  # room to move back without leaving the known years
    for rule in (Rule("date", fixed=fixed), Rule("year_end")):
        raw = rule.fixed or date(anchor.year, 12, 31)
        result = compute_due(rule, anchor, calendar=cal).due
        assert cal.is_workday(result)
        assert result <= raw
        if rule.kind == "year_end":
            assert result.year == raw.year  # never into the next year
        assert workdays_between(result, raw, cal) == 0  # no working day between it and the fixed point


def test_a_fixed_point_moves_back_even_where_periods_are_not_rolled_forward():
    assert compute_due("year_end", date(2022, 9, 1), calendar=china_calendar(), roll_forward=False).due == date(
        2022, 12, 30)
    assert compute_due("days:10", date(2022, 12, 21), calendar=china_calendar(), roll_forward=False).due == date(
        2022, 12, 31)


# --- N days before the December session ---------------------------------------------------------------------------


def test_december_session_counts_back_from_the_registered_session():
    due = compute_due("december_session:10", date(2024, 8, 26), calendar=china_calendar(),
                      december_session=date(2024, 12, 25))
    assert due.due == date(2024, 12, 13)  # 12-15 is a Sunday: back to Friday the 13th
    assert not due.provisional
    assert due.explain("zh") == ("十二月常委会会议前十日 → 常委会会议 2024-12-25 → 2024-12-15 周日 → 提前至 2024-12-13")
    assert "10 days before the December Standing Committee session" in due.explain("en")


def test_december_session_without_a_registered_session_is_the_years_last_working_day_and_says_so():
    due = compute_due("december_session:10", date(2022, 8, 26), calendar=china_calendar())
    assert due.due == date(2022, 12, 30)
    assert due.awaiting_session
    assert due.provisional
    assert "尚未登记十二月常委会会议，暂以年底 2022-12-31 元旦 计" in due.explain("zh")
    assert DueDate.from_dict(due.to_dict()) == due


def test_december_session_too_close_to_the_anchor_is_refused():
    with pytest.raises(DeadlineError, match="不晚于起算日"):
        compute_due("december_session:30", date(2024, 12, 1), calendar=china_calendar(),
                    december_session=date(2024, 12, 25))


@pytest.mark.parametrize("text", ["december_session", "december_session:0", "december_session:x"])
def test_december_session_needs_a_count(text):
    with pytest.raises(RuleSyntaxError):
        Rule.parse(text)


def test_december_session_round_trips():
    assert str(Rule.parse("December_Session: 7")) == "december_session:7"


# --- provisional years --------------------------------------------------------------------------------------------


def provisional_2027() -> WorkCalendar:
    """2026 as published, 2027 entered as weekends only (provisional)."""
    days, notes = {}, {}
    for day, is_workday, note in calendar_rows(2026):
        days[day] = is_workday
        if note:
            notes[day] = note
    day = date(2027, 1, 1)
    while day.year == 2027:
        days[day] = day.weekday() < 5
        day += timedelta(days=1)
    return WorkCalendar(days, notes, provisional_years=frozenset({2027}))


@pytest.mark.parametrize(("rule", "anchor", "due", "provisional"), [
    ("workdays:10", date(2026, 12, 24), date(2027, 1, 7), (2027,)),  # counts 2027's days, 元旦 as a weekday
    ("workdays:3", date(2026, 12, 1), date(2026, 12, 4), ()),  # never reaches 2027
    ("days:1", date(2026, 12, 31), date(2027, 1, 1), (2027,)),  # 元旦 unknown: a weekday, for now
    ("months:3", date(2026, 9, 10), date(2026, 12, 10), ()),
    ("months:3", date(2026, 10, 2), date(2027, 1, 4), (2027,)),  # 01-02 Saturday, read in 2027
    ("year_end", date(2026, 9, 1), date(2026, 12, 31), ()),
    ("date:2027-03-01", date(2026, 12, 1), date(2027, 3, 1), (2027,)),
])
def test_a_due_date_that_read_a_provisional_year_says_so(rule, anchor, due, provisional):
    result = compute_due(rule, anchor, calendar=provisional_2027())
    assert (result.due, result.provisional_years) == (due, provisional)
    assert result.provisional is bool(provisional)
    assert ("暂定" in result.explain("zh")) is bool(provisional)
    assert ("provisional" in result.explain("en")) is bool(provisional)
    assert DueDate.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_an_older_stored_basis_without_provisional_years_reads_as_official():
    stored = compute_due("months:3", date(2026, 1, 5), calendar=china_calendar()).to_dict()
    del stored["provisional_years"]
    assert DueDate.from_dict(stored).provisional_years == ()


def test_an_extension_into_a_provisional_year_is_provisional():
    cal = provisional_2027()
    base = compute_due("months:2", date(2026, 9, 1), calendar=cal)
    assert not base.provisional
    extended = extend(base, date(2027, 1, 15), calendar=cal)
    assert extended.provisional_years == (2027,)
    assert not extend(base, date(2026, 12, 18), calendar=cal).provisional


def test_a_provisional_year_that_is_not_complete_still_counts_as_missing():
    with pytest.raises(CalendarMissingError):
        compute_due("workdays:10", date(2026, 12, 24),
                    calendar=WorkCalendar({date(2027, 1, 4): True}, provisional_years=frozenset({2027})))


def test_year_end_takes_no_argument_and_round_trips():
    assert str(Rule.parse(" YEAR_END ")) == "year_end"
    with pytest.raises(RuleSyntaxError):
        Rule.parse("year_end:2024")
    assert Rule.parse("year_end").label("zh") == "年底前"


# --- N days before the meeting that hears the report ----------------------------------------------------------------


def test_before_meeting_counts_back_from_the_chosen_meeting():
    # 监督法: a special work report reaches the committee twenty days before the session that hears it.
    due = compute_due("before_meeting:20", date(2024, 5, 6), calendar=china_calendar(),
                      hearing_meeting=date(2024, 8, 26))
    assert due.due == date(2024, 8, 6)
    assert due.explain("zh") == "听取报告的会议前二十日 → 常委会会议 2024-08-26 → 2024-08-06"
    assert DueDate.from_dict(due.to_dict()) == due


def test_before_meeting_on_a_rest_day_moves_back():
    due = compute_due("before_meeting:20", date(2024, 5, 6), calendar=china_calendar(),
                      hearing_meeting=date(2024, 8, 24))
    assert due.due == date(2024, 8, 2)  # 08-04 is a Sunday: Friday before


def test_before_meeting_needs_a_chosen_meeting_after_the_anchor():
    with pytest.raises(NoNextSessionError, match="尚未选择听取报告的会议"):
        compute_due("before_meeting:20", date(2024, 5, 6), calendar=china_calendar())
    with pytest.raises(DeadlineError, match="请选择更晚的会议"):
        compute_due("before_meeting:20", date(2024, 8, 10), calendar=china_calendar(),
                    hearing_meeting=date(2024, 8, 26))
    assert str(Rule.parse("before_meeting:20")) == "before_meeting:20"


# --- periodic reports (定期报告) -----------------------------------------------------------------------------------


def test_periodic_reports_fall_every_n_months_and_the_last_on_the_end_date():
    rule = Rule.parse("periodic:6:2026-06-30")
    assert str(rule) == "periodic:6:2026-06-30"
    assert rule.label("zh") == "每六个月定期报告（至 2026-06-30）"
    assert period_dates(rule, date(2024, 9, 10)) == [date(2025, 3, 10), date(2025, 9, 10), date(2026, 3, 10),
                                                     date(2026, 6, 30)]


def test_each_period_is_its_own_due_date_and_says_which_it_is():
    cal = china_calendar()
    first = compute_due("periodic:6:2026-06-30", date(2024, 9, 10), calendar=cal)
    assert (first.due, first.period) == (date(2025, 3, 10), (1, 4))
    assert first.explain("zh") == ("每六个月定期报告（至 2026-06-30），自签收日 2024-09-10 起 → "
                                   "第 1 期（共 4 期）2025-03-10")
    last = compute_due("periodic:6:2026-06-30", date(2024, 9, 10), calendar=cal, period=4)
    assert (last.due, last.period) == (date(2026, 6, 30), (4, 4))
    assert DueDate.from_dict(last.to_dict()) == last


def test_a_period_ending_on_a_rest_day_rolls_forward_and_the_last_report_moves_back():
    cal = china_calendar()
    # 2025-03-09 is a Sunday: the first period ends Monday 03-10. The end date 2026-02-15 is in the Spring Festival
    # holiday: it moves back to Saturday 02-14, a 调休 working day.
    first = compute_due("periodic:6:2026-02-15", date(2024, 9, 9), calendar=cal)
    assert first.due == date(2025, 3, 10)
    last = compute_due("periodic:6:2026-02-15", date(2024, 9, 9), calendar=cal, period=3)
    assert last.due == date(2026, 2, 14)


@pytest.mark.parametrize("text", ["periodic:6", "periodic:0:2026-01-01", "periodic:121:2030-01-01",
                                  "periodic:x:2026-01-01", "periodic:6:2026-13-01"])
def test_a_periodic_rule_needs_an_interval_and_an_end_date(text):
    with pytest.raises(RuleSyntaxError):
        Rule.parse(text)


def test_a_series_ending_before_it_starts_or_too_long_is_refused():
    with pytest.raises(DeadlineError, match="须晚于起算日"):
        period_dates(Rule.parse("periodic:6:2024-01-01"), date(2024, 9, 10))
    with pytest.raises(DeadlineError, match="超过 120 期"):
        period_dates(Rule.parse("periodic:1:2040-01-01"), date(2024, 1, 10))
