"""The year's statistics (issue 16 §3) of a year built through the services: the figures, that they add up and agree
with the dashboard, the page and who may see it, the Word and Excel downloads, the command, and a query count that
does not grow with the cases."""

import io
import re
from datetime import date, datetime
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from openpyxl import load_workbook

from npc_tracker.errors import InvalidInput
from opinions import annual, annual_exports, annual_report, audit_import, dashboard, services
from opinions.models import AuditProblem, Case
from opinions.selectors import DueSoon, today
from tests.audit_lists import row as problem_row
from tests.audit_lists import xlsx

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = 2025  # the tests' today is 2026-06-10 (tests/conftest.py): a finished year, and cases still overdue from it
XLSX_SHEETS = 9


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


@pytest.fixture
def year(world, make_case, finance):
    """2025, case by case (the comment says how each one counts):

    on_time     plan, issued 03-03, reported 05-20 by its due date, 满意 06-20: closed, on time
    late        plan, issued 04-01, reported 07-20 after its due date, returned 07-25, again 08-01, 基本满意 08-20:
                closed, late
    extended    plan, issued 05-06, extension asked 07-20 and approved, reported 09-15 by the new date: accepted,
                open, on time
    refused     special work report of 市中院 (预算工委), issued 09-01, extension refused 11-21, never reported:
                overdue, late
    redone      plan, issued 02-10, reported 05-01 on time, 不满意 06-25 with a new date 09-30, not reported again:
                overdue now, late
    audit       audit rectification, issued 06-01, two problems, one verified (销号): overdue (year end), late
    motion      a motion, issued 03-01: no due date, neither on time nor late
    and outside 2025: `earlier` issued 2024-10-08, 满意 2025-01-15 (closed in 2025, evaluated in 2025); `next`
    issued 2026-01-10; a draft.
    """
    staff, liaison, leader = world.staff, world.liaison, world.leader

    def issued(day, **fields):
        case = make_case(items=[], co_bodies=[], title=fields.pop("title", f"{day} 交办"), **fields)
        issuer = world.other_staff if case.supervising_committee == world.yusuan else staff
        case = services.case_issue(case=case, actor=issuer, issued_date=date.fromisoformat(day), at=at(day))
        receiver = world.court_liaison if case.lead_body == world.court else liaison
        return services.case_acknowledge(case=case, actor=receiver, received_date=date.fromisoformat(day),
                                         at=at(day, 15))

    def report(case, day, who=liaison):
        services.report_submit(case=case, actor=who, kind="final", title="办理情况报告", text=f"{day} 报告",
                               at=at(day))

    def accept(case, day):
        services.report_accept(case=case, actor=staff, at=at(day))

    def evaluate(case, day, votes, **extra):
        satisfied, basically, dissatisfied = votes
        services.evaluation_record(case=case, actor=staff, satisfied=satisfied, basically_satisfied=basically,
                                   dissatisfied=dissatisfied, entitled_to_vote=40, at=at(day), **extra)

    cases = {}
    cases["on_time"] = issued("2025-03-03")
    report(cases["on_time"], "2025-05-20")
    accept(cases["on_time"], "2025-05-25")
    evaluate(cases["on_time"], "2025-06-20", (30, 5, 2))

    cases["late"] = issued("2025-04-01")
    report(cases["late"], "2025-07-20")
    services.report_return(case=cases["late"], actor=staff, reason="数据不全", at=at("2025-07-25"))
    report(cases["late"], "2025-08-01")
    accept(cases["late"], "2025-08-05")
    evaluate(cases["late"], "2025-08-20", (10, 20, 5))

    cases["extended"] = issued("2025-05-06")
    services.extension_request(case=cases["extended"], actor=liaison, requested_date=date(2025, 9, 30),
                               reason="需要补充调研", at=at("2025-07-20"))
    services.extension_decide_pending(case=cases["extended"], actor=leader, approve=True, at=at("2025-07-22"))
    report(cases["extended"], "2025-09-15")
    accept(cases["extended"], "2025-09-20")

    cases["refused"] = issued("2025-09-01", kind="special_work_report", lead_body=world.court,
                              supervising_committee=world.yusuan)
    services.extension_request(case=cases["refused"], actor=world.court_liaison, requested_date=date(2026, 3, 1),
                               reason="工作量大", at=at("2025-11-20"))
    services.extension_decide_pending(case=cases["refused"], actor=leader, approve=False, comment="理由不充分",
                                      at=at("2025-11-21"))

    cases["redone"] = issued("2025-02-10")
    report(cases["redone"], "2025-05-01")
    accept(cases["redone"], "2025-05-05")
    evaluate(cases["redone"], "2025-06-25", (5, 5, 30), redo_due_date=date(2025, 9, 30))

    cases["audit"] = issued("2025-06-01", kind="audit_rectification", title="2024 年度审计查出问题整改")
    result = audit_import.import_problems(case=cases["audit"], actor=staff, file=xlsx([
        problem_row("SJ2024-01-001", year=2024, amount=100), problem_row("SJ2024-01-002", year=2024, amount=300)]))
    assert result.errors == []
    first = AuditProblem.objects.get(reference="SJ2024-01-001")
    services.audit_problem_report(problem=first, actor=finance.liaison, progress_note="已全部上缴",
                                  ways={"paid_to_treasury": Decimal("100")})
    services.item_mark_done(item=first.item, actor=finance.liaison, measures="已上缴", at=at("2025-10-10"))
    services.item_verify(item=first.item, actor=staff, at=at("2025-10-12"))

    cases["motion"] = issued("2025-03-01", kind="motion", title="关于义务教育均衡发展的议案")

    cases["earlier"] = issued("2024-10-08")
    report(cases["earlier"], "2024-12-20")
    accept(cases["earlier"], "2024-12-25")
    evaluate(cases["earlier"], "2025-01-15", (30, 5, 2))

    cases["next"] = issued("2026-01-10")
    cases["draft"] = make_case(title="草稿")
    return {name: Case.objects.get(pk=case.pk) for name, case in cases.items()}


