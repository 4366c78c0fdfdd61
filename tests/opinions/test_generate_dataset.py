"""The benchmarks' synthetic dataset (manage.py generate_dataset)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agencies.models import Membership, MembershipRole
from opinions.choices import ItemKind
from opinions.models import Case, CaseItem, Evaluation
from opinions.workflow import OPEN_STATUSES, CaseStatus, ItemStatus

TODAY = date(2026, 6, 15)
REPORTED = (CaseStatus.SUBMITTED, CaseStatus.ACCEPTED, CaseStatus.CLOSED)


def generate(cases=60, **options) -> str:
    out = StringIO()
    call_command("generate_dataset", cases=cases, today=TODAY, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def dataset(db):
    return generate()


def test_makes_the_cases_asked_for_with_their_items_and_says_so(dataset):
    assert "60 cases" in dataset
    assert Case.objects.filter(external_ref__startswith="GEN-").count() == 60
    assert not Case.objects.filter(items__isnull=True).exists()
    assert 3 * 60 <= CaseItem.objects.count() <= 7 * 60


def test_most_cases_of_ten_years_are_closed_and_some_are_still_open(dataset):
    statuses = list(Case.objects.values_list("status", flat=True))
    assert statuses.count(CaseStatus.CLOSED) > len(statuses) / 2
    assert any(status in OPEN_STATUSES for status in statuses)


def test_dates_follow_the_status_and_none_is_after_today(dataset):
    for case in Case.objects.all():
        dates = [case.issued_date, case.received_date, case.submitted_date, case.closed_date, case.escalated_on]
        assert all(day is None or day <= TODAY for day in dates), case.external_ref
        if case.status == CaseStatus.DRAFT:
            assert case.issued_date is None
            assert case.due_date is None
            continue
        assert case.issued_date is not None
        assert case.due_date > case.issued_date
        assert (case.submitted_date is not None) == (case.status in REPORTED)
        assert (case.closed_date is not None) == (case.status == CaseStatus.CLOSED)
        if case.closed_date:
            assert case.closed_date >= case.submitted_date


def test_items_of_a_closed_case_are_verified_or_carried_over(dataset):
    items = CaseItem.objects.filter(case__status=CaseStatus.CLOSED)
    assert set(items.values_list("status", flat=True)) <= {ItemStatus.CLOSED, ItemStatus.CARRIED_OVER}


def test_audit_problems_carry_amounts_and_no_more_is_rectified_than_involved(db):
    generate(cases=150)
    problems = CaseItem.objects.filter(kind=ItemKind.AUDIT_PROBLEM)
    assert problems.exists()
    assert not problems.filter(amount__isnull=True).exists()
    assert all(p.rectified_amount <= p.amount for p in problems.exclude(rectified_amount__isnull=True))
    assert Evaluation.objects.exists()


def test_every_case_and_item_has_its_creation_in_the_history(dataset):
    assert Case.history.filter(history_type="+").count() == Case.objects.count()
    assert CaseItem.history.filter(history_type="+").count() == CaseItem.objects.count()
    issued = Case.objects.exclude(status=CaseStatus.DRAFT).first()
    assert [row.status for row in Case.history.filter(id=issued.pk).order_by("history_id")] == [
        CaseStatus.DRAFT, issued.status]


def test_bodies_get_liaisons_who_see_their_cases(dataset):
    case = Case.objects.exclude(status__in=[CaseStatus.DRAFT, CaseStatus.WITHDRAWN]).first()
    assert Membership.objects.filter(role=MembershipRole.LIAISON, body=case.lead_body).exists()


def test_growing_the_dataset_makes_the_same_cases_as_generating_them_at_once(db):
    def made():
        return list(Case.objects.order_by("external_ref").values_list("external_ref", "title", "status", "due_date",
                                                                       "items__heading"))

    generate(cases=20)
    generate(cases=10)
    grown = made()
    for model in (Evaluation, CaseItem, Case):
        model.objects.all().delete()
    generate(cases=30)
    assert made() == grown
    assert len({row[0] for row in grown}) == 30


def test_refuses_a_database_with_real_cases_unless_forced(make_case):
    make_case()
    with pytest.raises(CommandError, match="real cases"):
        generate(cases=5)
    assert not Case.objects.filter(external_ref__startswith="GEN-").exists()
    generate(cases=5, force=True)
    assert Case.objects.filter(external_ref__startswith="GEN-").count() == 5
