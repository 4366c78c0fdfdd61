"""The case ledger (台账) as rows, shared by the CSV export now and the Excel ledger later. Streams: the rows are
read from the database in chunks, never all at once."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from .selectors import NOT_YET_SUBMITTED, today

CHUNK = 2000


def ledger_header() -> list[str]:
    return [_("No."), _("Document number"), _("Title"), _("Meeting"), _("Kind"), _("Issued on"), _("Lead body"),
            _("Co-handling bodies"), _("Supervising committee"), _("Due date"), _("Status"),
            _("Days left (negative: overdue)"), _("Items"), _("Items closed")]


def ledger_rows(cases) -> Iterator[list]:
    as_of = today()
    cases = cases.select_related("lead_body", "meeting", "supervising_committee").prefetch_related("co_bodies")
    for case in cases.iterator(chunk_size=CHUNK):
        yield [
            case.pk, case.doc_number, case.title, str(case.meeting) if case.meeting else "", case.get_kind_display(),
            case.issued_date or "", case.lead_body.name, "、".join(body.name for body in case.co_bodies.all()),
            case.supervising_committee.name if case.supervising_committee else "", case.due_date or "",
            case.get_status_display(),
            (case.due_date - as_of).days if case.due_date and case.status in NOT_YET_SUBMITTED else "",
            case.item_count, case.items_closed,
        ]
