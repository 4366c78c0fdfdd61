"""One `days_to_due` for the list, the case page, the API, the ledger and the red/amber/green colour; the days
overdue (the overdue board, the 通报 reason) are the same count seen from the other side."""

from datetime import date

from opinions.models import Case


def test_days_to_due_counts_calendar_days_and_is_negative_when_overdue():
    case = Case(due_date=date(2020, 12, 7))
    assert case.days_to_due(date(2020, 12, 1)) == 6
    assert case.days_to_due(date(2020, 12, 7)) == 0
    assert case.days_to_due(date(2021, 1, 6)) == -30


def test_a_case_without_a_due_date_has_no_days_to_due():
    assert Case(due_date=None).days_to_due(date(2020, 12, 1)) is None


def test_days_past_due_is_days_to_due_seen_from_the_other_side():
    case = Case(due_date=date(2020, 12, 7))
    assert case.days_past_due(date(2021, 1, 6)) == 30
    assert case.days_past_due(date(2020, 12, 1)) == -6
    assert Case(due_date=None).days_past_due(date(2020, 12, 1)) is None
