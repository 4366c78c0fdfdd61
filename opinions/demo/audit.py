"""The demo's audit-problem ledger (issue 15 §7): the 2023 audit's problems as the bulletin lists them
(audit_2023.json, see SOURCES.md), on the audit rectification case; section 六's initial rectification figures as the
government's interim report, cited; and a 2022 audit year that is entirely 【演示】, closed, whose findings recur in
2023 (屡审屡犯). The responsible units and rectification types are 【演示】: the bulletin names neither."""

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from agencies.models import Body, BodyKind

from .. import services
from ..choices import CaseKind, ReportKind
from ..models import AuditArea, AuditProblem, Case
from .script import DEMO_MARK
from .signoff import issue_signed

AUDIT_FILE = Path(__file__).with_name("audit_2023.json")
EARLIER_KEY = "DEMO-AUDIT-2022"


def load_audit_data() -> dict:
    return json.loads(AUDIT_FILE.read_text(encoding="utf-8"))


class AuditDemo:
    def __init__(self, loader):
        self.loader = loader
        self.data = load_audit_data()
        self.office = loader.users["office"]
        self.parent = loader.bodies["city_gov"]

    def is_audit_case(self, key: str) -> bool:
        return key == self.data["case_key"]

    def _area(self, name: str) -> AuditArea:
        order = self.data["areas"].index(name) + 1 if name in self.data["areas"] else 99
        return AuditArea.objects.get_or_create(name=name, defaults={"order": order})[0]

    def _unit(self, name: str) -> Body:
        short = name.removeprefix("安阳")
        return Body.objects.get_or_create(name=name, defaults={"short_name": short, "kind": BodyKind.DEPARTMENT,
                                                               "parent": self.parent})[0]

    def _listed(self, rows: list[dict], year: int) -> list[services.ListedProblem]:
        problems = []
        for row in rows:
            demo = row.get("demo") or []
            if "all" in demo:
                note = f"{DEMO_MARK}演示数据，非公报内容。"
            else:
                lines = f"第 {row['source_lines']} 行" if row.get("source_lines") else ""
                note = f"（来源：审计工作报告，公报文本{lines}；{DEMO_MARK}责任单位、整改类型为演示数据。）"
            problems.append(services.ListedProblem(
                reference=row["reference"], audit_year=year, area=self._area(row["area"]),
                problem_type=row["problem_type"], unit=self._unit(row["unit"]), heading=row["heading"][:500],
                text=f"{row['text']}\n{note}", amount=Decimal(row["amount"]) if row.get("amount") else None,
                rectification_type=row["rectification_type"]))
        return problems

    def load_problems(self, case: Case, at) -> None:
        """The 2023 list, entered on the case while it is a draft, as the staff would import it."""
        services.audit_problems_save(case=case, actor=self.office, at=at,
                                     problems=self._listed(self.data["problems"], self.data["audit_year"]),
                                     reason="导入自安阳市人大常委会公报所载审计工作报告")

    def interim_report(self, case: Case, liaison, at) -> None:
        reported = self.data["rectification_reported"]
        services.report_submit(
            case=case, actor=liaison, kind=ReportKind.INTERIM, at=at,
            title=f"{DEMO_MARK}审计查出问题的初步整改情况（原文摘自审计工作报告第六部分）",
            text=f"{reported['text']}\n（来源：{self.data['source']}，公报文本第 {reported['source_lines']} 行。）")

    def load_earlier_year(self, template: Case, liaison) -> Case | None:
        """A closed 2022 audit, every problem rectified and verified: the repeats of 2023 point to it."""
        if Case.objects.filter(external_ref=EARLIER_KEY).exists():
            return None
        earlier = self.data["earlier_year"]
        year = earlier["audit_year"]

        def at(day: date):
            return self.loader.moment(day)

        case = services.case_create(
            actor=self.office, at=at(date(year + 1, 8, 30)), kind=CaseKind.AUDIT_RECTIFICATION,
            title=f"{DEMO_MARK}关于 {year} 年度市本级预算执行和其他财政收支审计查出问题整改情况的报告",
            lead_body=template.lead_body, deadline_rule=f"date:{year + 1}-12-15",
            deadline_rule_reason=f"{DEMO_MARK}演示用的上一审计年度", external_ref=EARLIER_KEY,
            source_note=f"{DEMO_MARK}演示数据：上一审计年度，用于展示屡审屡犯", items=[],
            reason=f"{DEMO_MARK}演示数据")
        services.audit_problems_save(case=case, actor=self.office, problems=self._listed(earlier["problems"], year),
                                     reason=f"{DEMO_MARK}演示数据", at=at(date(year + 1, 8, 30)))
        issue_signed(case, actor=self.office, signers=self.loader.signers(), issued_date=date(year + 1, 9, 4),
                     at=at(date(year + 1, 9, 4)))
        services.case_acknowledge(case=case, actor=liaison, received_date=date(year + 1, 9, 5),
                                  at=at(date(year + 1, 9, 5)))
        worked = at(date(year + 1, 11, 20))
        for problem in AuditProblem.objects.filter(item__case=case).select_related("item"):
            services.audit_problem_report(problem=problem, actor=liaison, at=worked,
                                          progress_note=f"{DEMO_MARK}已全部整改到位。",
                                          ways={"paid_to_treasury": problem.item.amount})
            services.item_mark_done(item=problem.item, actor=liaison, measures=f"{DEMO_MARK}已全部整改到位。",
                                    at=worked)
            services.item_verify(item=problem.item, actor=self.office, note=f"{DEMO_MARK}经核实，同意销号。",
                                 at=worked + timedelta(days=3))
        services.report_submit(case=case, actor=liaison, kind=ReportKind.FINAL, at=at(date(year + 1, 12, 1)),
                               title=f"{DEMO_MARK}关于 {year} 年度审计查出问题整改情况的报告",
                               text=f"{DEMO_MARK}审计查出问题已全部整改到位。")
        services.report_accept(case=case, actor=self.office, at=at(date(year + 1, 12, 5)))
        services.case_close(case=case, actor=self.office, at=at(date(year + 1, 12, 28)),
                            reason=f"{DEMO_MARK}经主任会议同意办结")
        return case

    def confirm_repeats(self) -> None:
        references = {pair["problem"] for pair in self.data["repeats"]} | {
            pair["repeat_of"] for pair in self.data["repeats"]}
        problems = {p.reference: p for p in AuditProblem.objects.filter(reference__in=references)}
        for pair in self.data["repeats"]:
            problem = problems[pair["problem"]]
            if problem.repeat_of_id is None:
                services.audit_problem_confirm_repeat(problem=problem, actor=self.office,
                                                      repeat_of=problems[pair["repeat_of"]])