def test_the_year_as_built(year, world, finance):
    f = annual.figures(YEAR, today())
    t = f.total
    assert (t.issued, t.closed, t.open, t.overdue) == (7, 2, 5, 3)
    assert (t.on_time, t.late, t.not_judged, t.on_time_rate) == (2, 4, 1, 33.3)
    assert f.closed_in_year == 3  # on_time, late, and `earlier`, issued in 2024
    assert f.extensions == annual.Extensions(requested=2, approved=1, refused=1, pending=0, cases=2)
    assert f.returns == annual.Returns(reports=1, cases=1)
    assert f.evaluations == annual.Evaluations(evaluations=4, satisfied=2, basically_satisfied=1, dissatisfied=1,
                                               rehandled=1)
    assert (f.audit.problems, f.audit.rectified, f.audit.rate) == (2, 1, 50.0)
    assert [(pk, unit.problems, unit.rectified) for pk, _name, unit in f.audit_by_unit] == [(finance.pk, 2, 1)]
    assert {row.key: row.issued for row in f.by_kind} == {"plan_execution": 4, "special_work_report": 1,
                                                          "audit_rectification": 1, "motion": 1}
    assert {row.key: row.issued for row in f.by_body} == {world.gov.pk: 6, world.court.pk: 1}
    assert {row.key: row.issued for row in f.by_committee} == {world.caijing.pk: 6, world.yusuan.pk: 1}
    assert {row.label for row in f.by_committee} == {"财经工委", "预算工委"}  # the short names


def test_every_breakdown_adds_up_to_the_total(year):
    f = annual.figures(YEAR, today())
    for rows in (f.by_kind, f.by_body, f.by_committee):
        for column in ("issued", "open", "closed", "overdue", "on_time", "late"):
            assert sum(getattr(row, column) for row in rows) == getattr(f.total, column), column
    t = f.total
    assert t.open + t.closed == t.issued
    assert t.on_time + t.late + t.not_judged == t.issued
    e, v = f.extensions, f.evaluations
    assert e.approved + e.refused + e.pending == e.requested
    assert v.satisfied + v.basically_satisfied + v.dissatisfied == v.evaluations


