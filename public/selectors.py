"""What the public site reads. Everything it shows is copied here, field by field, from a live publication into
plain records: the pages never hold a case, so nothing internal (remarks, review comments, progress notes, people,
history, ids) can reach them by a template's mistake. A publication that is not live is not found, whatever asks."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from agencies.models import Body
from opinions.choices import CaseKind
from opinions.models import Evaluation

from .models import Publication, PublishedFile

SEARCH_MAX_LENGTH = 50  # what a visitor types is cut to this before it reaches the database


@dataclass(frozen=True)
class PublicFile:
    name: str
    size: int
    content_type: str
    slug: str
    token: str


@dataclass(frozen=True)
class PublicItem:
    number: int
    heading: str
    text: str
    status: str  # its label


@dataclass(frozen=True)
class PublicReport:
    title: str
    submitted_on: date | None
    text: str  # the redacted copy when there is one; empty when only a redacted file goes out
    redacted: bool
    file: PublicFile | None


@dataclass(frozen=True)
class PublicEvaluation:
    meeting: str
    held_on: date
    entitled_to_vote: int
    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    result: str  # its label


@dataclass(frozen=True)
class PublicRow:
    """A line of the list and an entry of the feed."""

    slug: str
    title: str
    doc_number: str
    kind: str
    year: int
    lead_body: str
    issued_date: date | None
    closed_date: date | None
    published_at: datetime


@dataclass(frozen=True)
class PublicRecord:
    row: PublicRow
    meeting: str
    meeting_date: date | None
    source_report_title: str
    reporter: str
    co_bodies: list[str]
    committee: str
    due_date: date | None
    submitted_date: date | None
    evaluated_on: date | None
    opinion_text: str | None  # None: not published
    items: list[PublicItem] | None
    report: PublicReport | None
    evaluations: list[PublicEvaluation] | None
    files: list[PublicFile]


def live() -> QuerySet[Publication]:
    return Publication.objects.live()


def filter_choices() -> dict:
    """The search form's choices: the years there are publications of, and every body (their names are public; a
    link to a body's publications keeps working when it has none left), in two small queries."""
    years = list(live().order_by().values_list("year", flat=True).distinct().order_by("-year"))
    bodies = list(Body.objects.order_by("name").values_list("name", flat=True))
    return {"years": years, "bodies": bodies, "kinds": CaseKind.choices}


def publication_rows(*, q: str = "", year: int | None = None, body: str = "", kind: str = "") -> QuerySet:
    """Live publications, newest first, narrowed by the search form; one query per page whatever is typed."""
    publications = live().select_related("case__lead_body")
    q = (q or "").strip()[:SEARCH_MAX_LENGTH]
    if q:
        publications = publications.filter(Q(case__title__icontains=q) | Q(case__doc_number__icontains=q))
    if year:
        publications = publications.filter(year=year)
    if body:
        publications = publications.filter(case__lead_body__name=body)
    if kind:
        publications = publications.filter(case__kind=kind)
    return publications.order_by("-published_at", "-pk")


def row(publication: Publication) -> PublicRow:
    case = publication.case
    return PublicRow(slug=publication.slug, title=case.title, doc_number=case.doc_number,
                     kind=case.get_kind_display(), year=publication.year, lead_body=case.lead_body.name,
                     issued_date=case.issued_date, closed_date=case.closed_date,
                     published_at=publication.published_at)


def feed_rows(limit: int = 50) -> list[PublicRow]:
    return [row(publication) for publication in live().select_related("case__lead_body")
            .order_by("-published_at", "-pk")[:limit]]


def public_record(slug: str) -> PublicRecord | None:
    """The publication at this address as the public sees it, or None when there is none live (a constant number of
    queries)."""
    publication = live().select_related("case__lead_body", "case__meeting", "case__supervising_committee",
                                        "report").filter(slug=slug).first()
    if publication is None:
        return None
    case = publication.case
    files = list(publication.files.order_by("pk"))
    chosen = [_file(publication, f) for f in files if f.role == PublishedFile.Role.ATTACHMENT]
    redacted_file = next((_file(publication, f) for f in files if f.role == PublishedFile.Role.REDACTED_REPORT), None)
    evaluations = list(Evaluation.objects.filter(case=case).select_related("meeting").order_by("recorded_at", "pk"))
    return PublicRecord(
        row=row(publication),
        meeting=case.meeting.title() if case.meeting else "",
        meeting_date=case.meeting.start_date if case.meeting else None,
        source_report_title=case.source_report_title,
        reporter=" ".join(part for part in (case.reporter_position, case.reporter_name) if part),
        co_bodies=list(case.co_bodies.order_by("name").values_list("name", flat=True)),
        committee=case.supervising_committee.name if case.supervising_committee else "",
        due_date=case.due_date,
        submitted_date=case.submitted_date,
        evaluated_on=_held_on(evaluations[-1]) if evaluations else None,
        opinion_text=case.opinion_text if publication.shows_opinion_text else None,
        items=[PublicItem(item.number, item.heading, item.text if item.text != item.heading else "",
                          item.get_status_display()) for item in case.items.order_by("number")]
        if publication.shows_items else None,
        report=_report(publication, redacted_file) if publication.shows_report else None,
        evaluations=[_evaluation(evaluation) for evaluation in evaluations] if publication.shows_evaluation else None,
        files=chosen,
    )


def published_file(slug: str, token: str) -> PublishedFile | None:
    """A file of a live publication by its token; the redacted copy of the report only while the report goes out."""
    published = PublishedFile.objects.select_related("attachment", "publication").filter(
        publication__in=live().filter(slug=slug), token=token).first()
    if published is None or (published.role == PublishedFile.Role.REDACTED_REPORT
                             and not published.publication.shows_report):
        return None
    return published


def _file(publication: Publication, published: PublishedFile) -> PublicFile:
    return PublicFile(name=published.original_name, size=published.size, content_type=published.content_type,
                      slug=publication.slug, token=published.token)


def _report(publication: Publication, redacted_file: PublicFile | None) -> PublicReport | None:
    report = publication.report
    if report is None and not publication.redacted_text and redacted_file is None:
        return None
    if publication.redacted_text:
        text, redacted = publication.redacted_text, True
    elif redacted_file is not None:  # the copy is the file: the original text stays in
        text, redacted = "", True
    else:
        text, redacted = report.text, False
    return PublicReport(title=report.title if report else "", submitted_on=_local(report.submitted_at) if report
                        else None, text=text, redacted=redacted, file=redacted_file)


def _evaluation(evaluation: Evaluation) -> PublicEvaluation:
    return PublicEvaluation(meeting=evaluation.meeting.title() if evaluation.meeting else "",
                            held_on=_held_on(evaluation), entitled_to_vote=evaluation.entitled_to_vote,
                            satisfied=evaluation.satisfied, basically_satisfied=evaluation.basically_satisfied,
                            dissatisfied=evaluation.dissatisfied, result=evaluation.get_result_display())


def _held_on(evaluation: Evaluation) -> date:
    return evaluation.meeting.start_date if evaluation.meeting else _local(evaluation.recorded_at)


def _local(moment: datetime) -> date:
    return timezone.localdate(moment)
