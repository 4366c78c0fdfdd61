"""The demo loader: real texts verbatim, idempotent, and a live-looking spread of states."""

from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db.models import F, Q

from agencies.models import Membership
from opinions.deadlines import DueDate
from opinions.demo.loader import DemoLoader, shift_days
from opinions.models import AuditProblem, Case, CaseItem, Meeting, Report
from opinions.selectors import cases_visible_to, overdue_q
from opinions.workflow import CaseStatus

TODAY = date(2026, 11, 23)
SHARED_REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "opinion-texts"


@pytest.fixture(autouse=True)
def demo_today():
    """The loader's today is the services' today too (a receipt may not be later than it)."""
    with time_machine.travel(datetime.combine(TODAY, time(10), tzinfo=ZoneInfo("Asia/Shanghai"))):
        yield


@pytest.fixture
def demo(db):
    DemoLoader(today=TODAY).load()


def counts():
    return {
        "cases": Case.objects.count(), "items": CaseItem.objects.count(), "reports": Report.objects.count(),
        "users": get_user_model().objects.count(), "memberships": Membership.objects.count(),
        "meetings": Meeting.objects.count(), "case_history": Case.history.count(),
        "item_history": CaseItem.history.count(), "audit_problems": AuditProblem.objects.count(),
        "audit_problem_history": AuditProblem.history.count(),
    }


def test_loading_the_demo_twice_changes_nothing(demo):
    before = counts()
    result = DemoLoader(today=TODAY).load()
    assert result["cases_created"] == 0
    assert counts() == before
    assert before["cases"] == 26  # the bulletins' 25 and the 【演示】 2022 audit year
    # With the two follow-up items of the 基本满意 vote on 2020-S15-03; the audit case's items are its 117 problems
    # and the demo's 2022 audit has 4.
    assert before["items"] == 135 - 5 + 117 + 4
    assert before["audit_problems"] == 117 + 4


def test_the_2020_plan_opinion_items_are_loaded_verbatim(demo):
    case = Case.objects.get(external_ref="2020-S15-01")
    headings = list(case.items.values_list("heading", flat=True))
    assert headings == ["一、全力以赴抓好“六稳”“六保”。", "二、超前谋划厚植产业优势。", "三、持之以恒优化营商环境。",
                        "四、多措并举激活市场主体。", "五、以人为本保障基本民生。"]
    first = case.items.get(number=1).text
    assert first.startswith("一、全力以赴抓好“六稳”“六保”。更好统筹疫情防控和经济社会发展，坚持稳中求进工作总基调")
    assert first.endswith("进一步促进消费潜力的释放。")
    assert case.issued_date == date(2020, 9, 3)
    assert case.supervising_committee.name == "安阳市人大常委会财经工作委员会"
    assert list(case.co_bodies.values_list("short_name", flat=True)) == ["市发改委"]


@pytest.mark.parametrize(("key", "source"), [
    ("2020-S15-01", "2020-s15-gdp-plan-opinion.txt"),
    ("2020-S15-02", "2020-s15-budget-execution-opinion.txt"),
    ("2020-S15-03", "2020-s15-rural-living-environment-opinion.txt"),
])
def test_every_2020_item_text_occurs_in_the_opinion_as_published(demo, key, source):
    case = Case.objects.get(external_ref=key)
    published = case.opinion_text.replace("\n", "")
    if SHARED_REFERENCE.exists():  # the bulletin's own text, when the shared reference is beside the checkout
        published = "".join(line.strip() for line in (SHARED_REFERENCE / source).read_text("utf-8").splitlines())
    items = list(case.items.all())
    assert items
    for item in items:
        assert item.text.replace("\n", "") in published, item.heading


def test_the_budget_opinion_keeps_its_consultation_step_and_no_supervising_committee(demo):
    case = Case.objects.get(external_ref="2020-S15-02")
    assert case.consulted_committee.name == "安阳市人大常委会预算工作委员会"
    assert case.supervising_committee is None
    assert case.deadline_rule == "months:2"
    assert case.reports.filter(kind="consultation_draft", review_outcome="commented").exists()


