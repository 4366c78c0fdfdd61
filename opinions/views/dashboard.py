"""Leadership's dashboard (domain.md §11): the figures of `opinions.dashboard` over the cases the user sees, each a
link to the case list filtered to exactly the cases behind it (the same FilterSet), as a page, a print view and a
big-screen (大屏) view that refreshes itself."""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from npc_tracker.errors import InvalidInput

from .. import dashboard, selectors
from ..filtersets import CaseFilterSet
from ..permissions import can_see_year_figures
from ..workflow import OPEN_STATUSES, CaseStatus

MODES = {"page": "opinions/dashboard.html", "print": "opinions/dashboard_print.html",
         "screen": "opinions/dashboard_screen.html"}
SCREEN_REFRESH_SECONDS = 300
FILTER_FIELDS = ("year", "kind", "supervising_committee", "lead_body")


class Links:
    """Case-list URLs: the dashboard's own filters plus the ones that select a figure's cases. A page has about
    three hundred of them: the list's path is reversed once, and the query built from plain lists."""

    def __init__(self, filters: QueryDict):
        self.path = reverse("opinions:case_list")
        self.filters = dict(filters.lists())

    def __call__(self, **extra) -> str:
        query = dict(self.filters)
        for name, value in extra.items():
            query[name] = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
        return f"{self.path}?{urlencode([(name, value) for name, values in query.items() for value in values])}"


def _figure_links(link: Links, today: date) -> dict[str, str]:
    year = today.year
    return {
        "open": link(status=sorted(OPEN_STATUSES)), "overdue": link(overdue="true"),
        "due_within_7": link(due_within=7), "due_within_30": link(due_within=30),
        "closed_this_year": link(status=CaseStatus.CLOSED, closed_after=date(year, 1, 1),
                                 closed_before=date(year, 12, 31)),
        "on_time": link(timeliness="on_time"), "late": link(timeliness="late"), "rehandled": link(rehandled="true"),
        "late_handovers": link(late_handover="true"),
        "red": link(rag="red"), "amber": link(rag="amber"), "green": link(rag="green"), "all": link(),
    }


def _row_links(board: dashboard.Dashboard, link: Links) -> None:
    for row in board.league_table:
        body = row["body"]
        row["urls"] = {"cases": link(lead_body=body), "overdue": link(lead_body=body, overdue="true"),
                       "late": link(lead_body=body, timeliness="late"),
                       "dissatisfied": link(lead_body=body, rehandled="true")}
    for by, rows in (("supervising_committee", board.by_committee), ("kind", board.by_kind),
                     ("year", board.by_year)):
        for row in rows:
            row["urls"] = None if row["key"] is None else {
                "cases": link(**{by: row["key"]}), "open": link(**{by: row["key"]}, status=sorted(OPEN_STATUSES)),
                "overdue": link(**{by: row["key"]}, overdue="true"),
                "closed": link(**{by: row["key"]}, status=CaseStatus.CLOSED)}
    for row in board.trend:
        first, last = row["month"], dashboard.month_end(row["month"])
        row["urls"] = {
            "opened": link(issued_after=first, issued_before=last),
            "closed": link(status=CaseStatus.CLOSED, closed_after=first, closed_before=last),
            "went_overdue": link(due_after=first, due_before=min(last, board.today - timedelta(days=1)),
                                 timeliness="late")}


def _chart_data(board: dashboard.Dashboard, links: dict) -> dict:
    """What the charts draw, with the list URL of every bar and slice (a click opens the cases)."""
    figures = board.figures
    return {
        "rag": [{"name": _("Overdue"), "value": figures.red, "colour": "#cf222e", "url": links["red"]},
                {"name": _("Due soon"), "value": figures.amber, "colour": "#bf8700", "url": links["amber"]},
                {"name": _("On schedule"), "value": figures.green, "colour": "#1a7f37", "url": links["green"]}],
        "trend": {"months": [f"{row['month']:%Y-%m}" for row in board.trend],
                  "series": [{"key": key, "name": name, "values": [row[key] for row in board.trend],
                              "urls": [row["urls"][key] for row in board.trend]}
                             for key, name in (("opened", _("Issued")), ("closed", _("Closed")),
                                               ("went_overdue", _("Went overdue")))]},
        "committees": {"labels": [row["label"] or _("No committee") for row in board.by_committee],
                       "series": [{"key": key, "name": name, "values": [row[key] for row in board.by_committee],
                                   "urls": [row["urls"] and row["urls"][key] for row in board.by_committee]}
                                  for key, name in (("open", _("Open")), ("overdue", _("Overdue")))]},
    }


LEAGUE_COLUMNS = [("body_name", gettext_lazy("Body")), ("cases", gettext_lazy("Cases")),
                  ("overdue", gettext_lazy("Overdue now")), ("on_time_rate", gettext_lazy("On-time rate")),
                  ("average_days_late", gettext_lazy("Average days late")),
                  ("dissatisfied", gettext_lazy("Found 不满意")),
                  ("rectification_rate", gettext_lazy("Audit problems rectified (整改率)"))]


def _summary(form) -> list[tuple[str, str]]:
    """The filters in force, in words, for the printed sheet."""
    summary = []
    for name in FILTER_FIELDS:
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        field = form.fields[name]
        summary.append((str(field.label), str(dict(field.choices).get(value, value) if name == "kind" else value)))
    return summary


@login_required
def dashboard_page(request, mode: str = "page"):
    # Only the filters the page offers narrow the figures, so that each link adds its figure's filter to exactly
    # the ones that produced the figure.
    filters = QueryDict(mutable=True)
    for name in FILTER_FIELDS:
        if request.GET.get(name):
            filters[name] = request.GET[name]
    filterset = CaseFilterSet(filters, queryset=selectors.cases_visible_to(request.user))
    filterset.form.fields = {name: filterset.form.fields[name] for name in FILTER_FIELDS}
    league_sort = request.GET.get("league_sort", "overdue")
    context = {"filter": filterset, "mode": mode, "filters": filters.urlencode(), "league_sort": league_sort,
               "refresh": SCREEN_REFRESH_SECONDS, "refresh_minutes": SCREEN_REFRESH_SECONDS // 60,
               "can_see_year": can_see_year_figures(request.user)}
    if not filterset.is_valid():
        return render(request, MODES[mode], context, status=400)

    def figures_with_links():
        board = dashboard.build(filterset.qs, selectors.today(), selectors.due_soon(), league_sort)
        link = Links(filters)
        links = _figure_links(link, board.today)
        _row_links(board, link)
        return board, links, _chart_data(board, links)

    try:
        (board, links, charts), computed_at, rendered_key = dashboard.cached(
            request.user, figures_with_links, filters=filters.urlencode(), league_sort=league_sort)
    except InvalidInput as exc:
        filterset.form.add_error(None, exc.message)
        return render(request, MODES[mode], context, status=400)
    context.update(board=board, computed_at=computed_at, rendered_key=rendered_key,
                   rendered_seconds=settings.DASHBOARD_CACHE_SECONDS, links=links, charts=charts,
                   league_columns=LEAGUE_COLUMNS,
                   filter_summary=_summary(filterset.form),
                   breakdowns=[(_("By supervising committee"), board.by_committee), (_("By kind"), board.by_kind),
                               (_("By year (of the meeting)"), board.by_year)])
    return render(request, MODES[mode], context)
