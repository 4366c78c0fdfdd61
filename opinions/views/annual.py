"""The year's statistics (issue 16 §3): the page, with its charts drawn here as plain bars, and its Word and Excel
downloads — the figures of opinions.annual. They are the whole office's figures: a liaison is refused (403), as on
the other pages that are not theirs; a year outside the range there are figures for names nothing (404)."""

from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from npc_tracker.errors import InvalidInput

from .. import annual, annual_exports, annual_report, selectors
from ..permissions import can_see_year_figures
from ..workflow import OPEN_STATUSES, CaseStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _office_only(request) -> None:
    if not can_see_year_figures(request.user):
        raise PermissionDenied(_("The year's statistics are the office's: committee staff and leadership see them."))


def _year_or_404(request, year: int) -> date:
    """Today, once the user may see the figures and the year is one there are figures for."""
    _office_only(request)
    today = selectors.today()
    try:
        annual.check_year(year, today)
    except InvalidInput:
        raise Http404 from None
    return today


@login_required
def annual_pick(request):
    """The year picker's target (?year=2025), and the way in: without a year, the current one."""
    _office_only(request)
    today = selectors.today()
    chosen = request.GET.get("year", "")
    if not chosen:
        return redirect("opinions:annual", year=today.year)
    if not (chosen.isascii() and chosen.isdigit() and len(chosen) <= 4 and int(chosen) in annual.years(today)):
        raise Http404
    return redirect("opinions:annual", year=int(chosen))


class Links:
    """Case-list URLs of the year's cases: issued in the year, plus a figure's own filter."""

    def __init__(self, year: int):
        self.path = reverse("opinions:case_list")
        self.base = {"issued_after": f"{year}-01-01", "issued_before": f"{year}-12-31"}

    def __call__(self, **extra) -> str:
        query = [*self.base.items()]
        for name, value in extra.items():
            query += [(name, str(v)) for v in (value if isinstance(value, list | tuple) else [value])]
        return f"{self.path}?{urlencode(query)}"


def _row_links(link: Links, field: str | None, row: annual.Row) -> dict | None:
    if field is not None and row.key is None:
        return None  # a case without a supervising committee: the list has no filter for "none"
    by = {} if field is None else {field: row.key}
    return {"issued": link(**by), "open": link(**by, status=sorted(OPEN_STATUSES)),
            "closed": link(**by, status=CaseStatus.CLOSED), "overdue": link(**by, overdue="true"),
            "on_time": link(**by, timeliness="on_time"), "late": link(**by, timeliness="late")}


def _bars(rows, value, *, url=None) -> list[dict]:
    """A horizontal bar per row, its length relative to the longest (drawn as CSS widths, no script)."""
    values = [value(row) or 0 for row in rows]
    longest = max(values, default=0)
    return [{"label": row.label or "—", "value": value(row), "url": url(row) if url else None,
             "percent": round(100 * v / longest, 1) if longest else 0} for row, v in zip(rows, values, strict=True)]


def _segments(parts: list[tuple[str, int, str, str | None]]) -> list[dict]:
    """A stacked bar: each part's share of the whole, in percent."""
    whole = sum(n for _name, n, _colour, _url in parts)
    return [{"name": name, "value": n, "colour": colour, "url": url,
             "percent": round(100 * n / whole, 1) if whole else 0} for name, n, colour, url in parts if n]


@login_required
def annual_page(request, year: int):
    today = _year_or_404(request, year)
    f = annual.figures(year, today)
    link = Links(year)
    totals = _row_links(link, None, f.total)
    tables = [(_("By kind"), _("Kind"), [(row, _row_links(link, "kind", row)) for row in f.by_kind]),
              (_("By lead body"), _("Lead body"), [(row, _row_links(link, "lead_body", row)) for row in f.by_body]),
              (_("By supervising committee"), _("Supervising committee"),
               [(row, _row_links(link, "supervising_committee", row)) for row in f.by_committee])]
    t, v = f.total, f.evaluations
    charts = {
        "timeliness": _segments([(_("Reported on time"), t.on_time, "green", totals["on_time"]),
                                 (_("Late"), t.late, "red", totals["late"]),
                                 (_("Not yet judged"), t.not_judged, "grey", None)]),
        "evaluations": _segments([(_("Satisfied"), v.satisfied, "green", None),
                                  (_("Basically satisfied"), v.basically_satisfied, "amber", None),
                                  (_("Dissatisfied"), v.dissatisfied, "red", None)]),
        "kinds": _bars(f.by_kind, lambda row: row.issued, url=lambda row: link(kind=row.key)),
        "committees": _bars(f.by_committee, lambda row: row.issued,
                            url=lambda row: None if row.key is None else link(supervising_committee=row.key)),
        "slowest": _bars(f.slowest, lambda row: row.average_days_late,
                         url=lambda row: link(lead_body=row.key, timeliness="late")),
    }
    return render(request, "opinions/annual.html", {
        "f": f, "year": year, "years": annual.years(today), "links": totals, "tables": tables, "charts": charts,
        "closed_in_year_url": (f"{reverse('opinions:case_list')}?"
                               + urlencode({"status": CaseStatus.CLOSED, "closed_after": f"{year}-01-01",
                                            "closed_before": f"{year}-12-31"})),
    })


@login_required
def annual_docx(request, year: int):
    today = _year_or_404(request, year)
    return FileResponse(annual_report.build(year, today=today), as_attachment=True,
                        filename=f"{annual_report.report_title(year)}.docx", content_type=DOCX)


@login_required
def annual_xlsx(request, year: int):
    today = _year_or_404(request, year)
    return FileResponse(annual_exports.workbook(annual.figures(year, today)), as_attachment=True,
                        filename=f"year-statistics-{year}.xlsx", content_type=XLSX)
