"""The pure modules' refusals (workflow, deadlines) as domain errors, in the user's language."""

from django.utils.translation import get_language

from npc_tracker.errors import DomainError, NotAllowed


def _localized(exc) -> str:
    return exc.message_en if (get_language() or "").startswith("en") else exc.message_zh


def from_transition_refused(exc) -> DomainError:
    """The pure workflow explains its refusals in both languages; keep its code and wording."""
    cls = NotAllowed if exc.code == "wrong_role" else DomainError
    return cls(_localized(exc), code=exc.code)


def from_deadline_error(exc) -> DomainError:
    """Deadline arithmetic refuses loudly (e.g. a year without calendar data); show its own explanation."""
    return DomainError(_localized(exc), code=exc.code)