def test_the_2019_eco_opinion_carries_the_governments_response_as_a_submitted_report(demo):
    case = Case.objects.get(external_ref="2020-S15-07")
    assert case.doc_number == "安人常〔2020〕9 号"
    assert case.status == CaseStatus.SUBMITTED
    report = case.reports.get()
    assert report.title == "安阳市人民政府关于落实我市 2019 年生态环境保护工作情况审议意见的报告"
    assert report.submitted_at.date() == date(2020, 8, 28)


def test_the_motion_is_closed_and_its_follow_up_suggestions_carried_over(demo):
    case = Case.objects.get(external_ref="2020-S15-06")
    assert case.status == CaseStatus.CLOSED
    assert case.closed_date == date(2020, 8, 31)
    assert set(case.items.values_list("status", flat=True)) == {"carried_over"}


def test_the_2024_meetings_are_shifted_by_whole_weeks_to_just_before_today(demo):
    twelfth = Meeting.objects.get(term=15, session=12)
    eleventh = Meeting.objects.get(term=15, session=11)
    assert 0 < (TODAY - twelfth.start_date).days <= 70
    assert twelfth.start_date.weekday() == date(2024, 8, 26).weekday()
    assert (twelfth.start_date - eleventh.start_date).days == (date(2024, 8, 26) - date(2024, 6, 27)).days
    assert "2024-08-26" in twelfth.note
    assert shift_days(TODAY, date(2024, 8, 26)) % 7 == 0


def test_the_demo_shows_overdue_due_soon_consultation_returned_extended_and_closed_cases(demo):
    cases = Case.objects.all()
    assert cases.filter(overdue_q(TODAY)).count() >= 2
    assert cases.filter(status__in=["issued", "in_progress", "in_consultation"],
                        due_date__gte=TODAY, due_date__lte=date(2026, 12, 7)).exists()
    assert cases.filter(status=CaseStatus.IN_CONSULTATION).exists()
    assert Report.objects.filter(review_outcome="returned", case__status=CaseStatus.IN_PROGRESS).exists()
    assert cases.filter(extensions__decision="approved").exclude(due_date=F("original_due_date")).exists()
    assert cases.filter(status=CaseStatus.CLOSED).count() >= 3
    assert cases.filter(status=CaseStatus.DRAFT).exists()



def test_every_demo_follow_up_step_is_marked_as_demo(demo):
    scripted = Report.objects.exclude(case__external_ref="2020-S15-07")
    assert all(r.title.startswith("【演示】") or r.case.external_ref == "2020-S15-06" for r in scripted)
    progress = CaseItem.objects.exclude(progress_note="")
    assert progress
    assert all(note.startswith("【演示】") for note in progress.values_list("progress_note", flat=True))


def test_a_demo_liaison_sees_only_their_bodys_cases(demo):
    court = get_user_model().objects.get(username="court_liaison")
    visible = cases_visible_to(court)
    assert visible.exists()
    assert not visible.exclude(Q(lead_body__short_name="市中级人民法院")).exists()


@pytest.mark.parametrize("username", ["office", "staff_caijing", "gov_liaison1", "court_liaison", "leader"])
def test_every_page_a_demo_user_can_reach_renders(demo, client, username):
    """Real data through every template: the list, the meetings, and each visible case page with its actions."""
    from django.urls import reverse

    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    for url in (reverse("opinions:case_list"), reverse("opinions:meeting_list"), reverse("notifications:inbox"),
                reverse("notifications:channels"), reverse("opinions:case_export"),
                reverse("opinions:case_export_xlsx")):
        assert client.get(url).status_code == 200, url
    visible = cases_visible_to(user)
    assert visible.exists()
    for case in visible:
        assert client.get(reverse("opinions:case_detail", args=[case.pk])).status_code == 200, case


