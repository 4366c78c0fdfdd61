"""The list and the API list no longer count each case's items (neither shows them, issue 11 §7); the ledgers,
which do, count them themselves."""

import csv
import io
from datetime import date

from django.urls import reverse

from opinions import services
from opinions.models import CaseItem


def test_the_csv_ledger_counts_each_cases_items_and_those_closed(client, world, make_case):
    case = services.case_issue(case=make_case(), actor=world.staff, issued_date=date(2020, 9, 3))
    item = case.items.order_by("number").first()
    CaseItem.objects.filter(pk=item.pk).update(status="closed")  # a verified item, without its history
    client.force_login(world.staff)
    response = client.get(reverse("opinions:case_export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff"))))
    assert rows[0][16:18] == ["意见事项", "已销号意见事项"]  # items, items closed
    assert rows[1][16:18] == ["2", "1"]
