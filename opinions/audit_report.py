"""The December audit-rectification report (issue 15 §5): "关于 YYYY 年度市本级预算执行和其他财政收支审计查出问题整改
情况的报告", written as Word from the ledger. Every figure and table is computed here from the case's problems with
the one definition of opinions.audit_figures, so the report's totals are the ledger's; the staff's own words (the
introduction, the measures taken, the next steps) are stored on the case (AuditReportText) and placed between them.

The report lists every problem of the case in its unit's table: its size is bounded by the case's list, which the
import bounds per file (opinions.audit_import.MAX_ROWS) and MAX_PROBLEMS bounds in all."""

import tempfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from npc_tracker.errors import DomainError

from . import audit_figures
from .choices import RECTIFIED_BY_WAY, CaseKind, RectificationType
from .deadlines import zh_number
from .models import AuditProblem, AuditReportText, Case
from .workflow import ItemStatus

MAX_PROBLEMS = 5000
BODY_FONT, TITLE_FONT = "仿宋_GB2312", "方正小标宋简体"
HEADING_FONT = "黑体"
WAY_NAMES = {"paid_to_treasury": "上缴财政", "disbursed": "拨付", "accounts_adjusted": "调整账目",
             "returned_to_source": "归还原资金渠道", "losses_recovered": "挽回损失"}
TYPE_NAMES = {RectificationType.IMMEDIATE: "立行立改", RectificationType.PHASED: "分阶段整改",
              RectificationType.CONTINUING: "持续整改"}
STATUS_NAMES = {ItemStatus.NOT_STARTED: "未开始", ItemStatus.IN_PROGRESS: "整改中", ItemStatus.DONE: "已完成待核实",
                ItemStatus.CLOSED: "已销号", ItemStatus.CARRIED_OVER: "持续整改"}


def report_title(audit_year: int) -> str:
    return f"关于 {audit_year} 年度市本级预算执行和其他财政收支审计查出问题整改情况的报告"


def money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


@dataclass(frozen=True)
class ReportFigures:
    """What the report says in numbers, all from the ledger."""

    audit_year: int
    overall: audit_figures.Rectification
    by_way: dict[str, Decimal]
    rules_made: int
    people_dealt_with: int
    matters_referred: int
    by_area: list
    by_unit: list


def problems_of(case: Case) -> QuerySet[AuditProblem]:
    return AuditProblem.objects.filter(item__case=case)


def audit_year_of(case: Case) -> int:
    years = sorted(set(problems_of(case).values_list("audit_year", flat=True)))
    if not years:
        raise DomainError(_("This case has no audit problems yet: import the audit office's list first."),
                          code="no_problems")
    return years[-1]


def figures(case: Case) -> ReportFigures:
    problems = problems_of(case)
    sums = problems.aggregate(**{name: Sum(name) for name, _label in RECTIFIED_BY_WAY}, rules=Sum("rules_made"),
                              people=Sum("people_dealt_with"), referred=Sum("matters_referred"))
    return ReportFigures(
        audit_year=audit_year_of(case), overall=audit_figures.rectification(problems),
        by_way={name: sums[name] or Decimal(0) for name, _label in RECTIFIED_BY_WAY},
        rules_made=sums["rules"] or 0, people_dealt_with=sums["people"] or 0, matters_referred=sums["referred"] or 0,
        by_area=audit_figures.rectification_by(problems, "area"),
        by_unit=audit_figures.rectification_by(problems, "unit"))


def summary_sentence(f: ReportFigures) -> str:
    o = f.overall
    ways = "、".join(f"{WAY_NAMES[name]} {money(amount)} 万元" for name, amount in f.by_way.items() if amount)
    parts = [f"{f.audit_year} 年度审计工作报告反映的问题共 {o.problems} 个，已整改到位并经核实销号 {o.rectified} 个，"
             f"按问题个数计算的整改率为 {percent(o.rate)}",
             f"涉及金额 {money(o.amount_involved)} 万元，已整改 {money(o.amount_rectified)} 万元，按金额计算的整改率为 "
             f"{percent(o.rate_by_amount)}"]
    if ways:
        parts.append(f"其中{ways}")
    parts.append(f"建立健全规章制度 {f.rules_made} 项，追责问责 {f.people_dealt_with} 人，移送问题线索 "
                 f"{f.matters_referred} 件")
    if o.repeats:
        parts.append(f"经核实属于屡审屡犯的问题 {o.repeats} 个")
    return "；".join(parts) + "。"


class Writer:
    """A Word document in the house style of the office's reports: 仿宋 三号 body, 方正小标宋 title, 黑体 headings."""

    def __init__(self):
        self.document = Document()
        style = self.document.styles["Normal"]
        style.font.size = Pt(16)  # 三号
        self._east_asian(style.element, BODY_FONT)

    @staticmethod
    def _east_asian(element, font: str) -> None:
        properties = element.get_or_add_rPr()
        fonts = properties.find(qn("w:rFonts"))
        if fonts is None:
            fonts = properties.makeelement(qn("w:rFonts"), {})
            properties.append(fonts)
        fonts.set(qn("w:eastAsia"), font)

    def title(self, text: str) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.font.size = Pt(22)  # 二号
        self._east_asian(run._element, TITLE_FONT)

    def heading(self, text: str) -> None:
        run = self.document.add_paragraph().add_run(text)
        self._east_asian(run._element, HEADING_FONT)

    def text(self, text: str, *, centred: bool = False) -> None:
        for line in [line.strip() for line in text.splitlines() if line.strip()] or [""]:
            paragraph = self.document.add_paragraph(line)
            if centred:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.font.size, run.font.bold = Pt(10.5), True
        for values in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(10.5)


