"""Publishing (向社会公布) and taking a case off the public site. Each is one transaction: the opinions service
changes the case through the workflow table (row locked, role and status checked, the case's history written), and
the publication — what goes out — is written with its own history beside it."""

import secrets
from collections.abc import Iterable
from uuid import uuid4

from django.db import transaction
from django.utils.translation import gettext as _

from npc_tracker.errors import InvalidInput
from opinions import uploads
from opinions.choices import ReportKind, ReviewOutcome
from opinions.models import Attachment, Case, Report
from opinions.services import case_publish, case_unpublish
from opinions.services.common import moment
from opinions.tracking import delete_tracked, save_tracked

from .models import DEFAULT_PARTS, PART_FIELDS, Part, Publication, PublishedFile

# The random part of a public address: no 0/o, 1/l/i to misread when someone types it from paper.
SLUG_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
SLUG_RANDOM_LENGTH = 10  # 31^10 ≈ 8·10^14: not guessable by walking
TOKEN_BYTES = 18  # 24 URL-safe characters


@transaction.atomic
def publication_publish(*, case: Case, actor, parts: Iterable[str] | None = None,
                        attachments: Iterable[Attachment] | None = None, redacted_text: str = "",
                        redacted_file=None, drop_redacted_file: bool = False, at=None) -> Publication:
    """Publish the case with what the staff chose to go out.

    `parts` (None: all of them) — which of :class:`Part` go out besides the particulars and dates; `attachments` —
    which of the case's files go out (none unless chosen); `redacted_text` — when given, goes out instead of the
    report's text; `redacted_file` — an uploaded redacted copy of the report, checked like every upload. When a
    redacted file is given and no redacted text, the report's own text does not go out. Publishing again (after
    taking it off) keeps the address and the redacted file published before, unless a new one is uploaded or
    `drop_redacted_file`."""
    case = case_publish(case=case, actor=actor, at=at)  # the workflow's check, the case's history
    chosen = _parts(parts)
    files = _case_files(case, attachments or ())
    kind = uploads.check_upload(redacted_file) if redacted_file else None
    publication = Publication.objects.select_for_update().filter(case=case).first()
    again = publication is not None
    if publication is None:
        publication = Publication(case=case, year=case.year, slug=_new_slug(case.year))
    for part, field in PART_FIELDS.items():
        setattr(publication, field, part in chosen)
    publication.report = report_to_publish(case)
    publication.redacted_text = (redacted_text or "").strip()
    publication.published_at, publication.published_by = moment(at), actor
    publication.unpublished_at, publication.unpublished_by, publication.unpublish_reason = None, None, ""
    save_tracked(publication, actor=actor, reason=_("Published again") if again else _("Published"), at=at)
    _replace_chosen_files(publication, files, actor=actor)
    if redacted_file or drop_redacted_file:
        for old in publication.files.filter(role=PublishedFile.Role.REDACTED_REPORT):
            delete_tracked(old, actor=actor, reason=_("Redacted copy replaced") if redacted_file
                           else _("Redacted copy withdrawn"))
    if redacted_file:
        _add_redacted_copy(publication, redacted_file, kind, actor=actor)
    return publication


@transaction.atomic
def publication_unpublish(*, case: Case, actor, reason: str, at=None) -> Case:
    """Take the case off the public site at once, with a reason; its publication stays on record (and its address,
    for publishing again)."""
    case = case_unpublish(case=case, actor=actor, reason=reason, at=at)
    publication = Publication.objects.select_for_update().filter(case=case).first()
    if publication is not None:  # a case published before publications were kept has none
        publication.unpublished_at, publication.unpublished_by = moment(at), actor
        publication.unpublish_reason = reason.strip()
        save_tracked(publication, actor=actor, reason=_("Unpublished: %(reason)s") % {"reason": reason.strip()},
                     at=at)
    return case


def _parts(parts: Iterable[str] | None) -> frozenset[Part]:
    if parts is None:
        return DEFAULT_PARTS
    parts = set(parts)
    unknown = parts - set(Part.values)
    if unknown:
        raise InvalidInput(_("Unknown parts: %(parts)s") % {"parts": ", ".join(sorted(unknown))}, field="parts")
    return frozenset(Part(part) for part in parts)


def _case_files(case: Case, attachments: Iterable[Attachment]) -> list[Attachment]:
    wanted = {attachment.pk for attachment in attachments}
    files = list(case.attachments.filter(pk__in=wanted).order_by("uploaded_at", "pk"))
    if len(files) != len(wanted):
        raise InvalidInput(_("Only the case's own files can be published."), field="attachments")
    return files


def report_to_publish(case: Case) -> Report | None:
    """The body's final report as the committee accepted it: what a publication's report (or its redacted copy)
    stands for."""
    return case.reports.filter(kind=ReportKind.FINAL, review_outcome=ReviewOutcome.ACCEPTED).in_order().last()


def _replace_chosen_files(publication: Publication, files: list[Attachment], *, actor) -> None:
    """The files chosen this time, each under a new token: an address handed out for an earlier publication does
    not lead to a file any more."""
    for old in publication.files.filter(role=PublishedFile.Role.ATTACHMENT):
        delete_tracked(old, actor=actor, reason=_("File no longer published"))
    for attachment in files:
        published = PublishedFile(publication=publication, role=PublishedFile.Role.ATTACHMENT, token=_token(),
                                  attachment=attachment, original_name=attachment.original_name,
                                  content_type=attachment.content_type, size=attachment.size)
        save_tracked(published, actor=actor, reason=_("File published: %(name)s") % {"name": published.original_name})


def _add_redacted_copy(publication: Publication, file, kind: uploads.FileKind, *, actor) -> None:
    name = uploads.file_name(file)
    published = PublishedFile(publication=publication, role=PublishedFile.Role.REDACTED_REPORT, token=_token(),
                              original_name=name, content_type=kind.content_type, size=file.size)
    # Stored under a fresh name, as attachments are (opinions.services.attachments).
    published.file.save(f"{uuid4().hex}.{kind.extensions[0]}", file, save=False)
    save_tracked(published, actor=actor, reason=_("Redacted copy published: %(name)s") % {"name": name})


def _new_slug(year: int) -> str:
    while True:
        slug = f"{year}-" + "".join(secrets.choice(SLUG_ALPHABET) for _i in range(SLUG_RANDOM_LENGTH))
        if not Publication.objects.filter(slug=slug).exists():
            return slug


def _token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)
