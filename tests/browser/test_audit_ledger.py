"""The audit-problem ledger in Chromium: the staff open it from the menu, filter by a unit, and the 整改率 at the
top becomes that unit's."""

from decimal import Decimal

import pytest

from agencies.models import Body, BodyKind
from opinions.models import AuditArea, AuditProblem, Case, CaseItem
from opinions.selectors import today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def problems(seeded, world):
    """2023's audit: 市财政局 has two problems, one verified (销号); 市发改委 two, none verified."""
    finance = Body.objects.create(name="安阳市财政局", short_name="市财政局", kind=BodyKind.DEPARTMENT,
                                  parent=world.gov)
    case = Case.objects.create(kind="audit_rectification", title="关于 2023 年度审计查出问题的整改",
                               lead_body=world.gov, status="in_progress", supervising_committee=world.caijing,
                               issued_date=today())
    case.co_bodies.add(finance, world.fgw)
    area = AuditArea.objects.get(name="预算执行")
    for number, (unit, status, amount, rectified) in enumerate([
            (finance, "closed", "100", "100"), (finance, "in_progress", "300", "60"),
            (world.fgw, "in_progress", "200", None), (world.fgw, "not_started", "400", None)], start=1):
        item = CaseItem.objects.create(case=case, number=number, kind="audit_problem", heading=f"问题{number}",
                                       responsible_body=unit, status=status, amount=Decimal(amount),
                                       rectified_amount=Decimal(rectified) if rectified else None)
        AuditProblem.objects.create(item=item, reference=f"SJ2023-01-{number:03d}", audit_year=2023, area=area,
                                    problem_type="未及时上缴非税收入", rectification_type="immediate")
    return finance


def test_the_staff_filter_the_ledger_by_unit_and_see_its_rate(open_session, problems):
    staff = open_session("staff")
    page = staff.page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with page.expect_navigation():
        page.click("nav >> text=审计整改台账")
    assert page.locator("[data-testid=problems]").inner_text() == "4"
    assert page.locator("[data-testid=rate]").inner_text() == "25.0%"
    assert page.locator("[data-testid=rate-by-amount]").inner_text() == "16.0%"
    staff.shot("ledger")

    page.select_option("select[name=unit]", str(problems.pk))
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert f"unit={problems.pk}" in page.url
    assert page.locator("[data-testid=problems]").inner_text() == "2"
    assert page.locator("[data-testid=rate]").inner_text() == "50.0%"
    assert page.locator("[data-testid=rate-by-amount]").inner_text() == "40.0%"
    assert page.locator("table.audit-ledger tbody tr").count() == 2
    staff.shot("ledger-by-unit")
    assert errors == []
