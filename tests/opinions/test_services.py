"""Services against the real database: success, wrong status, wrong role, history, due dates recomputed."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from npc_tracker.errors import DomainError, InvalidInput, NotAllowed
from opinions import services
from opinions.models import Case, CaseItem, Meeting, Report
from opinions.workflow import CaseStatus, ItemStatus

pytestmark = pytest.mark.django_db


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


def acknowledged(case, world, day=date(2020, 9, 5)):
    return services.case_acknowledge(case=case, actor=world.liaison, received_date=day, at=at(day))


def settle_items(case, world):
    for item in case.items.all():
        services.item_report_progress(item=item, actor=world.liaison, progress_note="已部署")
        services.item_mark_done(item=item, actor=world.liaison, measures="已落实")
        services.item_verify(item=item, actor=world.staff)


# ---------------------------------------------------------------- create and issue


def test_staff_creates_a_draft_with_numbered_items(make_case):
    case = make_case()
    assert case.status == CaseStatus.DRAFT
    assert list(case.items.values_list("number", "heading")) == [
        (1, "一、全力以赴抓好“六稳”“六保”。"), (2, "二、超前谋划厚植产业优势。")]
    assert case.deadline_rule == "months:3"  # defaulted from the Henan rule set for plan execution


def test_a_liaison_cannot_create_a_case(world):
    with pytest.raises(NotAllowed):
        services.case_create(actor=world.liaison, kind="plan_execution", title="x", lead_body=world.gov)
    assert not Case.objects.exists()


def test_a_case_without_title_is_refused_with_a_field_error(world):
    with pytest.raises(InvalidInput) as exc:
        services.case_create(actor=world.staff, kind="plan_execution", title="  ", lead_body=world.gov)
    assert exc.value.field == "title"


def test_overriding_the_deadline_rule_needs_a_reason(world, make_case):
    with pytest.raises(InvalidInput) as exc:
        make_case(deadline_rule="months:2")
    assert exc.value.field == "deadline_rule_reason"
    case = make_case(deadline_rule="months:2", deadline_rule_reason="意见原文：两个月内")
    assert case.deadline_rule == "months:2"


def test_a_malformed_deadline_rule_is_refused(make_case):
    with pytest.raises(InvalidInput) as exc:
        make_case(deadline_rule="weeks:3", deadline_rule_reason="x")
    assert exc.value.code == "rule_syntax"


def test_issue_computes_a_provisional_due_date_from_the_issue_date(issued_case, world):
    assert issued_case.status == CaseStatus.ISSUED
    assert issued_case.issued_date == date(2020, 9, 3)
    assert issued_case.due_date == date(2020, 12, 3)
    assert issued_case.due_basis["anchor_event"] == "issue"


def test_issue_is_recorded_in_history_with_actor_and_reason(issued_case, world):
    record = issued_case.history.first()
    assert record.status == CaseStatus.ISSUED
    assert record.history_user == world.staff
    assert record.history_change_reason


def test_a_liaison_cannot_issue(make_case, world):
    case = make_case()
    with pytest.raises(NotAllowed):
        services.case_issue(case=case, actor=world.liaison)
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT
    assert case.due_date is None


def test_staff_of_an_unrelated_committee_cannot_issue(make_case, world):
    with pytest.raises(NotAllowed):
        services.case_issue(case=make_case(), actor=world.other_staff)


def test_the_general_office_can_issue_any_case(make_case, world):
    case = services.case_issue(case=make_case(), actor=world.office_staff, issued_date=date(2020, 9, 3))
    assert case.status == CaseStatus.ISSUED


def test_issuing_twice_is_refused_as_wrong_status(issued_case, world):
    with pytest.raises(DomainError) as exc:
        services.case_issue(case=issued_case, actor=world.staff)
    assert exc.value.code == "wrong_status"


def test_a_case_cannot_be_issued_before_its_meeting(make_case, world):
    meeting = Meeting.objects.create(term=14, session=15, start_date=date(2020, 8, 31))
    with pytest.raises(InvalidInput):
        services.case_issue(case=make_case(meeting=meeting), actor=world.staff, issued_date=date(2020, 8, 1))


def test_issuing_into_a_year_without_calendar_fails_loudly_and_saves_nothing(make_case, world):
    case = make_case()
    with pytest.raises(DomainError) as exc:
        services.case_issue(case=case, actor=world.staff, issued_date=date(2026, 11, 23))
    assert exc.value.code == "calendar_missing"
    assert "2027" in exc.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT
    assert case.due_date is None
    assert case.issued_date is None


def test_withdrawing_a_draft_needs_a_reason(make_case, world):
    case = make_case()
    with pytest.raises(InvalidInput):
        services.case_withdraw(case=case, actor=world.staff, reason=" ")
    assert services.case_withdraw(case=case, actor=world.staff, reason="重复登记").status == CaseStatus.WITHDRAWN


def test_drafts_can_be_edited_and_items_added_only_while_draft(make_case, world, issued_case):
    draft = make_case()
    services.case_update_draft(case=draft, actor=world.staff, title="新标题")
    item = services.item_add(case=draft, actor=world.staff, heading="三、持之以恒优化营商环境。")
    assert item.number == 3
    assert Case.objects.get(pk=draft.pk).title == "新标题"
    with pytest.raises(DomainError):
        services.item_add(case=issued_case, actor=world.staff, heading="晚了")


# ---------------------------------------------------------------- acknowledge


def test_receipt_recomputes_the_due_date_and_explains_the_roll_forward(issued_case, world):
    case = acknowledged(issued_case, world)
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.received_date == date(2020, 9, 5)
    assert case.due_date == date(2020, 12, 7)
    from opinions.rules import explain_due

    assert explain_due(case) == "三个月，自签收日 2020-09-05 起 → 2020-12-05 周六 → 顺延至 2020-12-07"


def test_another_bodys_liaison_cannot_acknowledge(issued_case, world):
    for outsider in (world.court_liaison, world.fgw_liaison, world.nobody):
        with pytest.raises(NotAllowed):
            services.case_acknowledge(case=issued_case, actor=outsider, received_date=date(2020, 9, 5))
    issued_case.refresh_from_db()
    assert issued_case.status == CaseStatus.ISSUED


def test_receipt_before_issue_is_refused(issued_case, world):
    with pytest.raises(InvalidInput):
        services.case_acknowledge(case=issued_case, actor=world.liaison, received_date=date(2020, 9, 1))


# ---------------------------------------------------------------- reports, evaluation, close


def test_consultation_round_returns_the_case_to_progress_with_comments(issued_case, world):
    case = acknowledged(issued_case, world)
    draft = services.report_submit(case=case, actor=world.liaison, kind="consultation_draft", title="征求意见稿",
                                   text="草稿")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_CONSULTATION
    services.consultation_comment(case=case, actor=world.staff, comment="请补充数据")
    draft.refresh_from_db()
    assert draft.review_outcome == "commented"
    assert draft.review_comment == "请补充数据"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


def test_a_report_needs_text(issued_case, world):
    case = acknowledged(issued_case, world)
    with pytest.raises(InvalidInput):
        services.report_submit(case=case, actor=world.liaison, kind="final", title="报告", text="")
    assert not Report.objects.exists()


def test_return_needs_a_reason_then_resubmission_supersedes_nothing_accepted(issued_case, world):
    case = acknowledged(issued_case, world)
    services.report_submit(case=case, actor=world.liaison, kind="final", title="整改报告", text="第一稿")
    assert Case.objects.get(pk=case.pk).submitted_date is not None
    with pytest.raises(InvalidInput):
        services.report_return(case=case, actor=world.staff, reason="")
    returned = services.report_return(case=case, actor=world.staff, reason="未逐条回应")
    assert returned.review_outcome == "returned"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS
    services.report_submit(case=case, actor=world.liaison, kind="final", title="整改报告（修改稿）", text="第二稿")
    accepted = services.report_accept(case=case, actor=world.staff, carry_over_reason="持续整改",
                                      next_report_date=date(2099, 6, 30))
    assert accepted.title == "整改报告（修改稿）"
    assert accepted.review_outcome == "accepted"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED


def test_a_liaison_cannot_accept_their_own_report(issued_case, world):
    case = acknowledged(issued_case, world)
    services.report_submit(case=case, actor=world.liaison, kind="final", title="报告", text="正文")
    with pytest.raises(NotAllowed):
        services.report_accept(case=case, actor=world.liaison)


def accepted_case(issued_case, world, *, settled=False):
    """Accepted with its items verified one by one beforehand (`settled`), or carried over on accepting."""
    case = acknowledged(issued_case, world)
    if settled:
        settle_items(case, world)
    services.report_submit(case=case, actor=world.liaison, kind="final", title="报告", text="正文")
    services.report_accept(case=case, actor=world.staff, carry_over_reason="" if settled else "长期工作",
                           next_report_date=date(2099, 6, 30))
    return Case.objects.get(pk=case.pk)


def test_a_report_is_not_accepted_while_an_item_is_open_and_nothing_is_recorded(issued_case, world):
    case = acknowledged(issued_case, world)
    services.report_submit(case=case, actor=world.liaison, kind="final", title="报告", text="正文")
    with pytest.raises(DomainError) as exc:
        services.report_accept(case=case, actor=world.staff, comment="报告符合要求")
    assert exc.value.code == "items_open"
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.reports.get().review_outcome == "pending"


def test_basically_satisfied_evaluation_closes_a_case_whose_items_are_verified(issued_case, world):
    case = accepted_case(issued_case, world, settled=True)
    evaluation = services.evaluation_record(case=case, actor=world.staff, entitled_to_vote=40, satisfied=15,
                                            basically_satisfied=12, dissatisfied=3)
    assert evaluation.result == "basically_satisfied"
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_date == timezone.localdate()


def test_a_dissatisfied_vote_sends_the_case_back_due_at_the_next_session(issued_case, world):
    case = accepted_case(issued_case, world)
    next_session = Meeting.objects.create(term=14, session=16, start_date=timezone.localdate() + timedelta(days=30))
    evaluation = services.evaluation_record(case=case, actor=world.staff, entitled_to_vote=40, satisfied=5,
                                            basically_satisfied=5, dissatisfied=20)
    assert evaluation.result == "dissatisfied"
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.due_date == next_session.start_date
    assert case.original_due_date == date(2020, 12, 7)


def test_a_dissatisfied_vote_without_a_next_session_asks_for_a_date(issued_case, world):
    case = accepted_case(issued_case, world)
    with pytest.raises(InvalidInput) as exc:
        services.evaluation_record(case=case, actor=world.staff, entitled_to_vote=40, satisfied=5,
                                   basically_satisfied=5, dissatisfied=20)
    assert exc.value.field == "redo_due_date"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED


def test_impossible_vote_counts_are_refused(issued_case, world):
    case = accepted_case(issued_case, world)
    with pytest.raises(InvalidInput):
        services.evaluation_record(case=case, actor=world.staff, entitled_to_vote=10, satisfied=9,
                                   basically_satisfied=5, dissatisfied=0)


def test_close_follows_an_acceptance_that_settled_the_items_and_reopen_requires_a_reason(issued_case, world):
    case = acknowledged(issued_case, world)
    first, second = case.items.all()
    services.item_report_progress(item=second, actor=world.liaison, progress_note="进行中")
    services.item_mark_done(item=second, actor=world.liaison, measures="已完成")
    services.report_submit(case=case, actor=world.liaison, kind="final", title="报告", text="正文")
    with pytest.raises(DomainError) as exc:  # the done item alone would be settled: the other one is still open
        services.report_accept(case=case, actor=world.staff, verify_done=True)
    assert exc.value.code == "items_open"
    services.item_carry_over(item=first, actor=world.staff, reason="持续整改", next_report_date=date(2026, 12, 31))
    services.report_accept(case=case, actor=world.staff, verify_done=True)
    assert dict(case.items.values_list("number", "status")) == {1: "carried_over", 2: "closed"}
    closed = services.case_close(case=case, actor=world.staff)
    assert closed.status == CaseStatus.CLOSED
    with pytest.raises(InvalidInput):
        services.case_reopen(case=closed, actor=world.staff, reason="")
    assert services.case_reopen(case=closed, actor=world.leader, reason="发现新问题").status == CaseStatus.IN_PROGRESS


# ---------------------------------------------------------------- extensions


def test_an_approved_extension_moves_the_due_date_and_keeps_the_original(issued_case, world):
    case = acknowledged(issued_case, world)
    extension = services.extension_request(case=case, actor=world.liaison, requested_date=date(2021, 1, 15),
                                           reason="涉及多部门", at=at(date(2020, 11, 30)))
    with pytest.raises(NotAllowed):  # the Henan rule set names the Council of Chairpersons
        services.extension_decide(extension=extension, actor=world.staff, approve=True)
    services.extension_decide(extension=extension, actor=world.leader, approve=True, comment="同意")
    case.refresh_from_db()
    assert case.due_date == date(2021, 1, 15)
    assert case.original_due_date == date(2020, 12, 7)
    from opinions.rules import explain_due

    assert explain_due(case).endswith("→ 延期至 2021-01-15（原 2020-12-07）")


def test_an_extension_cannot_be_requested_after_the_due_date(issued_case, world):
    case = acknowledged(issued_case, world)
    with pytest.raises(DomainError) as exc:
        services.extension_request(case=case, actor=world.liaison, requested_date=date(2021, 1, 15),
                                   reason="晚了", at=at(date(2020, 12, 8)))
    assert exc.value.code == "too_late"


def test_a_second_pending_extension_and_an_earlier_date_are_refused(issued_case, world):
    case = acknowledged(issued_case, world)
    with pytest.raises(InvalidInput):
        services.extension_request(case=case, actor=world.liaison, requested_date=date(2020, 12, 1), reason="x",
                                   at=at(date(2020, 11, 1)))
    services.extension_request(case=case, actor=world.liaison, requested_date=date(2021, 1, 15), reason="x",
                               at=at(date(2020, 11, 1)))
    with pytest.raises(DomainError) as exc:
        services.extension_request(case=case, actor=world.liaison, requested_date=date(2021, 1, 20), reason="y",
                                   at=at(date(2020, 11, 2)))
    assert exc.value.code == "extension_pending"


def test_a_refusal_needs_a_reason_and_leaves_the_due_date(issued_case, world):
    case = acknowledged(issued_case, world)
    extension = services.extension_request(case=case, actor=world.liaison, requested_date=date(2021, 1, 15),
                                           reason="x", at=at(date(2020, 11, 1)))
    with pytest.raises(InvalidInput):
        services.extension_decide(extension=extension, actor=world.leader, approve=False)
    services.extension_decide(extension=extension, actor=world.leader, approve=False, comment="理由不充分")
    case.refresh_from_db()
    assert case.due_date == date(2020, 12, 7)
    with pytest.raises(DomainError):
        services.extension_decide(extension=extension, actor=world.leader, approve=True)


# ---------------------------------------------------------------- items


def test_a_co_handling_liaison_acts_only_on_items_assigned_to_their_body(issued_case, world):
    case = acknowledged(issued_case, world)
    first, second = case.items.all()
    CaseItem.objects.filter(pk=second.pk).update(responsible_body=world.fgw)  # set-up only, not a tracked change
    second.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.item_report_progress(item=first, actor=world.fgw_liaison, progress_note="越权")
    item = services.item_report_progress(item=second, actor=world.fgw_liaison, progress_note="已部署")
    assert item.status == ItemStatus.IN_PROGRESS


def test_marking_an_item_done_needs_measures_and_verification_is_the_committees(issued_case, world):
    case = acknowledged(issued_case, world)
    item = case.items.first()
    services.item_report_progress(item=item, actor=world.liaison, progress_note="已部署")
    with pytest.raises(InvalidInput):
        services.item_mark_done(item=item, actor=world.liaison, measures="")
    services.item_mark_done(item=item, actor=world.liaison, measures="出台文件")
    with pytest.raises(NotAllowed):
        services.item_verify(item=item, actor=world.liaison)
    sent_back = services.item_send_back(item=item, actor=world.staff, reason="证据不足")
    assert sent_back.status == ItemStatus.IN_PROGRESS
    assert sent_back.committee_note == "证据不足"
    record = sent_back.history.first()
    assert record.history_user == world.staff
    assert record.history_change_reason == "证据不足"


def test_items_cannot_be_worked_on_before_receipt(issued_case, world):
    with pytest.raises(DomainError):
        services.item_report_progress(item=issued_case.items.first(), actor=world.liaison, progress_note="x")


def test_where_the_rule_set_names_the_supervising_committee_its_staff_decide_extensions(issued_case, world):
    from opinions.models import RuleSet

    RuleSet.objects.filter(case_kind="plan_execution").update(extension_approver="staff")
    case = Case.objects.get(pk=acknowledged(issued_case, world).pk)  # fresh object: no cached approver
    extension = services.extension_request(case=case, actor=world.liaison, requested_date=date(2021, 1, 15),
                                           reason="协调", at=at(date(2020, 11, 30)))
    with pytest.raises(NotAllowed):
        services.extension_decide(extension=extension, actor=world.leader, approve=True)
    services.extension_decide(extension=extension, actor=world.staff, approve=True, comment="同意")
    assert Case.objects.get(pk=case.pk).due_date == date(2021, 1, 15)
