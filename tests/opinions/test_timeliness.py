"""On time or late (issue 14 §6): each case counted at most once, by the one definition in opinions.selectors, and
the dashboard's figures, league table and breakdowns agree with the case list's `timeliness` filter.

The lifecycle tests drive real services with explicit dates (`at=`) on the 2020 plan opinion, received 2020-09-05
and due Monday 2020-12-07; the property test builds arbitrary rows, realistic or not, since no row may ever be
counted both ways."""

import re
from datetime import date, datetime, time, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opinions import dashboard, services
from opinions.demo.loader import DemoLoader
from opinions.filtersets import CaseFilterSet
from opinions.models import Case
from opinions.selectors import DueSoon, late_q, on_time_q
from opinions.workflow import OWED_STATUSES, CaseStatus

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
DUE = date(2020, 12, 7)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def verdict(case: Case, today: date) -> str | None:
    """Which of the two counts the case is in on `today`: "on_time", "late" or None, asserting never both."""
    on_time = Case.objects.filter(on_time_q(today), pk=case.pk).exists()
    late = Case.objects.filter(late_q(today), pk=case.pk).exists()
    assert not (on_time and late), f"{case} is counted both on time and late on {today}"
    return "on_time" if on_time else "late" if late else None


def submit(case, world, day: date, hour: int = 10, minute: int = 0, kind: str = "final"):
    services.report_submit(case=case, actor=world.liaison, kind=kind, title="整改报告", text=f"{day} 稿",
                           at=at(day, hour, minute))
    return Case.objects.get(pk=case.pk)


def return_report(case, world, day: date):
    services.report_return(case=case, actor=world.staff, reason="未逐条回应", at=at(day))
    return Case.objects.get(pk=case.pk)


def accept(case, world, day: date):
    services.report_accept(case=case, actor=world.staff, at=at(day), carry_over_reason="长期工作",
                           next_report_date=date(2099, 6, 30))
    return Case.objects.get(pk=case.pk)


def settle_items(case, world, day: date):
    for item in case.items.all():
        services.item_report_progress(item=item, actor=world.liaison, progress_note="已部署", at=at(day))
        services.item_mark_done(item=item, actor=world.liaison, measures="已落实", at=at(day))
        services.item_verify(item=item, actor=world.staff, at=at(day))


def extend(case, world, *, requested_on: date, to: date, decided_on: date, approve: bool = True):
    extension = services.extension_request(case=case, actor=world.liaison, requested_date=to, reason="涉及多部门",
                                           at=at(requested_on))
    services.extension_decide(extension=extension, actor=world.leader, approve=approve,
                              comment="同意" if approve else "理由不充分", at=at(decided_on))
    return Case.objects.get(pk=case.pk)


# ---------------------------------------------------------------- the first submission against the due date


def test_a_report_submitted_late_on_the_due_date_itself_is_on_time(received_case, world):
    # 23:30 in Shanghai is 15:30 UTC: the day is Shanghai's, the due date's own.
    case = submit(received_case, world, DUE, hour=23, minute=30)
    assert case.submitted_date == DUE
    assert verdict(case, DUE) == verdict(case, date(2026, 6, 10)) == "on_time"


def test_a_report_submitted_just_after_midnight_the_day_after_is_late(received_case, world):
    case = submit(received_case, world, DUE + timedelta(days=1), hour=0, minute=10)
    assert case.submitted_date == DUE + timedelta(days=1)
    assert verdict(case, DUE + timedelta(days=1)) == verdict(case, date(2026, 6, 10)) == "late"


def test_an_owed_case_is_neither_until_the_day_after_its_due_date_and_then_late(received_case, world):
    assert verdict(received_case, DUE - timedelta(days=30)) is None
    assert verdict(received_case, DUE) is None  # due today is not overdue yet
    assert verdict(received_case, DUE + timedelta(days=1)) == "late"


def test_an_interim_report_or_a_consultation_draft_is_not_the_report(received_case, world):
    case = submit(received_case, world, DUE - timedelta(days=20), kind="interim")
    case = submit(case, world, DUE - timedelta(days=10), kind="consultation_draft")
    assert case.status == CaseStatus.IN_CONSULTATION
    assert case.submitted_date is None
    assert verdict(case, DUE) is None
    assert verdict(case, DUE + timedelta(days=1)) == "late"


