"""Checks of what a rule set stores — the deadline rule's syntax, the reminder ladder — needing no table, so that
the model's own clean() (admin, forms) and the services share one validator without models importing rules."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import deadlines
from . import reminder_schedule as schedule
from .errors import from_deadline_error


def rule_text_error(text: str) -> deadlines.RuleSyntaxError | None:
    """Why a deadline rule as typed cannot be read, or None when it can. An empty rule reads: it stands for the rule
    set's default. The one check of a rule's syntax; each caller raises it in its own kind of error."""
    if not text:
        return None
    try:
        deadlines.Rule.parse(text)
    except deadlines.RuleSyntaxError as exc:
        return exc
    return None


def validate_rule_text(text: str, *, field: str = "deadline_rule") -> None:
    """The model's clean() (admin, forms): a ValidationError on `field`, in the user's language."""
    if error := rule_text_error(text):
        raise ValidationError({field: from_deadline_error(error).message}) from error


def reminder_policy(rule_set) -> schedule.Policy:
    if rule_set is None:
        return schedule.Policy()
    return schedule.Policy(
        days_before=tuple(rule_set.reminder_days), overdue_after_days=rule_set.overdue_notice_after_days,
        escalate_after_workdays=rule_set.escalate_after_workdays, window_start=rule_set.send_window_start,
        window_end=rule_set.send_window_end,
    )


def validate_reminder_policy(rule_set) -> None:
    days = rule_set.reminder_days
    if not isinstance(days, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in days):
        raise ValidationError({"reminder_days": _("A list of whole numbers of days, e.g. [30, 14, 7, 3, 1, 0].")})
    try:
        reminder_policy(rule_set)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
