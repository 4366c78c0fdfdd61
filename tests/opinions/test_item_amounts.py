"""Amounts on audit problems (domain.md §10): entered on the draft, rectified by the body, checked by the services
and the same through the page and the API."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from npc_tracker.errors import InvalidInput
from opinions import services
from opinions.models import CaseItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit_case(make_case, world):
    case = make_case(kind="audit_rectification", items=[
        {"heading": "违规发放津贴补贴", "kind": "audit_problem", "amount": Decimal("120.50")},
        {"heading": "制度不健全", "kind": "audit_problem"},
    ])
    case = services.case_issue(case=case, actor=world.staff, issued_date=date(2024, 9, 2))
    return services.case_acknowledge(case=case, actor=world.liaison, received_date=date(2024, 9, 3))


def items_of(case):
    return list(case.items.order_by("number"))


def test_a_negative_amount_is_refused_and_nothing_is_saved(make_case):
    with pytest.raises(InvalidInput) as exc:
        make_case(items=[{"heading": "问题", "amount": Decimal("-1")}])
    assert exc.value.field == "amount"
    assert not CaseItem.objects.exists()


def test_the_amount_rectified_is_recorded_with_progress_and_with_the_item_done(audit_case, world):
    with_money, _without = items_of(audit_case)
    item = services.item_report_progress(item=with_money, actor=world.liaison, progress_note="已追回部分",
                                         rectified_amount=Decimal("80"))
    assert item.rectified_amount == Decimal("80")
    item = services.item_mark_done(item=item, actor=world.liaison, measures="全部追回",
                                   rectified_amount=Decimal("120.50"))
    item.refresh_from_db()
    assert item.rectified_amount == Decimal("120.50")
    assert item.history.first().rectified_amount == Decimal("120.50")  # audited like every change


@pytest.mark.parametrize("amount", [Decimal("120.51"), Decimal("-0.01")])
def test_more_than_the_amount_involved_or_less_than_nothing_is_refused(audit_case, world, amount):
    with_money, _without = items_of(audit_case)
    with pytest.raises(InvalidInput) as exc:
        services.item_report_progress(item=with_money, actor=world.liaison, progress_note="x", rectified_amount=amount)
    assert exc.value.field == "rectified_amount"
    with_money.refresh_from_db()
    assert (with_money.status, with_money.rectified_amount, with_money.progress_note) == ("not_started", None, "")


def test_an_item_without_an_amount_cannot_have_one_rectified(audit_case, world):
    _with_money, without = items_of(audit_case)
    with pytest.raises(InvalidInput) as exc:
        services.item_mark_done(item=without, actor=world.liaison, measures="x", rectified_amount=Decimal("1"))
    assert exc.value.field == "rectified_amount"
    without.refresh_from_db()
    assert (without.status, without.measures) == ("not_started", "")


def test_the_page_asks_for_an_amount_rectified_only_where_there_is_an_amount(client, audit_case, world):
    with_money, without = items_of(audit_case)
    client.force_login(world.liaison)
    page = client.get(reverse("opinions:case_detail", args=[audit_case.pk])).content.decode()
    assert f'name="item{with_money.pk}-report-progress-rectified_amount"' in page
    assert f'name="item{without.pk}-report-progress-rectified_amount"' not in page
    assert "120.50" in page

    url = reverse("opinions:item_action", args=[audit_case.pk, with_money.pk, "report-progress"])
    prefix = f"item{with_money.pk}-report-progress-"
    refused = client.post(url, {prefix + "progress_note": "已追回", prefix + "rectified_amount": "500"})
    assert refused.status_code == 400
    assert "整改金额须在 0 与问题金额（120.50）之间" in refused.content.decode()
    assert client.post(url, {prefix + "progress_note": "已追回", prefix + "rectified_amount": "60"}).status_code == 302
    with_money.refresh_from_db()
    assert with_money.rectified_amount == Decimal("60")


def test_the_api_takes_amounts_on_drafts_and_progress(client, world):
    client.force_login(world.staff)
    created = client.post("/api/v1/cases/", {
        "kind": "audit_rectification", "title": "审计整改", "lead_body": world.gov.pk,
        "supervising_committee": world.caijing.pk,
        "items": [{"heading": "违规", "kind": "audit_problem", "amount": "30.00"},
                  {"heading": "负数", "amount": "-5"}]}, content_type="application/json")
    assert created.status_code == 400
    assert "items.1.amount" in created.json()["fields"]  # the failing row by its position
    created = client.post("/api/v1/cases/", {
        "kind": "audit_rectification", "title": "审计整改", "lead_body": world.gov.pk,
        "supervising_committee": world.caijing.pk,
        "items": [{"heading": "违规", "kind": "audit_problem", "amount": "30.00"}]}, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["items"][0]["amount"] == "30.00"
    case_id, item_id = created.json()["id"], created.json()["items"][0]["id"]
    client.post(f"/api/v1/cases/{case_id}/issue/", {"issued_date": "2024-09-02"}, content_type="application/json")
    client.force_login(world.liaison)
    client.post(f"/api/v1/cases/{case_id}/acknowledge/", {"received_date": "2024-09-03"},
                content_type="application/json")
    progress = f"/api/v1/cases/{case_id}/items/{item_id}/report-progress/"
    too_much = client.post(progress, {"progress_note": "x", "rectified_amount": "31"}, content_type="application/json")
    assert too_much.status_code == 400
    assert "rectified_amount" in too_much.json()["fields"]
    done = client.post(progress, {"progress_note": "追回", "rectified_amount": "12.5"},
                       content_type="application/json")
    assert done.status_code == 200, done.json()
    assert CaseItem.objects.get(pk=item_id).rectified_amount == Decimal("12.5")