# ---------------------------------------------------------------- 退回: returned for revision


def test_a_report_returned_after_the_due_date_makes_the_case_late_not_both(received_case, world):
    """The issue's 2024-S12-03: submitted in time, returned after the due date, not yet sent again."""
    case = submit(received_case, world, DUE - timedelta(days=6))
    assert verdict(case, DUE + timedelta(days=2)) == "on_time"  # with the committee: the body is not late
    case = return_report(case, world, DUE + timedelta(days=3))
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.submitted_date == DUE - timedelta(days=6)  # the first submission is kept
    assert verdict(case, DUE + timedelta(days=3)) == "late"
    figures = dashboard.figures(Case.objects.all(), DUE + timedelta(days=10), DueSoon({}))
    assert (figures.on_time, figures.late, figures.overdue, figures.on_time_rate) == (0, 1, 1, 0.0)
    [row] = dashboard.league_table(Case.objects.all(), DUE + timedelta(days=10))
    assert (row["on_time"], row["late"], row["average_days_late"]) == (0, 1, 10.0)


def test_once_the_revised_report_is_in_its_first_submission_decides_again(received_case, world):
    case = submit(received_case, world, DUE - timedelta(days=6))
    case = return_report(case, world, DUE + timedelta(days=3))
    case = submit(case, world, DUE + timedelta(days=20))
    assert case.submitted_date == DUE - timedelta(days=6)  # the first submission is kept
    assert verdict(case, DUE + timedelta(days=20)) == "on_time"
    assert verdict(accept(case, world, DUE + timedelta(days=25)), date(2026, 6, 10)) == "on_time"


def test_a_report_returned_before_the_due_date_stays_on_time_until_the_due_date_passes(received_case, world):
    case = submit(received_case, world, DUE - timedelta(days=20))
    case = return_report(case, world, DUE - timedelta(days=15))
    assert verdict(case, DUE - timedelta(days=15)) == "on_time"
    assert verdict(case, DUE) == "on_time"
    assert verdict(case, DUE + timedelta(days=1)) == "late"
    resubmitted = submit(case, world, DUE - timedelta(days=2))
    assert verdict(resubmitted, DUE + timedelta(days=1)) == verdict(resubmitted, date(2026, 6, 10)) == "on_time"


def test_a_late_report_returned_and_sent_again_stays_late_and_counts_its_delay_so_far_while_owed(received_case,
                                                                                                 world):
    case = submit(received_case, world, DUE + timedelta(days=3))
    case = return_report(case, world, DUE + timedelta(days=5))
    assert verdict(case, DUE + timedelta(days=5)) == "late"
    [row] = dashboard.league_table(Case.objects.all(), DUE + timedelta(days=9))
    assert row["average_days_late"] == 9.0  # overdue nine days now, not the three days of the first report
    case = submit(case, world, DUE + timedelta(days=12))
    assert verdict(case, date(2026, 6, 10)) == "late"
    [row] = dashboard.league_table(Case.objects.all(), date(2026, 6, 10))
    assert row["average_days_late"] == 3.0  # the first submission's delay, recorded for good


# ---------------------------------------------------------------- 延期: the due date in force


def test_a_report_within_an_approved_extension_is_on_time(received_case, world):
    case = extend(received_case, world, requested_on=DUE - timedelta(days=10), to=date(2021, 1, 15),
                  decided_on=DUE - timedelta(days=5))
    assert (case.original_due_date, case.due_date) == (DUE, date(2021, 1, 15))
    assert verdict(case, DUE + timedelta(days=1)) is None  # past the original date, not the one in force
    assert verdict(case, date(2021, 1, 16)) == "late"
    assert verdict(submit(case, world, date(2021, 1, 15)), date(2026, 6, 10)) == "on_time"


def test_a_report_after_the_extended_due_date_is_late(received_case, world):
    case = extend(received_case, world, requested_on=DUE - timedelta(days=10), to=date(2021, 1, 15),
                  decided_on=DUE - timedelta(days=5))
    assert verdict(submit(case, world, date(2021, 1, 16)), date(2026, 6, 10)) == "late"


