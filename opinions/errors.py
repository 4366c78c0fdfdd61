"""The pure modules' refusals (workflow, deadlines) as domain errors, in the user's language."""

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from npc_tracker.errors import DomainError, NotAllowed

from .choices import (
    REFUSAL_ACTION,
    REFUSAL_APPROVER,
    REFUSAL_CASE_STATUS,
    REFUSAL_ITEM_ACTION,
    REFUSAL_ITEM_STATUS,
)
from .workflow import Action, CaseStatus, ExtensionApprover, ItemAction, ItemStatus


def _localized(exc) -> str:
    return exc.message_en if (get_language() or "").startswith("en") else exc.message_zh


def from_transition_refused(exc) -> DomainError:
    """The pure workflow says what it refused and why, as data; the words are said here, with the labels of
    opinions.choices."""
    cls = NotAllowed if exc.code == "wrong_role" else DomainError
    return cls(refusal_message(exc), code=exc.code)


def refusal_message(exc) -> str:
    if exc.code == "unknown_action":
        return _("Unknown action “%(action)s”.") % {"action": exc.action}
    if exc.case_status is not None:
        return _item_refusal_message(exc)
    words = {"action": REFUSAL_ACTION[Action(exc.action)], "status": REFUSAL_CASE_STATUS[CaseStatus(exc.status)]}
    if exc.code == "items_open" and exc.action == Action.ACCEPT_REPORT:
        return ngettext("Cannot accept the report: %(count)d item is neither verified nor carried over. Verify what "
                        "the body marked done and carry over (持续整改) the rest, on accepting or item by item, or "
                        "return the report.",
                        "Cannot accept the report: %(count)d items are neither verified nor carried over. Verify "
                        "what the body marked done and carry over (持续整改) the rest, on accepting or item by item, "
                        "or return the report.", exc.open_count) % {"count": exc.open_count}
    if exc.code == "items_open":
        return ngettext("Cannot %(action)s the case: %(count)d item is neither closed nor carried over.",
                        "Cannot %(action)s the case: %(count)d items are neither closed nor carried over.",
                        exc.open_count) % {**words, "count": exc.open_count}
    if exc.code == "wrong_role" and exc.approver:
        return _("You are not allowed to %(action)s a case that is %(status)s. Extensions are decided by "
                 "%(approver)s.") % {**words, "approver": REFUSAL_APPROVER[ExtensionApprover(exc.approver)]}
    if exc.code == "wrong_role":
        return _("You are not allowed to %(action)s a case that is %(status)s.") % words
    if exc.code == "signoff_required":
        return _("Cannot issue the draft before it is signed off (审签): send it for sign-off first.")
    if exc.code == "signoff_not_required":
        return _("The rule set for this kind of case names nobody to sign off (审签) its drafts: issue it directly.")
    if exc.code == "wrong_signoff_state":
        return (_("The draft is already awaiting sign-off or signed off.") if exc.action == Action.REQUEST_SIGNOFF
                else _("The draft has not been sent for sign-off."))
    return _("Cannot %(action)s a case that is %(status)s.") % words


def _item_refusal_message(exc) -> str:
    action = REFUSAL_ITEM_ACTION[ItemAction(exc.action)]
    if exc.code == "wrong_role":
        return _("You are not allowed to %(action)s this item.") % {"action": action}
    if exc.status_of == "case":
        return _("Cannot %(action)s an item while the case is %(status)s.") % {
            "action": action, "status": REFUSAL_CASE_STATUS[CaseStatus(exc.case_status)]}
    return _("Cannot %(action)s an item that is %(status)s.") % {
        "action": action, "status": REFUSAL_ITEM_STATUS[ItemStatus(exc.status)]}


def from_deadline_error(exc) -> DomainError:
    """Deadline arithmetic refuses loudly (e.g. a year without calendar data); show its own explanation."""
    return DomainError(_localized(exc), code=exc.code)
