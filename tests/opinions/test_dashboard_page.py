"""The dashboard beyond the headline figures: the rule set's amber setting, amounts, breakdowns, the monthly trend,
the overdue board, the league table's order, and the page, print and big-screen views. Above all: every number on
the page is a link to the case list, and following it lists exactly that many cases."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Membership
from npc_tracker.errors import InvalidInput
from opinions import dashboard
from opinions.choices import ReminderState
from opinions.models import AuditArea, AuditProblem, Case, CaseItem, Evaluation, Meeting, Reminder, RuleSet
from opinions.selectors import DueSoon, cases_visible_to, due_soon, rag

pytestmark = pytest.mark.django_db
TODAY = date(2026, 1, 20)  # a January: the 12 months reach back across the year boundary
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def frozen_today(monkeypatch):
    """The views read "today" from the clock, in Asia/Shanghai: 2026-01-20 08:00 there is 00:00 UTC."""
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 1, 20, 0, 0, tzinfo=ZoneInfo("UTC")))


@pytest.fixture
def cases(world):
    meeting = Meeting.objects.create(term=14, session=21, start_date=date(2025, 4, 20))

    def case(ref, body, status, kind="special_work_report", committee=world.caijing, issued=None, due=None,
             submitted=None, closed=None, meeting=None, items=()):
        made = Case.objects.create(kind=kind, title=ref, lead_body=body, status=status, issued_date=issued,
                                   due_date=due, submitted_date=submitted, closed_date=closed, meeting=meeting,
                                   supervising_committee=committee)
        for number, (item_status, amount, rectified) in enumerate(items, start=1):
            item = CaseItem.objects.create(case=made, number=number, heading=f"{ref}-{number}", status=item_status,
                                           amount=amount, rectified_amount=rectified, kind="audit_problem")
            AuditProblem.objects.create(item=item, reference=item.heading, audit_year=2024,
                                        area=AuditArea.objects.first(), problem_type="违规拨付资金",
                                        rectification_type="immediate")
        return made

    gov, court, fgw = world.gov, world.court, world.fgw
    made = {
        "overdue_long": case("overdue_long", gov, "in_progress", issued=date(2025, 8, 1), due=date(2025, 11, 3)),
        "overdue_new": case("overdue_new", court, "issued", kind="law_enforcement_inspection",
                            committee=world.yusuan,
                            issued=date(2025, 10, 9), due=date(2026, 1, 9)),
        "due_in_5": case("due_in_5", gov, "in_progress", issued=date(2025, 10, 25), due=date(2026, 1, 25)),
        "due_in_20": case("due_in_20", fgw, "in_consultation", issued=date(2025, 11, 10), due=date(2026, 2, 9)),
        "audit": case("audit", gov, "accepted", kind="audit_rectification", issued=date(2025, 9, 1),
                      due=date(2025, 12, 31), submitted=date(2025, 12, 20), meeting=meeting,
                      items=[("closed", Decimal("100"), Decimal("100")), ("in_progress", Decimal("300"),
                                                                           Decimal("50")),
                             ("not_started", None, None)]),
        "closed_late": case("closed_late", court, "closed", issued=date(2024, 12, 2), due=date(2025, 3, 3),
                            submitted=date(2025, 3, 10), closed=date(2025, 4, 2)),
        "closed_in_january": case("closed_in_january", fgw, "closed", issued=date(2025, 6, 3),
                                  due=date(2025, 9, 3), submitted=date(2025, 9, 1), closed=date(2026, 1, 6)),
        "draft": case("draft", gov, "draft"),
    }
    Evaluation.objects.create(case=made["closed_late"], entitled_to_vote=30, satisfied=1, basically_satisfied=1,
                              dissatisfied=20, result="dissatisfied", recorded_at=datetime(2025, 5, 1, tzinfo=SHANGHAI))
    return made


# ---------------------------------------------------------------- figures


def test_amber_is_the_rule_sets_setting_per_kind(cases):
    default = due_soon()
    assert default.days("special_work_report") == 14  # what the migration seeded
    assert rag(cases["due_in_5"], TODAY, default) == "amber"
    # Set-up only (the service and its history are tested with the rule sets): 3 days for special work reports.
    RuleSet.objects.filter(case_kind="special_work_report").update(due_soon_days=3)
    three_days = due_soon()
    assert rag(cases["due_in_5"], TODAY, three_days) == "green"
    figures = dashboard.figures(Case.objects.all(), TODAY, three_days)
    assert (figures.red, figures.amber, figures.green) == (2, 0, 2)
    assert dashboard.figures(Case.objects.all(), TODAY, default).amber == 1


@pytest.mark.parametrize(("days_before", "colour"), [(15, "green"), (14, "amber"), (0, "amber"), (-1, "red")])
def test_each_rag_boundary_in_sql_and_in_python(world, days_before, colour):
    case = Case.objects.create(kind="special_work_report", title="t", lead_body=world.gov, status="in_progress",
                               due_date=TODAY + timedelta(days=days_before))
    soon = DueSoon({})
    assert rag(case, TODAY, soon) == colour
    figures = dashboard.figures(Case.objects.all(), TODAY, soon)
    assert {"red": figures.red, "amber": figures.amber, "green": figures.green}[colour] == 1
    assert figures.red + figures.amber + figures.green == 1


def test_rectification_by_count_and_by_amount(cases):
    figures = dashboard.figures(Case.objects.all(), TODAY, DueSoon({}))
    assert (figures.audit_problems, figures.audit_problems_rectified, figures.rectification_rate) == (3, 1, 33.3)
    assert (figures.amount_involved, figures.amount_rectified) == (Decimal("400"), Decimal("150"))
    assert figures.rectification_rate_by_amount == 37.5


def test_breakdowns_by_committee_kind_and_year(cases, world):
    everything = Case.objects.all()
    by_kind = {row["key"]: row for row in dashboard.breakdown(everything, TODAY, "kind")}
    assert by_kind["special_work_report"]["cases"] == 6  # the draft counts: it is a case the user sees
    assert (by_kind["audit_rectification"]["open"], by_kind["audit_rectification"]["label"]) == (1, "审计查出问题整改")
    assert by_kind["law_enforcement_inspection"]["overdue"] == 1
    by_year = {row["key"]: row["cases"] for row in dashboard.breakdown(everything, TODAY, "year")}
    # The audit case's meeting was in 2025 although it was issued in September; the draft has no year yet.
    assert by_year == {2025: 6, 2024: 1, None: 1}
    by_committee = {row["key"]: row for row in dashboard.breakdown(everything, TODAY, "committee")}
    assert by_committee[world.caijing.pk]["label"] == (world.caijing.short_name or world.caijing.name)


def test_the_monthly_trend_crosses_the_year_boundary(cases):
    trend = dashboard.monthly_trend(Case.objects.all(), TODAY)
    assert next(row["month"] for row in trend) == date(2025, 2, 1)
    assert [row["month"] for row in trend][-1] == date(2026, 1, 1)
    by_month = {row["month"]: row for row in trend}
    assert by_month[date(2025, 10, 1)]["opened"] == 2
    assert by_month[date(2026, 1, 1)]["closed"] == 1
    assert by_month[date(2025, 4, 1)]["closed"] == 1
    assert by_month[date(2025, 3, 1)]["went_overdue"] == 1  # submitted a week late
    assert by_month[date(2025, 11, 1)]["went_overdue"] == 1  # still not submitted
    assert by_month[date(2026, 1, 1)]["went_overdue"] == 1  # due 9 January, not submitted
    assert by_month[date(2025, 12, 1)]["went_overdue"] == 0  # submitted before its due date
    assert sum(row["opened"] for row in trend) == 6  # the December 2024 one is older than 12 months


def test_the_overdue_board_names_liaisons_last_reminder_and_escalation(cases, world):
    long_overdue = cases["overdue_long"]
    Reminder.objects.create(case=long_overdue, step="before:7", due_date=long_overdue.due_date,
                            fire_at=datetime(2025, 10, 27, 8, 30, tzinfo=SHANGHAI), state=ReminderState.SENT,
                            finished_at=datetime(2025, 10, 27, 8, 31, tzinfo=SHANGHAI))
    Reminder.objects.create(case=long_overdue, step="overdue", due_date=long_overdue.due_date,
                            fire_at=datetime(2025, 11, 4, 8, 30, tzinfo=SHANGHAI), state=ReminderState.SENT,
                            finished_at=datetime(2025, 11, 4, 8, 31, tzinfo=SHANGHAI))
    Reminder.objects.create(case=long_overdue, step="escalation", due_date=long_overdue.due_date,
                            fire_at=datetime(2025, 11, 11, 8, 30, tzinfo=SHANGHAI), state=ReminderState.PLANNED)
    Case.objects.filter(pk=cases["overdue_new"].pk).update(further_supervision="inquiry")
    board = dashboard.overdue_board(Case.objects.all(), TODAY)
    assert [row.case.title for row in board] == ["overdue_long", "overdue_new"]
    first, second = board
    assert first.days_overdue == (TODAY - date(2025, 11, 3)).days
    assert first.liaisons == [world.liaison.get_full_name() or world.liaison.username]
    assert "催办" in first.last_reminder or "Reminder notice" in first.last_reminder  # the planned 通报 is not sent
    assert first.last_reminder_at == datetime(2025, 11, 4, 8, 31, tzinfo=SHANGHAI)
    assert first.escalation == first.last_reminder
    assert second.last_reminder == ""
    assert second.escalation != ""


def test_a_liaison_who_left_is_not_named_on_the_board(cases, world):
    Membership.objects.filter(user=world.liaison).update(is_active=False)
    board = dashboard.overdue_board(Case.objects.all(), TODAY)
    assert board[0].liaisons == []


def test_the_league_table_sorts_by_each_column(cases, world):
    everything = Case.objects.all()
    names = {world.gov.pk: "gov", world.court.pk: "court", world.fgw.pk: "fgw"}

    def order(sort):
        return [names[row["body"]] for row in dashboard.league_table(everything, TODAY, sort)]

    assert order("cases") == ["gov", "court", "fgw"]
    assert order("dissatisfied")[0] == "court"
    assert order("on_time_rate") == ["court", "gov", "fgw"]  # worst first: 0 %, 50 %, 100 %
    assert order("average_days_late")[0] == "gov"
    by_name = sorted([world.gov, world.court, world.fgw], key=lambda body: body.name)
    assert order("body_name") == [names[body.pk] for body in by_name]
    with pytest.raises(InvalidInput) as exc:
        dashboard.league_table(everything, TODAY, "pk; drop table")
    assert exc.value.field == "league_sort"


def test_the_dashboard_costs_the_same_queries_at_any_size(cases, world, django_assert_max_num_queries):
    soon = DueSoon({})
    with CaptureQueriesContext(connection) as small:
        dashboard.build(Case.objects.all(), TODAY, soon)
    for n in range(30):
        case = Case.objects.create(kind="motion", title=f"more {n}", lead_body=world.fgw, status="in_progress",
                                   issued_date=date(2025, 12, 1), due_date=date(2026, 1, 1) + timedelta(days=n))
        CaseItem.objects.create(case=case, number=1, heading="x", amount=Decimal(n))
    with CaptureQueriesContext(connection) as large:
        dashboard.build(Case.objects.all(), TODAY, soon)
    assert len(large) == len(small) <= 17  # the audit problems per unit (league table), the pressing letters (board)


# ---------------------------------------------------------------- the pages


def links_with_counts(html: str) -> list[tuple[str, int]]:
    return [(unescape(href), int(count))
            for href, count in re.findall(r'<a [^>]*href="([^"]+)"[^>]*data-count="(\d+)"', html)]


@pytest.mark.parametrize("who", ["leader", "liaison", "staff"])
def test_every_number_links_to_exactly_the_cases_behind_it(client, cases, world, frozen_today, who):
    user = getattr(world, who)
    client.force_login(user)
    page = client.get("/cases/dashboard/")
    assert page.status_code == 200
    links = links_with_counts(page.content.decode())
    assert len(links) >= 40  # KPIs, colours, league table, breakdowns and twelve months of trend
    for href, count in links:
        path, _sep, query = href.partition("?")
        assert path == "/cases/"
        listed = client.get(f"/api/v1/cases/?{query}")
        assert listed.status_code == 200, (href, listed.content)
        assert listed.json()["count"] == count, href


def test_figures_follow_the_page_filters_and_keep_them_in_every_link(client, cases, world, frozen_today):
    client.force_login(world.leader)
    page = client.get("/cases/dashboard/", {"kind": "audit_rectification", "year": 2025}).content.decode()
    links = links_with_counts(page)
    assert all("kind=audit_rectification" in href and "year=2025" in href for href, _count in links)
    open_link = next(count for href, count in links if "status=issued" in href and "lead_body" not in href
                     and "supervising_committee" not in href and "kind=" in href and "year=" in href)
    assert open_link == 1


def test_a_liaison_sees_only_their_bodys_cases_and_figures(client, cases, world, frozen_today):
    client.force_login(world.court_liaison)
    page = client.get("/cases/dashboard/").content.decode()
    assert "overdue_new" in page
    assert "overdue_long" not in page
    assert world.gov.name not in page.split('id="league"')[1].split("</section>")[0]
    body = client.get("/api/v1/dashboard/").json()
    assert body["figures"]["overdue"] == 1
    assert [row["body"] for row in body["league_table"]] == [world.court.pk]


def test_bad_filters_are_a_clear_400_and_anonymous_users_log_in(client, cases, world):
    assert client.get("/cases/dashboard/").status_code == 302
    client.force_login(world.leader)
    bad_year = client.get("/cases/dashboard/", {"year": "20x5"})
    assert bad_year.status_code == 400
    assert 'role="alert"' in bad_year.content.decode()
    bad_sort = client.get("/cases/dashboard/", {"league_sort": "drop table"})
    assert bad_sort.status_code == 400
    refused = client.get("/api/v1/dashboard/", {"league_sort": "nonsense"})
    assert refused.status_code == 400
    assert "league_sort" in refused.json()["fields"]


def test_print_and_big_screen_views_show_the_same_figures(client, cases, world, frozen_today):
    client.force_login(world.leader)
    page = client.get("/cases/dashboard/").content.decode()
    printed = client.get("/cases/dashboard/print/", {"kind": "special_work_report"})
    screen = client.get("/cases/dashboard/screen/").content.decode()
    assert printed.status_code == 200
    assert "window.print" not in printed.content.decode()  # the print button's script is a served file
    assert 'http-equiv="refresh" content="300"' in screen
    figures = [count for href, count in links_with_counts(page) if "overdue=true" in href and "lead_body" not in href
               and "supervising_committee" not in href and "kind=" not in href and "year=" not in href]
    assert figures
    assert f'data-count="{figures[0]}"' in screen


def test_every_script_and_stylesheet_is_served_by_the_app(client, cases, world):
    client.force_login(world.leader)
    for url in ("/cases/dashboard/", "/cases/dashboard/print/", "/cases/dashboard/screen/"):
        html = client.get(url).content.decode()
        sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
        assert sources
        assert all(src.startswith("/static/") or src.startswith("data:") for src in sources), sources
    assert "echarts.common.min.js" in client.get("/cases/dashboard/").content.decode()


@pytest.mark.parametrize(("who", "lands_on"), [("leader", "/cases/dashboard/"), ("staff", "/cases/"),
                                               ("liaison", "/cases/")])
def test_leadership_starts_on_the_dashboard_and_everyone_else_on_the_cases(client, world, who, lands_on):
    client.force_login(getattr(world, who))
    assert client.get("/").url == lands_on
    client.logout()
    login = client.post("/accounts/login/", {"username": getattr(world, who).username, "password": "pw-12345-x"})
    assert client.get(login.url).url == lands_on


def test_the_api_serves_the_same_dashboard_as_the_page(client, cases, world, frozen_today):
    client.force_login(world.leader)
    body = client.get("/api/v1/dashboard/", {"league_sort": "cases"}).json()
    board = dashboard.build(cases_visible_to(world.leader), TODAY, due_soon(), "cases")
    assert body["today"] == "2026-01-20"
    assert body["figures"]["overdue"] == board.figures.overdue == 2
    assert body["figures"]["amount_involved"] == "400.00"
    assert body["figures"]["rectification_rate_by_amount"] == 37.5
    assert [row["body"] for row in body["league_table"]] == [row["body"] for row in board.league_table]
    assert [row["month"] for row in body["trend"]] == [f"{row['month']:%Y-%m-%d}" for row in board.trend]
    assert {row["key"] for row in body["by_kind"]} == {"special_work_report", "law_enforcement_inspection",
                                                       "audit_rectification"}
    assert [row["title"] for row in body["overdue_board"]] == ["overdue_long", "overdue_new"]
    assert body["overdue_board"][0]["days_overdue"] == 78


@pytest.mark.parametrize(("days", "status"), [(3, 200), (400, 400), (-1, 400), ("soon", 400)])
def test_only_an_administrator_sets_the_amber_days_and_only_to_a_sensible_number(client, world, days, status):
    from agencies.models import MembershipRole

    rule_set = RuleSet.objects.get(case_kind="special_work_report")
    url = f"/api/v1/rule-sets/{rule_set.pk}/"
    client.force_login(world.leader)
    assert client.patch(url, {"due_soon_days": 3}, content_type="application/json").status_code == 403
    Membership.objects.create(user=world.nobody, role=MembershipRole.ADMIN)
    client.force_login(world.nobody)
    response = client.patch(url, {"due_soon_days": days}, content_type="application/json")
    assert response.status_code == status, response.content
    rule_set.refresh_from_db()
    assert rule_set.due_soon_days == (3 if status == 200 else 14)
    if status == 200:
        assert rule_set.history.first().history_user == world.nobody  # through the service, with history
        assert due_soon().days("special_work_report") == 3
