"""Rows of the working-day calendar, from the chinese-calendar package for the years it knows.

chinese-calendar raises for years it does not know (2027 at the time of writing); those years are left empty
on purpose so that a computation into them fails loudly until an administrator enters the official schedule.
"""

from datetime import date, timedelta

import chinese_calendar

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利七十周年纪念日",
}


def known_years() -> range:
    first = min(chinese_calendar.holidays).year
    last = max(chinese_calendar.holidays).year
    return range(first, last + 1)


def calendar_rows(year: int):
    """(date, is_workday, note) for every day of the year."""
    day = date(year, 1, 1)
    while day.year == year:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        note = ""
        if name:
            name_zh = HOLIDAY_NAMES_ZH.get(name, name)
            # A named day that is not a holiday is a weekend day worked to make up for it (调休).
            note = name_zh if on_holiday else f"{name_zh}调休上班"
        yield day, chinese_calendar.is_workday(day), note
        day += timedelta(days=1)