def test_the_figures_agree_with_the_dashboard(year):
    """On time, late, overdue and the average delay are the dashboard's, over the cases issued in the year."""
    now = today()
    cohort = Case.objects.filter(annual.issued_in(YEAR))
    board = dashboard.figures(cohort, now, DueSoon({}))
    f = annual.figures(YEAR, now)
    assert (f.total.on_time, f.total.late, f.total.overdue, f.total.on_time_rate) == (
        board.on_time, board.late, board.overdue, board.on_time_rate)
    league = {line["body"]: line for line in dashboard.league_table(cohort, now)}
    for body in f.by_body:
        assert (body.issued, body.on_time, body.late, body.overdue, body.average_days_late) == (
            league[body.key]["cases"], league[body.key]["on_time"], league[body.key]["late"],
            league[body.key]["overdue"], league[body.key]["average_days_late"])
    assert dashboard.figures(Case.objects.all(), date(YEAR, 12, 31), DueSoon({})).closed_this_year == \
        f.closed_in_year


def test_the_slowest_bodies_are_those_late_the_longest_on_average(year, world):
    f = annual.figures(YEAR, today())
    assert [row.key for row in f.slowest] == sorted(
        [row.key for row in f.by_body if row.late], key=lambda pk: -next(
            row.average_days_late for row in f.by_body if row.key == pk))
    assert all(row.late for row in f.slowest)
    court = next(row for row in f.slowest if row.key == world.court.pk)
    assert court.average_days_late == (today() - year["refused"].due_date).days  # overdue since its due date


def test_another_year_counts_its_own_cases(year):
    f = annual.figures(2024, today())
    assert (f.total.issued, f.total.closed, f.closed_in_year) == (1, 1, 0)
    assert f.evaluations.evaluations == 0  # `earlier` was evaluated in January 2025
    assert annual.figures(2026, today()).total.issued == 1


def test_the_year_ends_at_midnight_in_shanghai(world, make_case):
    """An evaluation recorded on 1 January 2026 at 00:30 in Shanghai (16:30 UTC on 31 December) is 2026's."""
    case = make_case(items=[], co_bodies=[])
    case = services.case_issue(case=case, actor=world.staff, issued_date=date(2025, 10, 9), at=at("2025-10-09"))
    case = services.case_acknowledge(case=case, actor=world.liaison, received_date=date(2025, 10, 9),
                                     at=at("2025-10-09"))
    services.report_submit(case=case, actor=world.liaison, kind="final", title="报告", text="正文",
                           at=at("2025-12-01"))
    services.report_accept(case=case, actor=world.staff, at=at("2025-12-02"))
    services.evaluation_record(case=case, actor=world.staff, satisfied=30, basically_satisfied=0, dissatisfied=0,
                               entitled_to_vote=40, at=datetime(2025, 12, 31, 16, 30, tzinfo=ZoneInfo("UTC")))
    assert annual.figures(2025, today()).evaluations.evaluations == 0
    assert annual.figures(2026, today()).evaluations.evaluations == 1
    assert annual.figures(2026, today()).closed_in_year == 1


def test_a_year_outside_the_range_is_refused(world):
    for bad in (1999, today().year + 2, 99999):
        with pytest.raises(InvalidInput):
            annual.figures(bad, today())
    assert annual.figures(today().year + 1, today()).total.issued == 0
    assert annual.figures(2000, today()).total.on_time_rate is None  # nothing to measure is None, not 0 %


def test_the_query_count_does_not_grow_with_the_cases(world, make_case, django_assert_num_queries):
    def add(n):
        for number in range(n):
            case = make_case(title=f"第 {number} 件", co_bodies=[], items=[])
            services.case_issue(case=case, actor=world.staff, issued_date=date(2025, 3, 3 + number),
                                at=at("2025-03-03"))

    add(2)
    with django_assert_num_queries(annual.QUERIES):
        small = annual.figures(YEAR, today())
    add(4)
    with django_assert_num_queries(annual.QUERIES):
        large = annual.figures(YEAR, today())
    assert (small.total.issued, large.total.issued) == (2, 6)


# ---------------------------------------------------------------- the page


def links_with_counts(html: str) -> list[tuple[str, int]]:
    return [(unescape(href), int(count))
            for href, count in re.findall(r'<a [^>]*href="([^"]+)"[^>]*data-count="(\d+)"', html)]


