"""What the office sends out on a case: the draft's sign-off (审签), document numbers (文号) given out once, the
documents themselves kept on the case, a 催办通知 by hand, and the templates an administrator replaces."""

from datetime import date, datetime
from uuid import uuid4

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.compose import external_copy
from npc_tracker.errors import DomainError, InvalidInput, NotAllowed

from .. import documents
from ..choices import DocumentKind, SignoffStateChoice
from ..models import Case, CaseDocument, DocNumberSequence, DocumentTemplate, Evaluation, Extension
from ..notices import Event, event_message, notify_event
from ..permissions import sent_it_for_signoff
from ..tracking import locked_case, save_tracked
from ..workflow import Action
from .common import local_date, moment, required_text
from .transitions import check_action, transition

# A note travels inside a letter: a paragraph or two.
MAX_NOTE_CHARS = 2000


def doc_number_next(*, year: int, prefix: str | None = None) -> str:
    """The next 文号 of the prefix in the year. In the caller's transaction and under its row lock, so two issues at
    once never get the same number, and a number given out stays given (a rolled-back issue gives its number back
    with everything else, so no gap is left either)."""
    prefix = prefix or documents.number_prefix()
    sequence, _created = DocNumberSequence.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return documents.format_number(prefix, year, sequence.last_number)


def keep_document(case: Case, letter: documents.Letter, *, actor, at: datetime | None = None) -> CaseDocument:
    """Render the letter from the template in force and keep it on the case, with who, when and which template
    version. Never changed or deleted afterwards: it is what went out. The case must be locked by the caller."""
    template = documents.template_in_force(letter.kind)
    label = DocumentKind(letter.kind).label
    document = CaseDocument(case=case, kind=letter.kind, number=letter.number, template=template,
                            original_name=f"{letter.number} {label}.docx".strip()[:200], note=letter.note,
                            extension=letter.extension, evaluation=letter.evaluation, issued_by=actor,
                            issued_at=moment(at))
    with documents.render(letter, template) as output:
        document.size = output.seek(0, 2)
        output.seek(0)
        # Stored under a fresh name, like the attachments: the number's brackets stay out of the file system.
        document.file.save(f"{uuid4().hex}.docx", File(output), save=False)
    save_tracked(document, actor=actor, at=at,
                 reason=_("%(kind)s issued: %(number)s") % {"kind": label, "number": letter.number or "—"})
    return document


def assignment_number(case: Case, issued_date: date) -> str:
    """交办: the opinion goes out under the number it already carries (one entered from paper), else the next one."""
    return case.doc_number or doc_number_next(year=issued_date.year)


# --- 审签 -------------------------------------------------------------------------------------------------------------


@transaction.atomic
def case_request_signoff(*, case: Case, actor, at: datetime | None = None) -> Case:
    """送审: the draft and its 交办通知 go to whoever the rule set names to sign them off."""
    case = locked_case(case)
    return transition(case, Action.REQUEST_SIGNOFF, actor=actor, reason=_("Sent for sign-off (送审)"), at=at,
                      signoff_state=SignoffStateChoice.REQUESTED, signoff_requested_by=actor)


@transaction.atomic
def case_sign_off(*, case: Case, actor, approve: bool, comment: str = "", at: datetime | None = None) -> Case:
    """审签: approved, the draft can be numbered and issued; returned, it goes back to its drafters with the reason."""
    case = locked_case(case)
    check_action(case, Action.SIGN_OFF, actor)
    if sent_it_for_signoff(actor, case):
        raise NotAllowed(_("You sent this draft for sign-off: someone else signs it off."))
    comment = (comment or "").strip()
    if approve:
        reason = _("Signed off (审签)") + (f": {comment}" if comment else "")
        return transition(case, Action.SIGN_OFF, actor=actor, reason=reason, at=at,
                          signoff_state=SignoffStateChoice.SIGNED, signed_off_by=actor, signed_off_at=moment(at))
    comment = required_text(comment, "comment", _("Say what must change before the draft can be signed off."))
    return transition(case, Action.SIGN_OFF, actor=actor, reason=_("Returned for revision: %(comment)s")
                      % {"comment": comment}, at=at, signoff_state=SignoffStateChoice.NOT_REQUESTED,
                      signoff_requested_by=None)


