"""The application side of the Redis-outage test, run as its own process against the test's broker and database:
`python outage_app.py <phase> <case-count>` creates open cases, plans their reminders and runs one sweep."""

import json
import sys
from datetime import date, datetime, timedelta

import django

django.setup()

from django.utils import timezone  # noqa: E402

from agencies.models import Body  # noqa: E402
from opinions.models import Case  # noqa: E402
from opinions.reminders.planning import replan_cases  # noqa: E402
from opinions.reminders.tasks import sweep_reminders as sweep  # noqa: E402

NOW = timezone.make_aware(datetime(2026, 11, 23, 10, 0))  # a Monday morning, inside the sending window

phase, count = sys.argv[1], int(sys.argv[2])
at = NOW
if phase == "after":
    at = NOW + timedelta(minutes=11)  # past the claim lease: lost batches are handed out again
else:
    body = Body.objects.get(short_name="市人民政府")
    cases = Case.objects.bulk_create(
        Case(kind="plan_execution", title=f"断网测试 {phase} {n}", lead_body=body, status="in_progress",
             due_date=date(2026, 11, 2)) for n in range(count))
    replan_cases(cases, now=NOW)
print(json.dumps(sweep.apply(args=[at.isoformat()]).get()))