@pytest.mark.parametrize("who", ["staff", "leader", "office_staff"])
def test_the_page_shows_the_year_to_staff_and_leadership(client, year, world, who):
    client.force_login(getattr(world, who))
    page = client.get(f"/cases/stats/{YEAR}/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("2025", "财经工委", "安阳市中级人民法院", f"/cases/stats/{YEAR}/report.docx",
                 f"/cases/stats/{YEAR}/report.xlsx", 'class="hbars', 'class="fill" style="width:'):
        assert text in html, text
    assert 'data-count="7"' in html


def test_every_number_on_the_page_links_to_exactly_its_cases(client, year, world):
    client.force_login(world.leader)
    links = links_with_counts(client.get(f"/cases/stats/{YEAR}/").content.decode())
    assert len(links) >= 30
    for href, count in links:
        path, _sep, query = href.partition("?")
        assert path == "/cases/"
        assert client.get(f"/api/v1/cases/?{query}").json()["count"] == count, href


@pytest.mark.parametrize("url", [f"/cases/stats/{YEAR}/", f"/cases/stats/{YEAR}/report.docx",
                                 f"/cases/stats/{YEAR}/report.xlsx", "/cases/stats/"])
def test_a_liaison_is_refused_and_anonymous_is_sent_to_log_in(client, world, url):
    client.force_login(world.liaison)
    assert client.get(url).status_code == 403
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_year_picker_goes_to_a_year_and_refuses_others(client, world):
    client.force_login(world.leader)
    assert client.get("/cases/stats/")["Location"] == f"/cases/stats/{today().year}/"
    assert client.get("/cases/stats/", {"year": "2024"})["Location"] == "/cases/stats/2024/"
    for bad in ("abc", "1999", str(today().year + 2), "99999999999999999999", "-1", "２０２４"):
        assert client.get("/cases/stats/", {"year": bad}).status_code == 404, bad
    for bad in ("1999", str(today().year + 2), "99999999999999999999"):
        assert client.get(f"/cases/stats/{bad}/").status_code == 404
        assert client.get(f"/cases/stats/{bad}/report.docx").status_code == 404


def test_the_dashboard_links_to_the_year_for_leadership_not_for_a_liaison(client, world):
    client.force_login(world.leader)
    assert "/cases/stats/" in client.get("/cases/dashboard/").content.decode()
    client.force_login(world.liaison)
    assert "/cases/stats/" not in client.get("/cases/dashboard/").content.decode()


def test_the_page_costs_the_same_queries_at_any_size(client, world, make_case):
    client.force_login(world.leader)

    def add(n, kind):
        for number in range(n):
            case = make_case(title=f"{kind} {number}", kind=kind, co_bodies=[], items=[])
            services.case_issue(case=case, actor=world.staff, issued_date=date(2025, 4, 1), at=at("2025-04-01"))

    add(2, "plan_execution")
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/cases/stats/{YEAR}/").status_code == 200
    add(4, "special_work_report")
    with CaptureQueriesContext(connection) as large:
        assert client.get(f"/cases/stats/{YEAR}/").status_code == 200
    assert len(large) == len(small)


# ---------------------------------------------------------------- Word, Excel and the command


