"""The December audit-rectification report (issue 15 §5): built from the ledger — its figures are the ledger's —
with the staff's own words kept and versioned, attached to the case when issued, and written from the shell."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from npc_tracker.errors import DomainError, NotAllowed
from opinions import audit_figures, audit_import, audit_report, services
from opinions.models import AuditProblem, AuditReportText
from tests.audit_lists import row, xlsx

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 6, 10)


@pytest.fixture
def ledger(audit_case, world, finance, make_case):
    earlier = make_case(kind="audit_rectification", title="2022 年度审计整改", items=[], co_bodies=[])
    audit_import.import_problems(case=earlier, actor=world.staff, file=xlsx([row("SJ2022-01-001", year=2022)]))
    result = audit_import.import_problems(case=audit_case, actor=world.staff, file=xlsx([
        row("SJ2023-01-001", amount=100), row("SJ2023-01-002", amount=300, how="分阶段整改"),
        row("SJ2023-02-001", unit="市发改委", area="专项资金", amount=50, heading="专项资金闲置")]))
    assert result.errors == []
    first, second, _third = AuditProblem.objects.filter(audit_year=2023).order_by("reference")
    services.audit_problem_report(problem=first, actor=finance.liaison, progress_note="已全部上缴",
                                  ways={"paid_to_treasury": Decimal("100")}, rules_made=2, people_dealt_with=1)
    services.item_mark_done(item=first.item, actor=finance.liaison, measures="全部上缴国库")
    services.item_verify(item=first.item, actor=world.staff)
    services.audit_problem_report(problem=second, actor=finance.liaison, ways={"disbursed": Decimal("120")},
                                  progress_note="已拨付 120 万元，余款待项目验收", matters_referred=1)
    services.audit_problem_confirm_repeat(problem=second, actor=world.staff,
                                          repeat_of=AuditProblem.objects.get(reference="SJ2022-01-001"))
    return audit_case


def read(output) -> Document:
    return Document(io.BytesIO(output.read()))


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_the_report_reads_like_one_and_its_figures_are_the_ledgers(ledger, world):
    services.audit_report_text_save(case=ledger, actor=world.staff, introduction="市政府高度重视审计整改工作。",
                                    measures="压实整改责任。\n建立整改台账。", next_steps="持续跟踪督促。")
    document = read(audit_report.build(ledger, as_of=AS_OF))
    text = paragraphs(document)
    assert text[0] == "关于 2023 年度市本级预算执行和其他财政收支审计查出问题整改情况的报告"
    assert text[1] == "（截至 2026 年 6 月 10 日）"
    assert "市政府高度重视审计整改工作。" in text
    assert "建立整改台账。" in text
    assert "持续跟踪督促。" in text
    overall = audit_figures.rectification(AuditProblem.objects.filter(item__case=ledger))
    assert (overall.problems, overall.rectified, overall.rate, overall.rate_by_amount) == (3, 1, 33.3, 48.9)
    summary = next(line for line in text if line.startswith("2023 年度审计工作报告反映的问题"))
    assert summary == ("2023 年度审计工作报告反映的问题共 3 个，已整改到位并经核实销号 1 个，"
                       "按问题个数计算的整改率为 33.3%；涉及金额 450.00 万元，已整改 220.00 万元，"
                       "按金额计算的整改率为 48.9%；其中上缴财政 100.00 万元、拨付 120.00 万元；"
                       "建立健全规章制度 2 项，追责问责 1 人，移送问题线索 1 件；经核实属于屡审屡犯的问题 1 个。")
    assert ("（一）预算执行方面。共 2 个问题，已销号 1 个，整改率 50.0%；涉及金额 400.00 万元，"
            "已整改 220.00 万元，整改率 55.0%。") in text
    tables = document.tables
    by_area, by_unit = tables[0], tables[1]
    assert [[c.text for c in r.cells] for r in by_area.rows[1:]] == [
        ["预算执行", "2", "1", "50.0%", "400.00", "220.00", "55.0%"],
        ["专项资金", "1", "0", "0.0%", "50.00", "0.00", "0.0%"]]
    assert sum(int(r.cells[1].text) for r in by_unit.rows[1:]) == overall.problems
    unit_tables = tables[2:4]
    # One table per unit, in the order of the units' names (as the table of units).
    assert [[r.cells[0].text for r in t.rows[1:]] for t in unit_tables] == [["SJ2023-02-001"],
                                                                             ["SJ2023-01-001", "SJ2023-01-002"]]
    open_table, repeat_table = tables[4], tables[5]
    assert [(r.cells[0].text, r.cells[4].text) for r in open_table.rows[1:]] == [
        ("SJ2023-02-001", "尚未报告整改进展"), ("SJ2023-01-002", "已拨付 120 万元，余款待项目验收")]
    assert [[c.text for c in r.cells] for r in repeat_table.rows[1:]] == [
        ["SJ2023-01-002", "安阳市财政局", "未及时上缴非税收入", "非税收入未及时上缴", "2022 年度 SJ2022-01-001"]]


def test_without_words_the_report_says_what_is_still_to_write(ledger):
    text = paragraphs(read(audit_report.build(ledger, as_of=AS_OF)))
    assert text.count("（待撰写）") == 2


def test_the_words_are_versioned_and_only_the_staff_write_them(ledger, world, finance):
    services.audit_report_text_save(case=ledger, actor=world.staff, introduction="第一稿", measures="", next_steps="")
    services.audit_report_text_save(case=ledger, actor=world.staff, introduction="第二稿", measures="", next_steps="")
    versions = AuditReportText.history.filter(case=ledger).order_by("history_date")
    assert [v.introduction for v in versions] == ["第一稿", "第二稿"]
    with pytest.raises(NotAllowed):
        services.audit_report_text_save(case=ledger, actor=finance.liaison, introduction="代写", measures="",
                                        next_steps="")


def test_a_case_that_is_no_audit_or_has_no_problem_has_no_report(make_case, audit_case):
    with pytest.raises(DomainError) as refused:
        audit_report.build(make_case(), as_of=AS_OF)
    assert refused.value.code == "wrong_kind"
    with pytest.raises(DomainError) as refused:
        audit_report.build(audit_case, as_of=AS_OF)
    assert refused.value.code == "no_problems"


def test_issuing_attaches_the_report_to_the_case_with_history(ledger, world, finance):
    attachment = services.audit_report_attach(case=ledger, actor=world.staff)
    assert attachment.original_name == "关于 2023 年度市本级预算执行和其他财政收支审计查出问题整改情况的报告.docx"
    assert attachment.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert attachment.uploaded_by == world.staff
    with attachment.file.open("rb") as stored:
        assert paragraphs(Document(stored))[0].startswith("关于 2023 年度")
    assert attachment.history.count() == 1
    with pytest.raises(NotAllowed):
        services.audit_report_attach(case=ledger, actor=finance.liaison)


def test_the_command_writes_the_report_of_an_audit_year(ledger, tmp_path, capsys):
    out = tmp_path / "report.docx"
    call_command("audit_report", "2023", "--out", str(out))
    assert paragraphs(Document(str(out)))[0].startswith("关于 2023 年度")
    assert "已写入" in capsys.readouterr().out
    with pytest.raises(CommandError, match="没有 2019 年度"):
        call_command("audit_report", "2019", "--out", str(out))
    with pytest.raises(CommandError, match="无法写入"):
        call_command("audit_report", "2023", "--out", str(tmp_path / "missing" / "report.docx"))


def test_the_command_asks_which_case_when_two_hold_the_year(ledger, world, make_case, tmp_path):
    other = make_case(kind="audit_rectification", title="另一件", items=[], co_bodies=[])
    audit_import.import_problems(case=other, actor=world.staff, file=xlsx([row("SJ2023-09-001")]))
    with pytest.raises(CommandError, match="--case"):
        call_command("audit_report", "2023", "--out", str(tmp_path / "r.docx"))
    call_command("audit_report", "2023", "--out", str(tmp_path / "r.docx"), "--case", str(other.pk))
    assert len(Document(str(tmp_path / "r.docx")).tables[2].rows) == 2
