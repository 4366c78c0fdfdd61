"""The year's statistics as an Excel workbook (issue 16 §3): a sheet per group of figures — overview, by kind, by lead
body, by supervising committee, extension requests, returned reports, evaluations, 整改率, the slowest bodies — each
with its title and as-of rows (npc_tracker.spreadsheets). The numbers are opinions.annual's, the page's."""

from django.utils.translation import gettext as _

from npc_tracker.spreadsheets import Sheet, write_workbook

from . import annual
from .audit_exports import RATE_WIDTHS, rate_header

ROW_WIDTHS = [36, 10, 10, 10, 12, 12, 10, 12, 14]


def row_header(label: str) -> list[str]:
    return [label, _("Issued in the year"), _("Open"), _("Closed"), _("Overdue now"), _("Reported on time"),
            _("Late"), _("On-time rate (%)"), _("Average days late")]


def _values(row: annual.Row, label: str | None = None) -> list:
    return [label or row.label or "—", row.issued, row.open, row.closed, row.overdue, row.on_time, row.late,
            row.on_time_rate, row.average_days_late]


def _with_total(rows, total: annual.Row) -> list[list]:
    return [*(_values(row) for row in rows), _values(total)]


def overview_rows(f: annual.YearFigures) -> list[list]:
    t = f.total
    return [
        [_("Cases issued in the year"), t.issued, _("by issue date")],
        [_("of which closed"), t.closed, _("closed now")],
        [_("of which open"), t.open, _("still being handled")],
        [_("of which overdue now"), t.overdue, _("past the due date, report not yet submitted")],
        [_("of which reported on time"), t.on_time, _("first report by the due date in force, not overdue now")],
        [_("of which late"), t.late, _("first report after the due date, or overdue now")],
        [_("of which not yet judged"), t.not_judged, _("not yet due, or no due date")],
        [_("On-time rate (%)"), t.on_time_rate, _("on time ÷ (on time + late)")],
        [_("Average days late"), t.average_days_late, _("over the late cases")],
        [_("Closed in the year"), f.closed_in_year, _("by closing date, whatever the year of issue")],
    ]


def workbook(f: annual.YearFigures):
    """The workbook in a temporary file, ready to be streamed; it is deleted when closed."""
    e, r, v = f.extensions, f.returns, f.evaluations
    heading = _("Supervision opinions in %(year)d: the year's statistics") % {"year": f.year}

    def titled(name: str) -> str:
        return f"{heading} · {name}"

    count, value, basis = _("Figure"), _("Number"), _("What it counts")
    sheets = [
        Sheet(_("Overview"), [count, value, basis], overview_rows(f), [28, 10, 56]),
        Sheet(_("By kind"), row_header(_("Kind")), _with_total(f.by_kind, f.total), ROW_WIDTHS,
              heading=titled(_("By kind"))),
        Sheet(_("By lead body"), row_header(_("Lead body")), _with_total(f.by_body, f.total), ROW_WIDTHS,
              heading=titled(_("By lead body"))),
        Sheet(_("By supervising committee"), row_header(_("Supervising committee")),
              _with_total(f.by_committee, f.total), ROW_WIDTHS, heading=titled(_("By supervising committee"))),
        Sheet(_("Extension requests"), [count, value], [
            [_("Requested in the year"), e.requested], [_("Approved"), e.approved], [_("Refused"), e.refused],
            [_("Pending"), e.pending], [_("Cases concerned"), e.cases]], [28, 10],
            heading=titled(_("Extension requests"))),
        Sheet(_("Returned reports"), [count, value], [
            [_("Final reports returned for revision in the year"), r.reports], [_("Cases concerned"), r.cases]],
            [40, 10], heading=titled(_("Returned reports"))),
        Sheet(_("Satisfaction evaluations"), [count, value], [
            [_("Evaluations recorded in the year"), v.evaluations], [_("Satisfied"), v.satisfied],
            [_("Basically satisfied"), v.basically_satisfied], [_("Dissatisfied"), v.dissatisfied],
            [_("Cases re-handled after 不满意"), v.rehandled]], [36, 10],
            heading=titled(_("Satisfaction evaluations"))),
        Sheet(_("Audit rectification"), rate_header(_("Unit responsible")), [
            *([number, name, u.problems, u.rectified, u.rate, u.amount_involved, u.amount_rectified,
               u.rate_by_amount, u.repeats] for number, (_pk, name, u) in enumerate(f.audit_by_unit, start=1)),
            [None, _("Total"), f.audit.problems, f.audit.rectified, f.audit.rate, f.audit.amount_involved,
             f.audit.amount_rectified, f.audit.rate_by_amount, f.audit.repeats]], RATE_WIDTHS,
            heading=titled(_("Audit rectification (整改率)"))),
        Sheet(_("Slowest bodies"), row_header(_("Lead body")), [_values(row) for row in f.slowest], ROW_WIDTHS,
              heading=titled(_("Slowest bodies: the longest average delay first"))),
    ]
    return write_workbook(sheets, heading=heading, as_of=_("as of %(day)s") % {"day": f"{f.today:%Y-%m-%d}"})