def _rate_rows(groups) -> list[list[str]]:
    return [[name or "—", str(r.problems), str(r.rectified), percent(r.rate), money(r.amount_involved),
             money(r.amount_rectified), percent(r.rate_by_amount)] for _pk, name, r in groups]


RATE_HEADER = ["", "问题（个）", "已销号（个）", "整改率（个数）", "涉及金额（万元）", "已整改（万元）",
               "整改率（金额）"]


def build(case: Case, *, as_of: date):
    """The report as a .docx in a temporary file at offset 0 (FileResponse closes and deletes it)."""
    if case.kind != CaseKind.AUDIT_RECTIFICATION:
        raise DomainError(_("The December report belongs to an audit rectification case."), code="wrong_kind")
    count = problems_of(case).count()
    if count > MAX_PROBLEMS:
        raise DomainError(_("The case lists more than %(n)d problems: too many for one report.")
                          % {"n": MAX_PROBLEMS}, code="too_many_problems")
    f = figures(case)
    words = AuditReportText.objects.filter(case=case).first() or AuditReportText(case=case)
    w = Writer()
    w.title(report_title(f.audit_year))
    w.text(f"（截至 {as_of.year} 年 {as_of.month} 月 {as_of.day} 日）", centred=True)
    w.heading("一、总体情况")
    if words.introduction:
        w.text(words.introduction)
    w.text(summary_sentence(f))
    w.heading("二、整改工作的主要做法")
    w.text(words.measures or "（待撰写）")
    w.heading("三、分领域整改情况")
    for number, (_pk, name, r) in enumerate(f.by_area, start=1):
        w.text(f"（{zh_number(number)}）{name}方面。共 {r.problems} 个问题，已销号 {r.rectified} 个，整改率 "
               f"{percent(r.rate)}；涉及金额 {money(r.amount_involved)} 万元，已整改 {money(r.amount_rectified)} 万元，"
               f"整改率 {percent(r.rate_by_amount)}。")
    w.table(["问题领域", *RATE_HEADER[1:]], _rate_rows(f.by_area))
    w.heading("四、各责任单位整改情况")
    w.table(["责任单位", *RATE_HEADER[1:]], _rate_rows(f.by_unit))
    rows = (problems_of(case).select_related("item", "item__responsible_body", "area", "repeat_of")
            .order_by("item__responsible_body__name", "reference"))
    by_unit: dict[str, list] = {}
    for problem in rows:
        by_unit.setdefault(problem.item.responsible_body.name if problem.item.responsible_body else "—",
                           []).append(problem)
    for number, (unit, problems) in enumerate(by_unit.items(), start=1):
        w.text(f"（{zh_number(number)}）{unit}", centred=False)
        w.table(["问题编号", "问题", "涉及金额（万元）", "已整改（万元）", "整改类型", "状态"],
                [[p.reference, p.item.heading, money(p.item.amount), money(p.item.rectified_amount),
                  TYPE_NAMES.get(p.rectification_type, p.rectification_type),
                  STATUS_NAMES.get(p.item.status, p.item.status)] for p in problems])
    w.heading("五、尚未整改到位的问题及原因、下一步措施")
    open_problems = [p for unit in by_unit.values() for p in unit if p.item.status != ItemStatus.CLOSED]
    if open_problems:
        w.table(["问题编号", "责任单位", "问题", "整改类型", "进展及原因", "下次报告日期"],
                [[p.reference, p.item.responsible_body.name if p.item.responsible_body else "—", p.item.heading,
                  TYPE_NAMES.get(p.rectification_type, p.rectification_type),
                  p.item.progress_note or "尚未报告整改进展",
                  p.item.next_report_date.isoformat() if p.item.next_report_date else "—"] for p in open_problems])
    else:
        w.text("审计查出的问题均已整改到位。")
    w.heading("六、屡审屡犯问题")
    repeats = sorted((p for unit in by_unit.values() for p in unit if p.repeat_of_id), key=lambda p: p.reference)
    if repeats:
        w.table(["问题编号", "责任单位", "问题类型", "问题", "以前年度问题"],
                [[p.reference, p.item.responsible_body.name if p.item.responsible_body else "—", p.problem_type,
                  p.item.heading, f"{p.repeat_of.audit_year} 年度 {p.repeat_of.reference}"] for p in repeats])
    else:
        w.text("未发现屡审屡犯问题。")
    w.heading("七、下一步工作")
    w.text(words.next_steps or "（待撰写）")
    output = tempfile.TemporaryFile(suffix=".docx")  # noqa: SIM115 -- the response streams it, then closes it
    w.document.save(output)
    output.seek(0)
    return output
