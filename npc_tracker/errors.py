"""Domain errors every app raises: a refused action is a clear message (409 in the API), never a 500 (design.md
rule 2). They live here, below every app, so that agencies, opinions and notifications can all raise them without
importing one another."""


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
