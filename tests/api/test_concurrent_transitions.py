"""Two staff accept the same report at the same moment (PostgreSQL, real transactions, two threads): one wins with
200, the other is told 409 — the row lock in the service serializes them."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from opinions import services
from opinions.models import Case
from tests.concurrency import run_together


@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_once_give_one_200_and_one_409(seeded, world, received_case):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent row locks need PostgreSQL; runs in the PostgreSQL pass")
    services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告", text="正文")
    statuses = []

    def accept_as(user):
        def accept(together):
            client = APIClient()
            client.force_authenticate(user)
            together()
            # The case's items are open: accepting carries them over (a report is accepted only with its items
            # settled), so the race is about the acceptance alone.
            statuses.append(client.post(f"/api/v1/cases/{received_case.pk}/accept-report/",
                                        {"carry_over_reason": "持续整改", "next_report_date": "2099-06-30"},
                                        format="json"))
        return accept

    assert run_together(accept_as(world.staff), accept_as(world.office_staff)) == []
    assert sorted(response.status_code for response in statuses) == [200, 409]
    refused = next(response for response in statuses if response.status_code == 409)
    assert refused.json()["code"] == "wrong_status"
    case = Case.objects.get(pk=received_case.pk)
    assert case.status == "accepted"
    assert case.history.filter(history_change_reason__isnull=False, status="accepted").count() == 1
