"""Evidence and report files (附件). Kept as uploaded: an attachment is never changed or deleted (domain.md §5).

A refusal because of who you are is NotAllowed (403 in the API); one because of where the case or report stands
is a DomainError with the workflow's `wrong_status` (409), as for every other step."""

from uuid import uuid4

from django.db import transaction
from django.utils.translation import gettext as _

from npc_tracker.errors import DomainError, InvalidInput, NotAllowed

from .. import uploads, workflow
from ..choices import ReviewOutcome
from ..models import Attachment, Case, CaseItem, Report
from ..permissions import case_roles, item_roles
from ..selectors import belonging_to
from ..tracking import locked_case, save_tracked
from ..workflow import CaseStatus, Role

WRONG_STATUS = "wrong_status"  # the workflow's code for a step the case's state refuses


def attach_files(files, **target) -> None:
    """Files sent with a report or an item update, in the same transaction: one refused file saves nothing."""
    for file in files:  # all checked before any is written, so a refused one leaves no stray file on disk
        uploads.check_upload(file)
    for file in files:
        attachment_add(file=file, **target)


@transaction.atomic
def attachment_add(*, case: Case, actor, file, item: CaseItem | None = None,
                   report: Report | None = None) -> Attachment:
    """Attach one file to the case, to one of its items (evidence) or to one of its reports."""
    case = locked_case(case)
    if item is not None and report is not None:
        raise InvalidInput(_("A file belongs either to an item or to a report, not to both."), field="item")
    if item is not None:
        item = belonging_to(case, CaseItem).filter(pk=item.pk).first()
        if item is None:
            raise InvalidInput(_("That item is not part of this case."), field="item")
        _check_item_evidence(case, item, actor)
    elif report is not None:
        # Re-read under the case lock: a review decided meanwhile must be seen.
        report = belonging_to(case, Report).filter(pk=report.pk).first()
        if report is None:
            raise InvalidInput(_("That report is not part of this case."), field="report")
        _check_report_file(case, report, actor)
    else:
        _check_case_file(case, actor)
    kind = uploads.check_upload(file)
    name = uploads.file_name(file)
    attachment = Attachment(case=case, item=item, report=report, original_name=name,
                            content_type=kind.content_type, size=file.size, uploaded_by=actor)
    # Stored under a fresh name: uploads never overwrite each other, and the original name (kept for the download)
    # cannot collide with the storage's length limit or character rules.
    attachment.file.save(f"{uuid4().hex}.{kind.extensions[0]}", file, save=False)
    save_tracked(attachment, actor=actor, reason=_("File added: %(name)s") % {"name": name})
    return attachment


def _check_item_evidence(case: Case, item: CaseItem, actor) -> None:
    # item_roles keeps CO_LIAISON only for the items assigned to the co-handling body.
    if not item_roles(actor, item) & {Role.LIAISON, Role.CO_LIAISON}:
        raise NotAllowed(_("Only the liaisons of the body handling item %(number)s can add evidence to it.")
                         % {"number": item.number})
    if case.status not in workflow.BODY_ITEM_CASE_STATUSES:
        raise DomainError(_("Evidence can be added to items only while the body is handling the case (in progress "
                            "or in consultation); this case is “%(status)s”.") % {"status": case.get_status_display()},
                          code=WRONG_STATUS)


def _check_report_file(case: Case, report: Report, actor) -> None:
    if Role.LIAISON not in case_roles(actor, case):
        raise NotAllowed(_("Only the lead body's liaisons can add files to its reports."))
    if report.review_outcome != ReviewOutcome.PENDING or case.status == CaseStatus.CLOSED:
        raise DomainError(_("Files can be added to a report only while it awaits review."), code=WRONG_STATUS)


def _check_case_file(case: Case, actor) -> None:
    roles = case_roles(actor, case)
    if Role.STAFF in roles and case.status != CaseStatus.WITHDRAWN:
        return
    if Role.LIAISON in roles and case.status in workflow.BODY_ITEM_CASE_STATUSES:
        return
    if Role.STAFF in roles:
        raise DomainError(_("This case was withdrawn: no file can be added to it."), code=WRONG_STATUS)
    if Role.LIAISON in roles:
        raise DomainError(_("The body can add files to the case only while handling it (in progress or in "
                            "consultation); this case is “%(status)s”.") % {"status": case.get_status_display()},
                          code=WRONG_STATUS)
    raise NotAllowed(_("You cannot add files to this case."))
