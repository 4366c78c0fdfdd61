"""The Excel ledger (台账) of the audit problems (issue 15 §1, §6): a sheet of problems, one row each, and the 整改率
per unit and per area, on the one basis of opinions.audit_figures, so its totals are the ledger page's. Written by
npc_tracker.spreadsheets as the rows are read: the problems come from the database as plain values (no model
instances), in chunks of one cursor, so the queries do not grow with the rows and memory stays flat.

序号 is the running number of a problem in the ledger (1…N, by audit year and reference), not a database id."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from npc_tracker.spreadsheets import Sheet, write_workbook

from .audit_figures import Rectification, rectification, rectification_by
from .choices import ITEM_STATUS_CHOICES, RECTIFIED_BY_WAY, RectificationType
from .models import AuditProblem
from .selectors import today

CHUNK = 2000
ORDER = ("audit_year", "reference", "pk")

# The columns read for each problem, in the sheet's order (序号 first, then these; the verifier's three name parts
# make one column).
PROBLEM_COLUMNS = (
    "reference", "audit_year", "area__name", "problem_type", "item__responsible_body__name", "item__heading",
    "item__text", "item__amount", "rectification_type",
    *(name for name, _label in RECTIFIED_BY_WAY), "item__rectified_amount", "rules_made", "people_dealt_with",
    "matters_referred", "item__status", "repeat_of__reference", "verified_by__first_name", "verified_by__last_name",
    "verified_by__username", "verified_at", "item__progress_note",
)


def problem_header() -> list[str]:
    return [
        pgettext("audit ledger", "No."), pgettext("audit ledger", "Reference"), pgettext("audit ledger", "Audit year"),
        pgettext("audit ledger", "Area"), pgettext("audit ledger", "Problem type"),
        pgettext("audit ledger", "Unit responsible"), pgettext("audit ledger", "Summary"),
        pgettext("audit ledger", "Description"), pgettext("audit ledger", "Amount involved (10,000 yuan)"),
        pgettext("audit ledger", "Rectification type"), pgettext("audit ledger", "Paid to the treasury"),
        pgettext("audit ledger", "Disbursed"), pgettext("audit ledger", "Accounts adjusted"),
        pgettext("audit ledger", "Returned to the original funding channel"),
        pgettext("audit ledger", "Losses recovered"), pgettext("audit ledger", "Amount rectified"),
        pgettext("audit ledger", "Rules made"), pgettext("audit ledger", "People dealt with"),
        pgettext("audit ledger", "Matters referred"), pgettext("audit ledger", "Status"),
        pgettext("audit ledger", "Repeat finding (earlier reference)"), pgettext("audit ledger", "Verified by"),
        pgettext("audit ledger", "Verified at"), pgettext("audit ledger", "Latest progress"),
    ]


PROBLEM_WIDTHS = [6, 16, 8, 14, 20, 24, 40, 60, 12, 12, 10, 10, 10, 12, 10, 12, 10, 10, 8, 14, 16, 12, 17, 48]


def _full_name(first: str | None, last: str | None, username: str | None) -> str | None:
    """As User.get_full_name(), or the user name when it is empty; None when nobody."""
    if username is None:
        return None
    return f"{first or ''} {last or ''}".strip() or username


def problem_rows(problems: QuerySet[AuditProblem]) -> Iterator[list]:
    """One row per problem, numbered 1…N by audit year and reference; amounts in 万元 as decimals, the moment of
    销号 as a date-time."""
    statuses = {value: str(label) for value, label in ITEM_STATUS_CHOICES}
    kinds = {value: str(label) for value, label in RectificationType.choices}
    rows = problems.order_by(*ORDER).values_list(*PROBLEM_COLUMNS).iterator(chunk_size=CHUNK)
    for number, (reference, year, area, problem_type, unit, heading, text, amount, kind, treasury,
                 disbursed, adjusted, returned, recovered, rectified, rules, people, referred, status, repeat_of,
                 first, last, username, verified_at, progress) in enumerate(rows, start=1):
        yield [number, reference, year, area, problem_type, unit, heading, text or None, amount,
               kinds.get(kind, kind), treasury, disbursed, adjusted, returned, recovered, rectified, rules, people,
               referred, statuses.get(status, status), repeat_of, _full_name(first, last, username), verified_at,
               progress or None]


def rate_header(group_label: str) -> list[str]:
    return [pgettext("audit ledger", "No."), group_label, pgettext("audit ledger", "Problems"),
            pgettext("audit ledger", "Verified (销号)"), pgettext("audit ledger", "Rectification rate by count (%)"),
            pgettext("audit ledger", "Amount involved (10,000 yuan)"),
            pgettext("audit ledger", "Amount rectified (10,000 yuan)"),
            pgettext("audit ledger", "Rectification rate by amount (%)"), pgettext("audit ledger", "Repeat findings")]


RATE_WIDTHS = [6, 28, 8, 8, 12, 14, 14, 12, 10]


def _rate_row(number, name, figures: Rectification) -> list:
    return [number, name, figures.problems, figures.rectified, figures.rate, figures.amount_involved,
            figures.amount_rectified, figures.rate_by_amount, figures.repeats]


def rate_rows(problems: QuerySet[AuditProblem], group: str) -> Iterator[list]:
    """Per unit or per area (audit_figures.rectification_by), then the total over all the problems: two queries."""
    number = 0
    for number, (_pk, name, figures) in enumerate(rectification_by(problems, group), start=1):
        yield _rate_row(number, name, figures)
    total = rectification(problems)
    if number:
        yield _rate_row(None, pgettext("audit ledger", "Total"), total)


def ledger_workbook(problems: QuerySet[AuditProblem]):
    """The problems' workbook in a temporary file, ready to be streamed; it is deleted when closed."""
    heading = pgettext("audit ledger", "Ledger of the rectification of problems found by audit")
    return write_workbook([
        Sheet(pgettext("audit ledger", "Problem ledger"), problem_header(), problem_rows(problems), PROBLEM_WIDTHS),
        Sheet(pgettext("audit ledger", "By unit"), rate_header(pgettext("audit ledger", "Unit responsible")),
              rate_rows(problems, "unit"), RATE_WIDTHS,
              heading=_("%(ledger)s: by unit") % {"ledger": heading}),
        Sheet(pgettext("audit ledger", "By area"), rate_header(pgettext("audit ledger", "Area")),
              rate_rows(problems, "area"), RATE_WIDTHS,
              heading=_("%(ledger)s: by area") % {"ledger": heading}),
    ], heading=heading, as_of=_("as of %(day)s") % {"day": f"{today():%Y-%m-%d}"})
