"""The year's statistics as a Word report (issue 16 §3): "安阳市人大常委会 YYYY 年度监督意见办理情况统计", a section per
group of figures with its table. Every number is opinions.annual's (the page's and the workbook's); the document is
written in Chinese, as the office's documents are, whatever the language of whoever downloads it.

Its size is bounded by the number of bodies, committees and kinds, not of cases."""

import tempfile
from datetime import date

from django.conf import settings
from django.utils import translation

from . import annual
from .audit_report import RATE_HEADER, Writer, money, percent
from .deadlines import zh_number


def report_title(year: int) -> str:
    return f"{settings.NPC_STANDING_COMMITTEE} {year} 年度监督意见办理情况统计"


def days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


ROW_HEADER = ["交办（件）", "在办（件）", "已办结（件）", "当前逾期（件）", "按时报送（件）", "逾期（件）",
              "按时办结率", "平均逾期天数"]


def _rows(rows, total: annual.Row | None = None) -> list[list[str]]:
    lines = [[row.label or "（未指定）", str(row.issued), str(row.open), str(row.closed), str(row.overdue),
              str(row.on_time), str(row.late), percent(row.on_time_rate), days(row.average_days_late)]
             for row in rows]
    if total is not None:
        lines.append(["合计", *_rows([total])[0][1:]])
    return lines


def _overview(f: annual.YearFigures) -> str:
    t = f.total
    text = (f"{f.year} 年共交办监督意见 {t.issued} 件，截至目前已办结 {t.closed} 件、在办 {t.open} 件，其中逾期未报送 "
            f"{t.overdue} 件。按时报送书面报告 {t.on_time} 件、逾期 {t.late} 件，按时办结率 {percent(t.on_time_rate)}")
    if t.average_days_late is not None:
        text += f"，逾期的平均逾期 {days(t.average_days_late)} 天"
    if t.not_judged:
        text += f"；尚未到期或未定办理时限的 {t.not_judged} 件"
    return text + f"。全年办结监督意见 {f.closed_in_year} 件（含以前年度交办的）。"


def _sections(f: annual.YearFigures, w: Writer) -> None:
    t, e, r, v, a = f.total, f.extensions, f.returns, f.evaluations, f.audit
    number = iter(range(1, 100))

    def heading(text: str) -> None:
        w.heading(f"{zh_number(next(number))}、{text}")

    heading("总体情况")
    w.text(_overview(f))
    w.table(["项目", "数量", "统计口径"], [
        ["交办", str(t.issued), f"交办日期在 {f.year} 年内的监督意见"],
        ["已办结", str(t.closed), "其中现已办结的"],
        ["在办", str(t.open), "其中尚在办理的"],
        ["当前逾期", str(t.overdue), "其中已过办理时限、尚未报送书面报告的"],
        ["按时报送", str(t.on_time), "书面报告首次报送不晚于办理时限（含批准延期），且当前未逾期"],
        ["逾期", str(t.late), "书面报告逾期报送，或当前逾期"],
        ["按时办结率", percent(t.on_time_rate), "按时 ÷（按时 + 逾期）"],
        ["全年办结", str(f.closed_in_year), f"办结日期在 {f.year} 年内的监督意见（不论交办年度）"],
    ])
    heading("分类别情况")
    w.table(["类别", *ROW_HEADER], _rows(f.by_kind, t))
    heading("分主办单位情况")
    w.table(["主办单位", *ROW_HEADER], _rows(f.by_body, t))
    heading("分督办委员会情况")
    w.table(["督办委员会", *ROW_HEADER], _rows(f.by_committee, t))
    heading("延期申请")
    w.text(f"{f.year} 年共收到延期申请 {e.requested} 件（涉及 {e.cases} 件监督意见），批准 {e.approved} 件、不予批准 "
           f"{e.refused} 件、尚待审批 {e.pending} 件。")
    w.table(["申请", "批准", "不予批准", "待审批", "涉及监督意见"],
            [[str(e.requested), str(e.approved), str(e.refused), str(e.pending), str(e.cases)]])
    heading("书面报告退回修改")
    w.text(f"{f.year} 年退回修改书面报告 {r.reports} 份，涉及监督意见 {r.cases} 件。")
    heading("满意度测评")
    w.text(f"{f.year} 年常委会会议开展满意度测评 {v.evaluations} 次，结果为满意 {v.satisfied} 次、基本满意 "
           f"{v.basically_satisfied} 次、不满意 {v.dissatisfied} 次；测评不满意、须重新办理的监督意见 "
           f"{v.rehandled} 件。")
    w.table(["测评", "满意", "基本满意", "不满意", "重新办理（件）"],
            [[str(v.evaluations), str(v.satisfied), str(v.basically_satisfied), str(v.dissatisfied),
              str(v.rehandled)]])
    heading("审计查出问题整改")
    if a.problems:
        w.text(f"{f.year} 年交办的审计查出问题整改共涉及问题 {a.problems} 个，已整改到位并经核实销号 {a.rectified} 个，"
               f"按问题个数计算的整改率为 {percent(a.rate)}；涉及金额 {money(a.amount_involved)} 万元，已整改 "
               f"{money(a.amount_rectified)} 万元，按金额计算的整改率为 {percent(a.rate_by_amount)}。")
        w.table(["责任单位", *RATE_HEADER[1:]],
                [[name or "—", str(u.problems), str(u.rectified), percent(u.rate), money(u.amount_involved),
                  money(u.amount_rectified), percent(u.rate_by_amount)] for _pk, name, u in f.audit_by_unit])
    else:
        w.text(f"{f.year} 年交办的监督意见中没有审计查出问题。")
    heading("办理较慢的单位")
    if f.slowest:
        w.text("按逾期案件的平均逾期天数排列（逾期报送的按报送时逾期天数，当前逾期的按至今逾期天数）。")
        w.table(["主办单位", "交办（件）", "逾期（件）", "当前逾期（件）", "平均逾期天数", "按时办结率"],
                [[row.label or "—", str(row.issued), str(row.late), str(row.overdue), days(row.average_days_late),
                  percent(row.on_time_rate)] for row in f.slowest])
    else:
        w.text("没有逾期的单位。")


def build(year: int, *, today: date):
    """The report as a .docx in a temporary file at offset 0 (FileResponse closes and deletes it). An impossible year
    is refused (InvalidInput) before anything is read."""
    with translation.override("zh-hans"):  # the kinds' names and the rest in the document's language
        f = annual.figures(year, today)
    w = Writer()
    w.title(report_title(year))
    w.text(f"（截至 {today.year} 年 {today.month} 月 {today.day} 日）", centred=True)
    _sections(f, w)
    output = tempfile.TemporaryFile(suffix=".docx")  # noqa: SIM115 -- the response streams it, then closes it
    w.document.save(output)
    output.seek(0)
    return output