def test_an_extension_approved_after_the_report_arrived_judges_it_by_the_new_date(received_case, world):
    extension = services.extension_request(case=received_case, actor=world.liaison, requested_date=date(2021, 1, 15),
                                           reason="涉及多部门", at=at(DUE - timedelta(days=3)))
    case = submit(received_case, world, DUE + timedelta(days=4))
    assert verdict(case, DUE + timedelta(days=4)) == "late"
    services.extension_decide(extension=extension, actor=world.leader, approve=True, comment="同意",
                              at=at(DUE + timedelta(days=6)))
    assert verdict(Case.objects.get(pk=case.pk), DUE + timedelta(days=6)) == "on_time"


def test_a_refused_extension_leaves_the_due_date_and_the_verdict(received_case, world):
    case = extend(received_case, world, requested_on=DUE - timedelta(days=10), to=date(2021, 1, 15),
                  decided_on=DUE - timedelta(days=5), approve=False)
    assert case.due_date == DUE
    assert verdict(submit(case, world, DUE + timedelta(days=1)), date(2026, 6, 10)) == "late"


def test_an_extension_after_a_return_gives_the_body_until_the_new_date(received_case, world):
    case = submit(received_case, world, DUE - timedelta(days=20))
    case = return_report(case, world, DUE - timedelta(days=15))
    case = extend(case, world, requested_on=DUE - timedelta(days=10), to=date(2021, 1, 15),
                  decided_on=DUE - timedelta(days=5))
    assert verdict(case, date(2021, 1, 15)) == "on_time"
    assert verdict(case, date(2021, 1, 16)) == "late"


# ---------------------------------------------------------------- nothing to judge; closed; 重新办理; reopened


def test_drafts_withdrawn_cases_and_cases_without_a_due_date_are_neither(make_case, world):
    draft = make_case()
    withdrawn = services.case_withdraw(case=make_case(), actor=world.staff, reason="重复登记")
    no_deadline = make_case(deadline_rule="", deadline_rule_reason="询问后“及时”报告，时限另定")
    no_deadline = services.case_issue(case=no_deadline, actor=world.staff, issued_date=date(2020, 9, 3))
    services.case_acknowledge(case=no_deadline, actor=world.liaison, received_date=date(2020, 9, 5),
                              at=at(date(2020, 9, 5)))
    reported = submit(no_deadline, world, date(2021, 3, 1))
    assert reported.due_date is None
    for case in (draft, withdrawn, reported):
        assert verdict(case, date(2026, 6, 10)) is None
    figures = dashboard.figures(Case.objects.all(), date(2026, 6, 10), DueSoon({}))
    assert (figures.on_time, figures.late, figures.on_time_rate) == (0, 0, None)


@pytest.mark.parametrize(("submitted_on", "expected"), [(DUE, "on_time"), (DUE + timedelta(days=1), "late")])
def test_a_closed_case_keeps_the_verdict_of_its_first_submission(received_case, world, submitted_on, expected):
    settle_items(received_case, world, date(2020, 10, 10))
    case = accept(submit(received_case, world, submitted_on), world, date(2020, 12, 20))
    services.evaluation_record(case=case, actor=world.staff, entitled_to_vote=40, satisfied=30,
                               basically_satisfied=5, dissatisfied=1, at=at(date(2020, 12, 28)))
    case = Case.objects.get(pk=case.pk)
    assert case.status == CaseStatus.CLOSED
    assert verdict(case, date(2020, 12, 28)) == verdict(case, date(2026, 6, 10)) == expected


def test_rehandling_after_dissatisfied_is_late_once_the_new_date_passes_unanswered(received_case, world):
    case = accept(submit(received_case, world, DUE - timedelta(days=2)), world, date(2020, 12, 20))
    services.evaluation_record(case=case, actor=world.staff, entitled_to_vote=40, satisfied=5,
                               basically_satisfied=5, dissatisfied=20, redo_due_date=date(2021, 3, 1),
                               at=at(date(2020, 12, 28)))
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.due_date) == (CaseStatus.IN_PROGRESS, date(2021, 3, 1))
    assert verdict(case, date(2021, 3, 1)) == "on_time"
    assert verdict(case, date(2021, 3, 2)) == "late"
    assert verdict(submit(case, world, date(2021, 2, 20)), date(2021, 3, 2)) == "on_time"


