"""The case list costs the same number of queries whatever the number of cases (issue 6: ≤ 10 at 100,000)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opinions.models import Case
from opinions.selectors import cases_visible_to

MAX_QUERIES = 10


def grow_to(cases: int) -> None:
    missing = cases - Case.objects.count()
    call_command("generate_dataset", cases=missing, today=date(2026, 6, 15), years=2, stdout=StringIO())


def queries_for(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert cases_visible_to(user).exists()  # an empty page would skip the query of its rows
    return len(queries)


@pytest.mark.parametrize("url", ["/cases/", "/api/v1/cases/"])
@pytest.mark.parametrize("who", ["office_staff", "liaison"])
def test_the_case_list_makes_as_many_queries_for_30_cases_as_for_3(client, world, url, who):
    user = getattr(world, who)
    grow_to(3)
    # The liaison must see a row at both sizes: one of the first three becomes their body's.
    Case.objects.filter(pk=Case.objects.order_by("pk").first().pk).update(lead_body=world.gov, status="in_progress")
    few = queries_for(client, user, url)
    grow_to(30)
    many = queries_for(client, user, url)
    assert many == few <= MAX_QUERIES

