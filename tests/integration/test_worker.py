"""The PostgreSQL + Redis pass: a task goes through the real broker to a real worker and reads the database."""

import pytest

from opinions import rules
from opinions.tasks import check_calendar_coverage


@pytest.mark.worker
@pytest.mark.django_db
def test_a_real_worker_runs_the_calendar_check_against_the_test_database(celery_worker_process):
    result = check_calendar_coverage.delay()
    missing = result.get(timeout=60)
    from django.utils import timezone

    today = timezone.localdate()
    expected = rules.missing_calendar_years([today.year] + ([today.year + 1] if today.month >= 10 else []))
    assert missing == expected
    assert celery_worker_process.poll() is None