def test_a_first_report_that_came_late_stays_late_after_rehandling(received_case, world):
    case = accept(submit(received_case, world, DUE + timedelta(days=3)), world, date(2020, 12, 20))
    assert verdict(case, date(2020, 12, 20)) == "late"
    services.evaluation_record(case=case, actor=world.staff, entitled_to_vote=40, satisfied=5,
                               basically_satisfied=5, dissatisfied=20, redo_due_date=date(2021, 3, 1),
                               at=at(date(2020, 12, 28)))
    case = Case.objects.get(pk=case.pk)
    assert (case.due_date, case.first_cycle_due_date) == (date(2021, 3, 1), DUE)
    # The redo report is in before the new date: the case was still reported late the first time.
    assert verdict(submit(case, world, date(2021, 2, 20)), date(2021, 3, 2)) == "late"


def test_a_reopened_case_past_its_due_date_is_late_not_both(received_case, world):
    settle_items(received_case, world, date(2020, 10, 10))
    case = accept(submit(received_case, world, DUE - timedelta(days=2)), world, date(2020, 12, 20))
    case = services.case_close(case=case, actor=world.staff, at=at(date(2020, 12, 28)))
    assert verdict(case, date(2026, 6, 10)) == "on_time"
    case = services.case_reopen(case=case, actor=world.leader, reason="发现新问题")
    assert verdict(case, date(2026, 6, 10)) == "late"


# ---------------------------------------------------------------- every case once, whatever the row


def expected_verdict(status: str, due: date | None, submitted: date | None, today: date) -> str | None:
    """The rule of opinions.selectors.on_time_q, written out once more in plain Python."""
    if due is None:
        return None
    if status in OWED_STATUSES and due < today:
        return "late"
    if submitted is None:
        return None
    return "on_time" if submitted <= due else "late"


def expected_days_late(status: str, due: date | None, submitted: date | None, today: date) -> int | None:
    if expected_verdict(status, due, submitted, today) != "late":
        return None
    return (today - due).days if status in OWED_STATUSES and due < today else (submitted - due).days


BASE = date(2026, 6, 10)
# Dates a few days either side of today: every boundary (the day before, on, after) comes up often.
near = st.integers(min_value=-4, max_value=4).map(lambda days: BASE + timedelta(days=days))
# (status, due date, first submission, lead body is 市人民政府 or else 市中院, kind)
rows = st.lists(st.tuples(st.sampled_from([status.value for status in CaseStatus]), st.none() | near,
                          st.none() | near, st.booleans(),
                          st.sampled_from(["special_work_report", "audit_rectification"])),
                min_size=1, max_size=14)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows, today=near)
def test_no_case_is_ever_both_on_time_and_late_and_every_figure_agrees_with_the_list(world, rows, today):
    with transaction.atomic():
        Case.objects.bulk_create(
            Case(kind=kind, title=f"{n} {status} due {due} submitted {submitted}", status=status, due_date=due,
                 submitted_date=submitted, lead_body=world.gov if to_gov else world.court)
            for n, (status, due, submitted, to_gov, kind) in enumerate(rows))
        cases = Case.objects.all()
        made = list(cases)
        spec = {case.pk: expected_verdict(case.status, case.due_date, case.submitted_date, today) for case in made}
        on_time = set(cases.filter(on_time_q(today)).values_list("pk", flat=True))
        late = set(cases.filter(late_q(today)).values_list("pk", flat=True))
        assert not on_time & late
        assert on_time == {pk for pk, v in spec.items() if v == "on_time"}
        assert late == {pk for pk, v in spec.items() if v == "late"}

        figures = dashboard.figures(cases, today, DueSoon({}))
        assert (figures.on_time, figures.late) == (len(on_time), len(late))
        assert figures.on_time + figures.late == len(on_time | late) <= len(rows)
        assert figures.overdue <= figures.late
        with time_machine.travel(at(today)):  # the list's filter reads today from the clock
            listed = {value: set(CaseFilterSet({"timeliness": value}, queryset=cases).qs.values_list("pk", flat=True))
                      for value in ("on_time", "late")}
        assert listed == {"on_time": on_time, "late": late}

        table = dashboard.league_table(cases, today)
        assert sum(row["on_time"] for row in table) == figures.on_time
        assert sum(row["late"] for row in table) == figures.late
        for row in table:
            mine = [case for case in made if case.lead_body_id == row["body"]]
            assert row["on_time"] + row["late"] <= row["cases"] == len(mine)
            delays = [d for case in mine
                      if (d := expected_days_late(case.status, case.due_date, case.submitted_date, today)) is not None]
            assert row["average_days_late"] == (round(sum(delays) / len(delays), 1) if delays else None)
        for row in dashboard.breakdown(cases, today, "kind"):
            mine = [spec[case.pk] for case in made if case.kind == row["key"]]
            measured = mine.count("on_time") + mine.count("late")
            assert row["on_time_rate"] == dashboard.rate(mine.count("on_time"), measured)
        transaction.set_rollback(True)