def word_text(document) -> str:
    cells = [cell.text for table in document.tables for table_row in table.rows for cell in table_row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_word_report_has_the_title_and_the_figures(year):
    document = Document(io.BytesIO(annual_report.build(YEAR, today=today()).read()))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "安阳市人大常委会 2025 年度监督意见办理情况统计"
    assert paragraphs[1] == "（截至 2026 年 6 月 10 日）"
    text = word_text(document)
    assert ("2025 年共交办监督意见 7 件，截至目前已办结 2 件、在办 5 件，其中逾期未报送 3 件。按时报送书面报告 2 件、"
            "逾期 4 件，按时办结率 33.3%") in text
    for expected in ("全年办结监督意见 3 件", "收到延期申请 2 件", "批准 1 件、不予批准 1 件",
                     "退回修改书面报告 1 份", "满意 2 次、基本满意 1 次、不满意 1 次", "须重新办理的监督意见 1 件",
                     "按问题个数计算的整改率为 50.0%", "计划执行", "安阳市中级人民法院"):
        assert expected in text, expected
    by_kind = document.tables[1]
    assert by_kind.rows[-1].cells[0].text == "合计"
    assert sum(int(r.cells[1].text) for r in by_kind.rows[1:-1]) == int(by_kind.rows[-1].cells[1].text) == 7


def test_the_word_report_is_in_chinese_whatever_the_users_language(client, year, world, settings):
    settings.NPC_STANDING_COMMITTEE = "某市人大常委会"
    client.force_login(world.staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(f"/cases/stats/{YEAR}/report.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == annual_report_content_type()
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    assert document.paragraphs[0].text == "某市人大常委会 2025 年度监督意见办理情况统计"
    assert "计划执行情况审议意见" in word_text(document)
    assert "plan execution" not in word_text(document)


def annual_report_content_type() -> str:
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_the_workbook_has_a_sheet_per_group_with_the_figures(client, year, world):
    client.force_login(world.leader)
    response = client.get(f"/cases/stats/{YEAR}/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    with translation.override("zh-hans"):  # the page's language; the names are the catalogue's, whatever it says
        names = [_("Overview"), _("By kind"), _("By lead body"), _("By supervising committee"),
                 _("Extension requests"), _("Returned reports"), _("Satisfaction evaluations"),
                 _("Audit rectification"), _("Slowest bodies")]
        heading = _("Supervision opinions in %(year)d: the year's statistics") % {"year": YEAR}
        as_of = _("as of %(day)s") % {"day": "2026-06-10"}
        labels = {"issued": _("Cases issued in the year"), "closed": _("Closed in the year"),
                  "rate": _("On-time rate (%)"), "total": _("Total"), "satisfied": _("Satisfied"),
                  "dissatisfied": _("Dissatisfied")}
    assert book.sheetnames == names
    overview = book[names[0]]
    assert (overview["A1"].value, overview["A2"].value) == (heading, as_of)
    values = {r[0]: r[1] for r in overview.iter_rows(min_row=4, values_only=True)}
    assert (values[labels["issued"]], values[labels["closed"]], values[labels["rate"]]) == (7, 3, 33.3)
    by_kind = list(book[names[1]].iter_rows(min_row=4, values_only=True))
    assert by_kind[-1][0] == labels["total"]
    assert by_kind[-1][1] == 7 == sum(r[1] for r in by_kind[:-1])
    evaluations = {r[0]: r[1] for r in book[names[6]].iter_rows(min_row=4, values_only=True)}
    assert (evaluations[labels["satisfied"]], evaluations[labels["dissatisfied"]]) == (2, 1)


def test_the_workbook_from_the_figures_directly(year):
    with annual_exports.workbook(annual.figures(YEAR, today())) as output:
        book = load_workbook(io.BytesIO(output.read()))
    audit = list(book[book.sheetnames[7]].iter_rows(min_row=4, values_only=True))
    assert audit[-1][2:5] == (2, 1, 50.0)


def test_the_command_writes_word_or_excel_by_the_extension(year, tmp_path):
    out = io.StringIO()
    call_command("annual_report", str(YEAR), "--out", str(tmp_path / "统计.docx"), stdout=out)
    assert "安阳市人大常委会 2025 年度监督意见办理情况统计" in out.getvalue()
    assert Document(str(tmp_path / "统计.docx")).paragraphs[0].text.endswith("2025 年度监督意见办理情况统计")
    call_command("annual_report", str(YEAR), "--out", str(tmp_path / "统计.XLSX"), stdout=io.StringIO())
    assert len(load_workbook(str(tmp_path / "统计.XLSX")).sheetnames) == XLSX_SHEETS


@pytest.mark.parametrize(("arguments", "message"), [
    (["1999", "--out", "a.docx"], "no statistics for 1999"),
    (["2999", "--out", "a.docx"], "choose a year from 2000 to 2027"),
    (["2025", "--out", "a.pdf"], "must end in .docx or .xlsx"),
    (["2025", "--out", "a"], "must end in .docx or .xlsx"),
])
def test_the_command_refuses_a_bad_year_or_extension(world, tmp_path, arguments, message):
    arguments = [*arguments[:2], str(tmp_path / arguments[2])]
    with pytest.raises(CommandError, match=message):
        call_command("annual_report", *arguments)
    assert list(tmp_path.iterdir()) == []


def test_the_command_says_when_it_cannot_write(world, tmp_path):
    with pytest.raises(CommandError, match="cannot write"):
        call_command("annual_report", str(YEAR), "--out", str(tmp_path / "missing" / "a.docx"))
