"""Leadership's figures on a small hand-built dataset: every KPI, each RAG boundary, on time vs late, the year
boundary, and who sees which figures. Statuses and dates are set directly: the figures read them, whatever wrote
them."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from opinions import dashboard
from opinions.models import Case, CaseItem, Evaluation
from opinions.selectors import DueSoon, cases_visible_to

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 15)
SOON = DueSoon({})  # amber from 14 days before the due date, whatever the kind


@pytest.fixture
def dataset(world):
    def case(ref, body, status, due=None, submitted=None, closed=None, items=()):
        made = Case.objects.create(kind="special_work_report", title=ref, lead_body=body, status=status,
                                   due_date=due, submitted_date=submitted, closed_date=closed,
                                   supervising_committee=world.caijing)
        for number, item_status in enumerate(items, start=1):
            CaseItem.objects.create(case=made, number=number, heading=f"{ref}-{number}", status=item_status)
        return made

    gov, court = world.gov, world.court
    cases = {
        "overdue": case("overdue", gov, "in_progress", due=date(2026, 6, 10), items=["not_started"]),
        "in_5_days": case("in_5_days", gov, "issued", due=date(2026, 6, 20)),
        "in_14_days": case("in_14_days", gov, "in_progress", due=date(2026, 6, 29)),
        "in_15_days": case("in_15_days", gov, "in_progress", due=date(2026, 6, 30)),
        "closed_on_time": case("closed_on_time", gov, "closed", due=date(2026, 3, 5), submitted=date(2026, 3, 1),
                               closed=date(2026, 4, 1), items=["closed", "closed"]),
        "closed_late_last_year": case("closed_late_last_year", gov, "closed", due=date(2025, 12, 1),
                                      submitted=date(2025, 12, 10), closed=date(2025, 12, 31)),
        "submitted_on_the_day": case("submitted_on_the_day", court, "submitted", due=TODAY, submitted=TODAY),
        "late_and_redone": case("late_and_redone", court, "accepted", due=date(2026, 5, 10),
                                submitted=date(2026, 5, 20), items=["closed", "carried_over"]),
        "draft": case("draft", court, "draft"),
        "due_today": case("due_today", court, "in_progress", due=TODAY),
    }
    for result in ("dissatisfied", "satisfied"):  # two evaluations of one case must count it once
        Evaluation.objects.create(case=cases["late_and_redone"], entitled_to_vote=30, satisfied=1,
                                  basically_satisfied=1, dissatisfied=20, result=result,
                                  recorded_at=datetime(2026, 6, 1, tzinfo=ZoneInfo("Asia/Shanghai")))
    return cases


def test_every_headline_figure(dataset):
    figures = dashboard.figures(Case.objects.all(), TODAY, SOON)
    assert figures.as_dict() == {
        "open": 7, "overdue": 1, "due_within_7": 2, "due_within_30": 4, "closed_this_year": 1,
        "on_time": 2, "late": 3, "on_time_rate": 40.0, "rehandled": 1, "late_handovers": 0,  # none has a meeting
        "red": 1, "amber": 3, "green": 1,
        # Closed items that are not audit problems: no 整改率 (issue 15 §4).
        "audit_problems": 0, "audit_problems_rectified": 0, "audit_repeats": 0, "rectification_rate": None,
        "amount_involved": Decimal(0), "amount_rectified": Decimal(0), "rectification_rate_by_amount": None,
    }


def test_rag_boundaries_follow_the_case_list(dataset):
    from opinions.selectors import rag

    colours = {ref: rag(case, TODAY, SOON) for ref, case in dataset.items()}
    assert colours["overdue"] == "red"
    assert colours["due_today"] == "amber"  # due today is not overdue yet
    assert colours["in_14_days"] == "amber"  # 14 days is still "due soon"
    assert colours["in_15_days"] == "green"
    figures = dashboard.figures(Case.objects.all(), TODAY, SOON)
    counted = list(colours.values())
    assert (figures.red, figures.amber, figures.green) == tuple(counted.count(c) for c in ("red", "amber", "green"))


def test_the_league_table_per_body(dataset, world):
    table = dashboard.league_table(Case.objects.all(), TODAY)
    assert table == [
        {"body": world.gov.pk, "body_name": world.gov.name, "cases": 6, "overdue": 1, "on_time": 1, "late": 2,
         "on_time_rate": 33.3, "average_days_late": 7.0, "dissatisfied": 0, "audit_problems": 0,
         "rectification_rate": None},
        {"body": world.court.pk, "body_name": world.court.name, "cases": 4, "overdue": 0, "on_time": 1, "late": 1,
         "on_time_rate": 50.0, "average_days_late": 10.0, "dissatisfied": 1, "audit_problems": 0,
         "rectification_rate": None},
    ]


def test_a_liaison_sees_only_their_bodys_figures_and_a_leader_all(dataset, world):
    mine = dashboard.figures(cases_visible_to(world.liaison), TODAY, SOON)
    assert (mine.open, mine.overdue, mine.rehandled) == (4, 1, 0)
    assert [row["body"] for row in dashboard.league_table(cases_visible_to(world.liaison), TODAY)] == [world.gov.pk]
    everything = dashboard.figures(cases_visible_to(world.leader), TODAY, SOON)
    assert everything == dashboard.figures(Case.objects.all(), TODAY, SOON)


def test_closed_this_year_turns_over_at_midnight_in_shanghai(dataset, monkeypatch):
    from django.utils import timezone

    from opinions.selectors import today

    # 2026-12-31 16:30 UTC is already 2027-01-01 00:30 in Asia/Shanghai.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 31, 16, 30, tzinfo=ZoneInfo("UTC")))
    assert today() == date(2027, 1, 1)
    assert dashboard.figures(Case.objects.all(), today(), SOON).closed_this_year == 0
    assert dashboard.figures(Case.objects.all(), date(2026, 12, 31), SOON).closed_this_year == 1


def test_nothing_to_measure_is_none_not_zero(world):
    figures = dashboard.figures(Case.objects.none(), TODAY, SOON)
    assert figures.on_time_rate is None
    assert figures.rectification_rate is None
    assert dashboard.league_table(Case.objects.none(), TODAY) == []


def test_the_api_gives_the_same_figures_scoped_and_filtered_like_the_list(dataset, world):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.liaison)
    body = api.get("/api/v1/dashboard/").json()
    expected = dashboard.figures(cases_visible_to(world.liaison), date.fromisoformat(body["today"]), SOON).as_dict()
    assert body["figures"] == {**expected, "amount_involved": "0.00", "amount_rectified": "0.00"}
    assert [row["body"] for row in body["league_table"]] == [world.gov.pk]
    api.force_authenticate(world.leader)
    filtered = api.get("/api/v1/dashboard/", {"body": world.court.pk}).json()
    assert [row["body"] for row in filtered["league_table"]] == [world.court.pk]
    assert api.get("/api/v1/dashboard/", {"year": "abc"}).status_code == 400
