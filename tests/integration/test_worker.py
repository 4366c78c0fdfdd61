"""The PostgreSQL + Redis pass: a task goes through the real broker to a real worker and reads the database."""

import pytest

from opinions import rules
from opinions.tasks import check_calendar_coverage


@pytest.mark.worker
@pytest.mark.django_db
def test_a_real_worker_runs_the_calendar_check_against_the_test_database(celery_worker_process):
    # The worker reads the real clock, not the test's: the day to check is given.
    missing = check_calendar_coverage.delay("2026-10-15").get(timeout=60)
    assert missing == rules.missing_calendar_years([2026, 2027])  # from October on, next year counts too
    assert check_calendar_coverage.delay("2026-09-30").get(timeout=60) == rules.missing_calendar_years([2026])
    assert celery_worker_process.poll() is None
