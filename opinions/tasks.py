"""Periodic work of the opinions app besides the reminder ladder (reminders/tasks.py): the staff's digest and the
calendar check. Tasks are thin and safe to run twice; they call selectors/services (design.md rule 5)."""

import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

from . import audit_import, rules
from .digest import send_daily_digests

logger = logging.getLogger(__name__)

# The State Council publishes next year's holidays in November/December; warn from October on.
WARN_FROM_MONTH = 10


@shared_task
def daily_digest() -> int:
    return send_daily_digests()


@shared_task
def check_calendar_coverage(on: str | None = None) -> list[int]:
    """Warn administrators loudly when this or next year's working-day calendar is incomplete. `on` (ISO date)
    checks as of another day than today."""
    today = date.fromisoformat(on) if on else timezone.localdate()
    years = [today.year] + ([today.year + 1] if today.month >= WARN_FROM_MONTH else [])
    missing = rules.missing_calendar_years(years)
    for year in missing:
        logger.warning("%s", rules.describe_missing_calendar(year))
    return missing


@shared_task
def run_audit_import(job_pk: int) -> str | None:
    """An uploaded audit list, checked and saved (opinions.audit_import.run); a second delivery does nothing."""
    job = audit_import.run(job_pk)
    return job.state if job is not None else None