def test_the_dashboard_and_the_list_show_the_returned_case_as_late_only(received_case, make_case, world, client):
    """The issue's case through the API and the page (today 2026-06-10): the figures, the links behind them and the
    list's filter name the same cases."""
    returned = return_report(submit(received_case, world, DUE - timedelta(days=6)), world, DUE + timedelta(days=3))
    other = services.case_issue(case=make_case(title="另一件"), actor=world.staff, issued_date=date(2020, 9, 3))
    other = services.case_acknowledge(case=other, actor=world.liaison, received_date=date(2020, 9, 5),
                                      at=at(date(2020, 9, 5)))
    on_time = accept(submit(other, world, DUE), world, DUE + timedelta(days=2))
    client.force_login(world.leader)
    figures = client.get("/api/v1/dashboard/").json()["figures"]
    assert (figures["on_time"], figures["late"], figures["overdue"], figures["on_time_rate"]) == (1, 1, 1, 50.0)
    for value, expected in (("on_time", [on_time.pk]), ("late", [returned.pk])):
        assert [row["id"] for row in client.get("/api/v1/cases/", {"timeliness": value}).json()["results"]] == expected
    page = client.get("/cases/dashboard/").content.decode()
    links = [(unescape(href), int(count))
             for href, count in re.findall(r'<a [^>]*href="([^"]+)"[^>]*data-count="(\d+)"', page)
             if "timeliness=" in unescape(href)]
    assert links
    for href, count in links:
        assert client.get(f"/api/v1/cases/?{href.partition('?')[2]}").json()["count"] == count, href


def test_the_demos_returned_case_is_late_only_once_its_due_date_has_passed(world):
    """The issue's example: the demo loaded today, its figures read on 2027-02-01, when 2024-S12-03 (returned,
    not yet sent again) is past its due date."""
    DemoLoader(today=date(2026, 6, 10)).load()
    returned = Case.objects.get(external_ref="2024-S12-03")
    assert returned.status == CaseStatus.IN_PROGRESS
    assert returned.submitted_date <= returned.due_date < date(2027, 2, 1)
    for today in (date(2026, 6, 10), returned.due_date, returned.due_date + timedelta(days=1), date(2027, 2, 1)):
        assert not Case.objects.filter(on_time_q(today)).filter(late_q(today)).exists(), today
    assert verdict(returned, date(2027, 2, 1)) == "late"


def test_cases_rehandled_before_the_column_existed_get_their_first_due_date_from_history(received_case, world):
    import importlib

    from django.apps import apps

    case = accept(submit(received_case, world, DUE + timedelta(days=3)), world, date(2020, 12, 20))
    services.evaluation_record(case=case, actor=world.staff, entitled_to_vote=40, satisfied=5,
                               basically_satisfied=5, dissatisfied=20, redo_due_date=date(2021, 3, 1),
                               at=at(date(2020, 12, 28)))
    Case.objects.filter(pk=case.pk).update(first_cycle_due_date=None)  # as stored before migration 0019
    importlib.import_module("opinions.migrations.0019_first_cycle_due_date").from_history(apps, None)
    assert Case.objects.get(pk=case.pk).first_cycle_due_date == DUE