def signoff_reset(case: Case, *, actor) -> None:
    """A draft changed after it was sent for sign-off is not the draft that was signed: it must be signed again.
    The case must be locked by the caller."""
    if case.signoff_state == SignoffStateChoice.NOT_REQUESTED:
        return
    case.signoff_state = SignoffStateChoice.NOT_REQUESTED
    case.signoff_requested_by = case.signed_off_by = case.signed_off_at = None
    save_tracked(case, actor=actor, reason=_("The draft changed: it must be signed off (审签) again"))


# --- documents after the issue -------------------------------------------------------------------------------------


@transaction.atomic
def case_press(*, case: Case, actor, note: str = "", at: datetime | None = None) -> CaseDocument:
    """催办: a numbered 催办通知 by hand, beside the ladder's own, whenever the body owes its report."""
    case = locked_case(case)
    check_action(case, Action.PRESS, actor)
    return _send_to_body(case, DocumentKind.PRESSING, actor=actor, note=note, at=at)


def _send_to_body(case: Case, kind: DocumentKind, *, actor, note: str, at: datetime | None) -> CaseDocument:
    """A letter pressing the body: numbered and kept, to its liaisons through their channels and to its leader by
    e-mail, and on the case's record."""
    document = _keep_numbered(case, kind, actor=actor, at=at, note=_bounded_note(note))
    detail = f"{document.number}: {document.note}" if document.note else document.number
    key = f"e:{Event.CASE_PRESSED}:{case.pk}:d{document.pk}"
    notify_event(case, Event.CASE_PRESSED, actor=actor, ref=f"d{document.pk}", detail=detail, at=at)
    if case.lead_body.leader_email:
        subject, body = event_message(Event.CASE_PRESSED, case, detail)
        external_copy(case.lead_body.leader_email, key=key, event=Event.CASE_PRESSED, subject=subject, body=body,
                      case=case).save()
    return document


@transaction.atomic
def case_send_supervision_letter(*, case: Case, actor, note: str = "", at: datetime | None = None) -> CaseDocument:
    """督办函: the stronger letter, once the case has been circulated as overdue (通报) and the report is still owed;
    to the body's liaisons and its leader, like a 催办通知."""
    case = locked_case(case)
    check_action(case, Action.PRESS, actor)
    if not case.escalated_on:
        raise DomainError(_("A supervision letter (督办函) follows a 通报: this case has not been circulated as "
                            "overdue."), code="wrong_status")
    return _send_to_body(case, DocumentKind.SUPERVISION, actor=actor, note=note, at=at)


def extension_reply_keep(extension: Extension, *, actor, at: datetime | None = None) -> CaseDocument:
    """延期批复: the decision on an extension request, as the numbered reply the body files. In the decision's
    transaction, with the case locked."""
    return _keep_numbered(extension.case, DocumentKind.EXTENSION_REPLY, actor=actor, at=at, extension=extension)


def evaluation_notice_keep(evaluation: Evaluation, *, actor, at: datetime | None = None) -> CaseDocument:
    """满意度测评结果通知: the vote's result, as the numbered notice to the body. In the recording's transaction."""
    return _keep_numbered(evaluation.case, DocumentKind.EVALUATION_RESULT, actor=actor, at=at,
                          evaluation=evaluation)


def _keep_numbered(case: Case, kind: DocumentKind, *, actor, at: datetime | None, note: str = "",
                   **subject) -> CaseDocument:
    issued_on = local_date(at)
    letter = documents.Letter(kind=kind, case=case, issued_on=issued_on, note=note,
                              number=doc_number_next(year=issued_on.year), **subject)
    return keep_document(case, letter, actor=actor, at=at)


def _bounded_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(_("A note may be at most %(limit)s characters.") % {"limit": MAX_NOTE_CHARS}, field="note")
    return note


# --- templates -----------------------------------------------------------------------------------------------------


@transaction.atomic
def document_template_upload(*, kind: str, file, actor, note: str = "") -> DocumentTemplate:
    """A new version of a kind's template, in force from now on; refused, with the reason, if it cannot serve."""
    try:
        kind = DocumentKind(kind)
    except ValueError:
        raise InvalidInput(_("Unknown kind of document."), field="kind") from None
    documents.check_template(kind, file)
    last = (DocumentTemplate.objects.select_for_update().filter(kind=kind).order_by("-version")
            .values_list("version", flat=True).first()) or 0
    template = DocumentTemplate(kind=kind, version=last + 1, original_name=(file.name or "")[:255],
                                note=(note or "").strip()[:200], uploaded_by=actor, uploaded_at=timezone.now())
    template.file.save(f"{kind}-v{last + 1}.docx", file, save=False)
    save_tracked(template, actor=actor, reason=_("Template uploaded"))
    return template
