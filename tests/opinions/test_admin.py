"""The admin shows every model, and every tracked model's history."""

from datetime import date

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

OUR_APPS = ("agencies", "opinions", "notifications")


@pytest.fixture
def admin_client_with_case(admin_client, issued_case):
    return admin_client


def our_models():
    return [m for m in apps.get_models() if m._meta.app_label in OUR_APPS and not m.__name__.startswith("Historical")]


def test_every_model_is_registered_in_the_admin():
    assert [m.__name__ for m in our_models() if m not in admin.site._registry] == []


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m.__name__)
def test_every_changelist_opens(admin_client_with_case, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client_with_case.get(url).status_code == 200


def test_a_cases_history_page_lists_its_changes_with_the_actor(admin_client_with_case, issued_case):
    url = reverse("admin:opinions_case_history", args=[issued_case.pk])
    html = admin_client_with_case.get(url).content.decode()
    assert "staff" in html


def test_the_status_of_a_case_is_not_editable_in_the_admin(admin_client_with_case, issued_case):
    url = reverse("admin:opinions_case_change", args=[issued_case.pk])
    html = admin_client_with_case.get(url).content.decode()
    assert 'name="status"' not in html
    assert 'name="due_date"' not in html


# ---------------------------------------------------------------- tracked models: through a service, or read-only
#
# Issue 12 §3: the admin cannot write a tracked model without history (the user and a reason) or around the workflow.

# The admins allowed to write, each through `write()`: the services of the meeting register, of the rules and the
# calendar; the reference data of agencies (no workflow, no service) with a required reason. Every other tracked
# model is only shown in the admin.
WRITTEN_THROUGH = {"Meeting", "HeardReport", "RuleSet", "CalendarDay", "Body", "Committee", "Membership",
                   "AuditArea", "DocumentTemplate"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NO_INLINE_ROWS = {f"heard_reports-{name}": "0" for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS",
                                                            "MAX_NUM_FORMS")}


def tracked_models():
    return [m for m in our_models() if hasattr(m._meta, "simple_history_manager_attribute")]


@pytest.fixture
def staff_admin(world):
    """A superuser who is also committee staff, so every service of the admin lets them write."""
    world.staff.is_superuser = world.staff.is_staff = True
    world.staff.save()
    return world.staff


@pytest.fixture
def staff_admin_client(client, staff_admin):
    client.force_login(staff_admin)
    return client


@pytest.fixture
def meeting(world):
    from opinions.services import meetings

    return meetings.meeting_create(actor=world.staff, term=14, session=15, start_date=date(2020, 8, 27),
                                   end_date=date(2020, 8, 28))


def url(name, *args):
    return reverse(f"admin:{name}", args=args)


def latest_history(obj):
    return obj.history.order_by("-history_id").first()


def test_our_apps_have_tracked_models_to_check():
    assert {"Case", "Meeting", "RuleSet", "Body"} <= {m.__name__ for m in tracked_models()}


@pytest.mark.parametrize("model", tracked_models(), ids=lambda m: m.__name__)
def test_the_admin_writes_a_tracked_model_through_a_service_or_not_at_all(rf, staff_admin, model):
    from npc_tracker.history_admin import HistoryAdmin, WriteThroughAdmin

    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = staff_admin
    may = {"add": model_admin.has_add_permission(request), "change": model_admin.has_change_permission(request),
           "delete": model_admin.has_delete_permission(request)}
    assert isinstance(model_admin, HistoryAdmin)  # the history page never reverts
    assert model_admin.revert_disabled(request)
    assert model_admin.has_view_permission(request)
    assert not may["delete"]
    if model.__name__ in WRITTEN_THROUGH:
        assert isinstance(model_admin, WriteThroughAdmin)
        assert type(model_admin).save_model is WriteThroughAdmin.save_model
        assert type(model_admin).write is not WriteThroughAdmin.write
    else:
        assert may == {"add": False, "change": False, "delete": False}


# ---- read-only models


def test_a_post_to_a_cases_change_page_is_refused_and_changes_nothing(admin_client, issued_case):
    before = issued_case.history.count()
    response = admin_client.post(url("opinions_case_change", issued_case.pk),
                                 {"title": "改过的标题", "status": "closed", "kind": issued_case.kind})
    assert response.status_code == 403
    issued_case.refresh_from_db()
    assert (issued_case.status, issued_case.title) != ("closed", "改过的标题")
    assert issued_case.history.count() == before


def test_a_case_cannot_be_deleted_or_added_in_the_admin(admin_client, issued_case):
    assert admin_client.post(url("opinions_case_delete", issued_case.pk), {"post": "yes"}).status_code == 403
    assert admin_client.post(url("opinions_case_add"), {"title": "新案件"}).status_code == 403
    issued_case.refresh_from_db()


def test_an_items_change_page_is_refused(admin_client, issued_case):
    item = issued_case.items.first()
    response = admin_client.post(url("opinions_caseitem_change", item.pk), {"heading": "改过", "status": "verified"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.heading != "改过"


def test_the_history_page_cannot_put_a_case_back_to_an_earlier_version(admin_client, issued_case):
    draft = issued_case.history.order_by("history_id").first()
    assert draft.status != issued_case.status
    page = url("opinions_case_simple_history", issued_case.pk, draft.history_id)
    assert admin_client.get(page).status_code == 200  # still shown
    assert admin_client.post(page, {}).status_code == 403
    issued_case.refresh_from_db()
    assert issued_case.status == "issued"


def test_the_history_page_cannot_revert_a_meeting_either(staff_admin_client, meeting, world):
    from opinions.services import meetings

    first = meeting.history.get()
    meetings.meeting_update(meeting=meeting, actor=world.staff, note="改期")
    page = url("opinions_meeting_simple_history", meeting.pk, first.history_id)
    assert staff_admin_client.post(page, {"kind": "sc_meeting", "term": 14, "session": 15,
                                          "start_date": "2020-08-27", "note": ""}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.note == "改期"


# ---- meetings and heard reports: opinions.meetings


def meeting_form(**overrides):
    return {"kind": "sc_meeting", "term": "14", "session": "16", "start_date": "2020-10-28", "end_date": "2020-10-29",
            "note": "", **NO_INLINE_ROWS, **overrides}


def test_a_meeting_added_in_the_admin_is_registered_by_the_service_with_the_user(staff_admin_client, staff_admin):
    from opinions.models import Meeting

    response = staff_admin_client.post(url("opinions_meeting_add"), meeting_form(), **EN)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get(term=14, session=16)
    record = latest_history(meeting)
    assert (record.history_user, record.history_change_reason) == (staff_admin, "Meeting registered")


def test_a_meeting_changed_in_the_admin_is_edited_by_the_service_with_the_user(staff_admin_client, staff_admin,
                                                                               meeting):
    form = meeting_form(session="15", start_date="2020-08-27", end_date="2020-08-29", note="延长一天")
    response = staff_admin_client.post(url("opinions_meeting_change", meeting.pk), form, **EN)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert (meeting.end_date, meeting.note) == (date(2020, 8, 29), "延长一天")
    record = latest_history(meeting)
    assert (record.history_user, record.history_change_reason) == (staff_admin, "Meeting edited")


def test_a_meeting_ending_before_it_starts_is_refused_on_the_form_with_what_was_typed(staff_admin_client, meeting):
    before = meeting.history.count()
    form = meeting_form(session="15", start_date="2020-08-27", end_date="2020-08-20", note="手误的日期")
    response = staff_admin_client.post(url("opinions_meeting_change", meeting.pk), form, **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "meeting_ends_after_start" in str(response.context["adminform"].form.errors)  # the model form checks too
    assert 'value="手误的日期"' in html
    assert 'value="2020-08-20"' in html
    meeting.refresh_from_db()
    assert meeting.end_date == date(2020, 8, 28)
    assert meeting.history.count() == before


def test_a_duplicate_meeting_is_refused_in_the_admin(staff_admin_client, meeting):
    from opinions.models import Meeting

    response = staff_admin_client.post(url("opinions_meeting_add"), meeting_form(session="15"), **EN)
    assert response.status_code == 200
    assert "Meeting with this Kind, Term and Session already exists." in response.content.decode()
    assert Meeting.objects.count() == 1


def test_a_term_the_service_refuses_is_an_error_on_the_form_not_a_server_error(staff_admin_client):
    from opinions.models import Meeting

    response = staff_admin_client.post(url("opinions_meeting_add"), meeting_form(term="0"), **EN)
    assert response.status_code == 200
    assert "The term (届) must be a number from 1 to 999." in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_administrator_who_is_not_committee_staff_only_sees_the_meeting_register(admin_client, meeting):
    assert admin_client.get(url("opinions_meeting_change", meeting.pk)).status_code == 200
    response = admin_client.post(url("opinions_meeting_change", meeting.pk), meeting_form(session="15", note="x"))
    assert response.status_code == 403
    assert admin_client.post(url("opinions_meeting_add"), meeting_form()).status_code == 403
    meeting.refresh_from_db()
    assert meeting.note == ""


def test_a_heard_report_added_in_the_admin_goes_through_the_service(staff_admin_client, staff_admin, meeting, world):
    form = {"meeting": meeting.pk, "order": "1", "title": "关于计划执行情况的报告", "reporter_name": "",
            "reporter_position": "", "body": world.gov.pk, "committee": world.caijing.pk}
    response = staff_admin_client.post(url("opinions_heardreport_add"), form, **EN)
    assert response.status_code == 302, response.content.decode()[:3000]
    report = meeting.heard_reports.get()
    record = latest_history(report)
    assert (record.history_user, record.history_change_reason) == (staff_admin, "Heard report added")

    again = staff_admin_client.post(url("opinions_heardreport_add"), {**form, "order": "2"}, **EN)
    assert again.status_code == 200
    assert "already exists" in again.content.decode()
    assert meeting.heard_reports.count() == 1


def test_a_heard_report_renamed_to_a_title_its_meeting_has_is_refused_by_the_service(staff_admin_client, meeting,
                                                                                   world):
    from opinions.services import meetings

    first = meetings.heard_report_add(meeting=meeting, actor=world.staff, title="关于计划执行情况的报告")
    second = meetings.heard_report_add(meeting=meeting, actor=world.staff, title="关于预算执行情况的报告")
    form = {"order": "2", "title": first.title, "reporter_name": "李四", "reporter_position": "", "body": "",
            "committee": ""}
    response = staff_admin_client.post(url("opinions_heardreport_change", second.pk), form, **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This meeting already has a report with this title." in html
    assert 'value="李四"' in html
    second.refresh_from_db()
    assert (second.title, second.reporter_name) == ("关于预算执行情况的报告", "")
    assert second.history.count() == 1


def test_a_heard_report_changed_in_the_admin_keeps_its_meeting(staff_admin_client, staff_admin, meeting, world):
    from opinions.services import meetings

    report = meetings.heard_report_add(meeting=meeting, actor=world.staff, title="关于计划执行情况的报告")
    other = meetings.meeting_create(actor=world.staff, term=14, session=16, start_date=date(2020, 10, 28))
    form = {"meeting": other.pk, "order": "1", "title": report.title, "reporter_name": "张三",
            "reporter_position": "", "body": "", "committee": ""}
    response = staff_admin_client.post(url("opinions_heardreport_change", report.pk), form, **EN)
    assert response.status_code == 302, response.content.decode()[:3000]
    report.refresh_from_db()
    assert (report.meeting, report.reporter_name) == (meeting, "张三")
    record = latest_history(report)
    assert (record.history_user, record.history_change_reason) == (staff_admin, "Heard report edited")


# ---- rule sets and calendar days: opinions.services, with the reason asked for


def rule_set_form(rule_set, **overrides):
    return {"deadline_rule": rule_set.deadline_rule, "anchor_event": rule_set.anchor_event, "roll_forward": "on",
            "extension_approver": rule_set.extension_approver, "handover_days": 10,
            "legal_basis": rule_set.legal_basis, "reminder_days": "[30, 14, 7, 3, 1, 0]",
            "overdue_notice_after_days": 1, "escalate_after_workdays": 5, "send_window_start": "08:30",
            "send_window_end": "18:00", "due_soon_days": 14, "vote_base": rule_set.vote_base,
            "signoff_by": rule_set.signoff_by, **overrides}


def test_a_rule_set_changed_in_the_admin_has_the_user_and_the_reason_in_its_history(admin_client, admin_user):
    from opinions.models import RuleSet

    rule_set = RuleSet.objects.get(case_kind="plan_execution")
    form = rule_set_form(rule_set, handover_days=15, case_kind="motion", reason="主任会议决定延长交办时间")
    response = admin_client.post(url("opinions_ruleset_change", rule_set.pk), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    rule_set.refresh_from_db()
    assert (rule_set.handover_days, rule_set.case_kind) == (15, "plan_execution")  # the kind is not the form's
    record = latest_history(rule_set)
    assert (record.history_user, record.history_change_reason) == (admin_user, "主任会议决定延长交办时间")


def test_a_rule_set_change_without_a_reason_is_refused(admin_client):
    from opinions.models import RuleSet

    rule_set = RuleSet.objects.get(case_kind="plan_execution")
    before = rule_set.history.count()
    response = admin_client.post(url("opinions_ruleset_change", rule_set.pk),
                                 rule_set_form(rule_set, handover_days=15), **EN)
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    rule_set.refresh_from_db()
    assert rule_set.handover_days == 10
    assert rule_set.history.count() == before


def test_rule_sets_are_neither_added_nor_deleted_in_the_admin(admin_client):
    from opinions.models import RuleSet

    rule_set = RuleSet.objects.get(case_kind="plan_execution")
    assert admin_client.post(url("opinions_ruleset_add"), rule_set_form(rule_set, jurisdiction="安阳市",
                                                                         case_kind="motion")).status_code == 403
    assert admin_client.post(url("opinions_ruleset_delete", rule_set.pk), {"post": "yes"}).status_code == 403
    assert RuleSet.objects.filter(pk=rule_set.pk).exists()
    assert not RuleSet.objects.filter(jurisdiction="安阳市").exists()


def test_a_calendar_day_corrected_in_the_admin_has_the_user_and_the_reason(admin_client, admin_user):
    from opinions.models import CalendarDay

    day = CalendarDay.objects.get(date=date(2026, 6, 13))  # a Saturday
    assert not day.is_workday
    response = admin_client.post(url("opinions_calendarday_change", day.pk),
                                 {"is_workday": "on", "note": "调休", "reason": "国务院办公厅补充通知"})
    assert response.status_code == 302, response.content.decode()[:3000]
    day.refresh_from_db()
    assert (day.is_workday, day.note, day.source) == (True, "调休", "admin")
    record = latest_history(day)
    assert (record.history_user, record.history_change_reason) == (admin_user, "国务院办公厅补充通知")


def test_a_calendar_day_is_not_corrected_without_a_reason_nor_added_or_deleted(admin_client):
    from opinions.models import CalendarDay

    day = CalendarDay.objects.get(date=date(2026, 6, 13))
    response = admin_client.post(url("opinions_calendarday_change", day.pk), {"is_workday": "on", "note": "调休"})
    assert response.status_code == 200
    day.refresh_from_db()
    assert not day.is_workday
    assert admin_client.post(url("opinions_calendarday_add"), {"date": "2031-01-01"}).status_code == 403
    assert admin_client.post(url("opinions_calendarday_delete", day.pk), {"post": "yes"}).status_code == 403
    assert CalendarDay.objects.filter(pk=day.pk).exists()


# ---- reference data (agencies): no service, a required reason


def test_a_body_changed_in_the_admin_has_the_user_and_the_reason(admin_client, admin_user, world):
    form = {"name": world.gov.name, "short_name": "市政府", "kind": world.gov.kind, "parent": "", "leader_name": "",
            "leader_email": "", "is_active": "on", "reason": "简称按新规范调整"}
    response = admin_client.post(url("agencies_body_change", world.gov.pk), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    world.gov.refresh_from_db()
    assert world.gov.short_name == "市政府"
    record = latest_history(world.gov)
    assert (record.history_user, record.history_change_reason) == (admin_user, "简称按新规范调整")


def test_a_committee_added_in_the_admin_has_the_user_and_the_reason(admin_client, admin_user, world):
    from agencies.models import Committee

    response = admin_client.post(url("agencies_committee_add"), {
        "name": "安阳市人大常委会社会建设工作委员会", "short_name": "社会委", "kind": "working", "is_active": "on",
        "reason": "新设工作委员会"})
    assert response.status_code == 302, response.content.decode()[:3000]
    record = latest_history(Committee.objects.get(short_name="社会委"))
    assert (record.history_type, record.history_user, record.history_change_reason) == ("+", admin_user,
                                                                                        "新设工作委员会")


def test_reference_data_is_not_written_without_a_reason_nor_against_its_constraints(admin_client, world):
    from agencies.models import Membership

    form = {"name": world.gov.name, "short_name": "市政府", "kind": world.gov.kind, "is_active": "on"}
    assert admin_client.post(url("agencies_body_change", world.gov.pk), form).status_code == 200
    world.gov.refresh_from_db()
    assert world.gov.short_name == "市人民政府"

    membership = Membership.objects.get(user=world.staff)
    response = admin_client.post(url("agencies_membership_change", membership.pk), {
        "user": world.staff.pk, "role": "staff", "committee": "", "body": "", "is_active": "on", "reason": "调岗"},
        **EN)
    assert response.status_code == 200
    assert "Committee staff need a committee" in response.content.decode()
    membership.refresh_from_db()
    assert membership.committee == world.caijing


def test_reference_data_is_deactivated_not_deleted_in_the_admin(admin_client, world):
    from agencies.models import Body

    assert admin_client.post(url("agencies_body_delete", world.court.pk), {"post": "yes"}).status_code == 403
    assert Body.objects.filter(pk=world.court.pk).exists()


def test_an_audit_area_added_in_the_admin_has_the_user_and_the_reason(admin_client, admin_user):
    from opinions.models import AuditArea

    response = admin_client.post(url("opinions_auditarea_add"), {"name": "政府债务", "order": 6, "active": "on",
                                                                 "reason": "新增审计领域"})
    assert response.status_code == 302, response.content.decode()[:3000]
    record = latest_history(AuditArea.objects.get(name="政府债务"))
    assert (record.history_user, record.history_change_reason) == (admin_user, "新增审计领域")
    area = AuditArea.objects.get(name="政府债务")
    assert admin_client.post(url("opinions_auditarea_delete", area.pk), {"post": "yes"}).status_code == 403
