"""Domain errors: a refused action is a clear message (409 in the API), never a 500 (design.md rule 2)."""

from django.utils.translation import gettext as _


class DomainError(Exception):
    """A business rule refused the request. `code` is machine-readable, `message` is for people."""

    code = "refused"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def __str__(self):
        return str(self.message)


class NotAllowed(DomainError):
    """The actor has no role that permits this action on this case."""

    code = "not_allowed"


class InvalidInput(DomainError):
    code = "invalid"


def from_transition_refused(exc) -> DomainError:
    """Translate the pure workflow's refusal into a localized domain error."""
    from .choices import ACTION_LABELS, CASE_STATUS_LABELS, ITEM_ACTION_LABELS, ITEM_STATUS_LABELS

    action = ACTION_LABELS.get(exc.action) or ITEM_ACTION_LABELS.get(exc.action) or exc.action
    status = CASE_STATUS_LABELS.get(exc.status) or ITEM_STATUS_LABELS.get(exc.status) or exc.status
    if exc.code == "wrong_role":
        return NotAllowed(_("You may not “%(action)s” on this case.") % {"action": action}, code="wrong_role")
    if exc.code == "items_open":
        return DomainError(
            _("Every item must be verified and closed or carried over before the case can be closed."),
            code="items_open",
        )
    return DomainError(
        _("“%(action)s” is not possible while the status is “%(status)s”.") % {"action": action, "status": status},
        code=exc.code,
    )


def from_deadline_error(exc) -> DomainError:
    """Deadline arithmetic refuses loudly (e.g. a year without calendar data); show its own explanation."""
    from django.utils.translation import get_language

    message = exc.message_en if (get_language() or "").startswith("en") else exc.message_zh
    return DomainError(message, code=exc.code)
