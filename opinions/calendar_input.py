"""A year's holidays and 调休 working days as an administrator writes them — "2027-01-01..2027-01-03:元旦", one per
line or argument — read the same way by `manage.py calendar_year` and the admin's whole-year form."""

from datetime import date, timedelta


class CalendarInputError(ValueError):
    """A line that cannot be read; its message names the line, in Chinese (administrators read it)."""


def parse_days(spec: str) -> dict[date, str]:
    """"2027-01-01..2027-01-03:元旦" → each day of the range with its name."""
    span, _sep, name = spec.strip().partition(":")
    first, _sep, last = span.partition("..")
    try:
        start, end = date.fromisoformat(first.strip()), date.fromisoformat((last or first).strip())
    except ValueError as exc:
        raise CalendarInputError(f"“{spec}”：日期应写作 YYYY-MM-DD[..YYYY-MM-DD][:名称]") from exc
    if end < start:
        raise CalendarInputError(f"“{spec}”：结束日期早于开始日期")
    if (end - start).days > 366:
        raise CalendarInputError(f"“{spec}”：一段日期不能超过一年")
    return {start + timedelta(days=n): name.strip() for n in range((end - start).days + 1)}


def parse_lines(specs, default_name: str) -> dict[date, str]:
    """Every line (or argument) of holidays or working days, each day with its name (the default when none)."""
    days = {}
    for spec in specs:
        if spec.strip():
            days.update({day: name or default_name for day, name in parse_days(spec).items()})
    return days
