"""Cases brought to a stage through the services, for tests that start from there."""

from datetime import date

from opinions import services
from opinions.models import Case
from opinions.reminders import sweep
from opinions.workflow import CaseStatus
from tests.moments import local

LATER = date(2026, 12, 31)  # after the tests' today (2026-06-10)


def accepted(case, world, *, carry_first=False) -> Case:
    """The case acknowledged (if it was not), its report accepted with its items settled: each done and verified,
    or the first carried over until LATER when `carry_first`."""
    if case.status == CaseStatus.ISSUED:
        case = services.case_acknowledge(case=case, actor=world.liaison, received_date=date(2020, 9, 5))
    first, *rest = case.items.order_by("number")
    if carry_first:
        services.item_carry_over(item=first, actor=world.staff, reason="长期工作", next_report_date=LATER)
    for item in rest if carry_first else [first, *rest]:
        services.item_report_progress(item=item, actor=world.liaison, progress_note="已部署")
        services.item_mark_done(item=item, actor=world.liaison, measures="已落实")
    services.report_submit(case=case, actor=world.liaison, kind="final", title="报告", text="正文")
    services.report_accept(case=case, actor=world.staff, verify_done=True)
    return Case.objects.get(pk=case.pk)


def circulated_as_overdue(case) -> Case:
    """The 2020 plan opinion (received 2020-09-05, due 2020-12-07) as the reminder ladder leaves it on Monday
    2020-12-14: its 催办通知 sent and the case circulated as overdue (通报)."""
    monday = local(2020, 12, 14, 10, 0)
    sweep.deliver(sweep.claim_due(now=monday), now=monday)
    case = Case.objects.get(pk=case.pk)
    assert case.escalated_on == date(2020, 12, 14)
    return case