def test_the_audit_ledger_has_the_bulletins_problems_and_the_dashboard_rates_them(demo):
    from decimal import Decimal

    from opinions import audit_figures, dashboard
    from opinions.demo.audit import load_audit_data
    from opinions.models import AuditProblem
    from opinions.selectors import DueSoon

    data = load_audit_data()
    audit = Case.objects.get(external_ref="2024-S12-06")
    problems = AuditProblem.objects.filter(item__case=audit).select_related("item", "area")
    assert problems.count() == len(data["problems"]) == audit.items.count()
    listed = {row["reference"]: Decimal(row["amount"]) if row["amount"] else None for row in data["problems"]}
    assert {p.reference: p.item.amount for p in problems} == listed
    first = problems.get(reference="SJ2023-01-001")
    assert (first.area.name, first.item.heading) == ("财政管理", "6626.6万元上级提前下达资金未编入预算")
    assert "【演示】责任单位、整改类型为演示数据" in first.item.text
    # The demo's progress report on the first three problems pays back half of each.
    figures = dashboard.figures(Case.objects.filter(pk=audit.pk), TODAY, DueSoon({}))
    ledger = audit_figures.rectification(problems)
    assert figures.amount_involved == ledger.amount_involved == sum(a for a in listed.values() if a)
    rectified = sum((p.item.amount / 2).quantize(Decimal("0.01")) for p in problems.order_by("item__number")[:3]
                    if p.item.amount)
    assert figures.amount_rectified == rectified
    assert (figures.audit_problems, figures.audit_problems_rectified) == (len(listed), 0)
    # Section 六's figures are the government's interim report, cited.
    interim = audit.reports.get(kind="interim")
    assert "上缴财政各类资金 0.97 亿元" in interim.text
    assert "L5429-5437" in interim.text


def test_the_demo_shows_repeat_findings_of_an_earlier_closed_audit_year(demo):
    from opinions.models import AuditProblem

    earlier = Case.objects.get(external_ref="DEMO-AUDIT-2022")
    assert earlier.status == "closed"
    assert earlier.title.startswith("【演示】")
    assert set(earlier.items.values_list("status", flat=True)) == {"closed"}
    repeats = AuditProblem.objects.filter(repeat_of__isnull=False).order_by("reference")
    assert [(p.reference, p.repeat_of.reference) for p in repeats] == [
        ("SJ2023-01-005", "SJ2022-01-001"), ("SJ2023-03-009", "SJ2022-03-001"), ("SJ2023-04-024", "SJ2022-04-001")]
    assert all(p.repeat_of.item.responsible_body_id == p.item.responsible_body_id for p in repeats)


def test_the_demo_counts_on_a_provisional_next_year_says_so_and_says_how_to_replace_it(db):
    """Late in 2026 the demo's dates reach 2027, whose holidays chinese-calendar does not know: weekends-only rows,
    every date counted on them 暂定, and the loader says how a real office enters the official year."""
    from io import StringIO

    from django.core.management import call_command

    from opinions import services

    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "2027 年工作日历为暂定（仅周末）" in out.getvalue()
    assert "manage.py calendar_year 2027" in out.getvalue()
    provisional = [case for case in Case.objects.exclude(due_basis=None) if case.due_provisional]
    assert provisional
    assert all(case.due_date >= date(2026, 12, 1) for case in provisional)
    entered = services.calendar_enter_year(year=2027, actor=None, rest_days={date(2027, 1, 1): "元旦"},
                                           make_up_workdays={})
    assert entered.replaced_provisional
    # The audit case stays 暂定 for another reason: its date counts back from a December session not registered yet.
    still = [case.external_ref for case in Case.objects.exclude(due_basis=None)
             if case.status not in ("closed", "draft") and case.due_provisional]
    assert still == ["2024-S12-06"]
    audit = Case.objects.get(external_ref="2024-S12-06")
    assert DueDate.from_dict(audit.due_basis).awaiting_session


def test_the_demo_december_report_opens_and_its_totals_are_the_ledgers(demo):
    import io

    from docx import Document

    from opinions import audit_figures, audit_report
    from opinions.models import AuditProblem

    case = Case.objects.get(external_ref="2024-S12-06")
    with audit_report.build(case, as_of=TODAY) as output:
        document = Document(io.BytesIO(output.read()))
    ledger = audit_figures.rectification(AuditProblem.objects.filter(item__case=case))
    units = document.tables[1]
    assert sum(int(row.cells[1].text) for row in units.rows[1:]) == ledger.problems == 117
    involved = sum(Decimal(row.cells[4].text.replace(",", "")) for row in units.rows[1:])
    assert involved == ledger.amount_involved
    assert f"涉及金额 {ledger.amount_involved:,.2f} 万元" in "".join(p.text for p in document.paragraphs)
    repeats = document.tables[-1]
    assert [row.cells[4].text for row in repeats.rows[1:]] == ["2022 年度 SJ2022-01-001", "2022 年度 SJ2022-03-001",
                                                               "2022 年度 SJ2022-04-001"]
