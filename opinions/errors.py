"""Domain errors: a refused action is a clear message (409 in the API), never a 500 (design.md rule 2)."""


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


def _localized(exc) -> str:
    from django.utils.translation import get_language

    return exc.message_en if (get_language() or "").startswith("en") else exc.message_zh


def from_transition_refused(exc) -> DomainError:
    """The pure workflow explains its refusals in both languages; keep its code and wording."""
    cls = NotAllowed if exc.code == "wrong_role" else DomainError
    return cls(_localized(exc), code=exc.code)


def from_deadline_error(exc) -> DomainError:
    """Deadline arithmetic refuses loudly (e.g. a year without calendar data); show its own explanation."""
    return DomainError(_localized(exc), code=exc.code)
