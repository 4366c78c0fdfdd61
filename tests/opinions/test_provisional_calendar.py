"""Provisional calendar years (issue 14 §1): November and December work goes on into a year whose holidays are not
published; every date counted on it says 暂定; entering the official year recomputes those dates, with history,
and tells the bodies whose date moved."""

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from notifications.models import Notification
from npc_tracker.errors import DomainError, InvalidInput
from opinions import rules, services
from opinions.choices import CalendarSource
from opinions.models import CalendarDay, Case
from tests.moments import local

pytestmark = pytest.mark.django_db

NEW_YEAR_2027 = {date(2027, 1, 1): "元旦"}


@pytest.fixture
def late_in_2026():
    with time_machine.travel(local(2026, 12, 28, 10), tick=False):
        yield


def provisional_2027():
    return services.calendar_enter_year(year=2027, actor=None, rest_days={}, make_up_workdays={}, provisional=True)


def workdays_case(make_case, world, *, rule="workdays:10", received=date(2026, 12, 24)):
    case = make_case(deadline_rule=rule, deadline_rule_reason="审议意见写明的办理时限")
    case = services.case_issue(case=case, actor=world.staff, issued_date=received - timedelta(days=1))
    return services.case_acknowledge(case=case, actor=world.liaison, received_date=received)


def test_a_year_with_no_rows_is_still_refused(make_case, world, late_in_2026):
    with pytest.raises(DomainError) as refused:
        workdays_case(make_case, world)
    assert refused.value.code == "calendar_missing"


def test_a_due_date_counted_on_a_provisional_year_says_so(make_case, world, late_in_2026):
    provisional_2027()
    case = workdays_case(make_case, world)
    assert case.due_date == date(2027, 1, 7)  # 元旦 is not known yet: counted as a Friday
    assert case.due_provisional
    assert case.due_basis["provisional_years"] == [2027]
    assert "暂定：2027 年节假日安排尚未录入" in rules.explain_due(case)


def test_a_due_date_that_never_reads_the_provisional_year_is_not_provisional(make_case, world, late_in_2026):
    provisional_2027()
    case = workdays_case(make_case, world, rule="workdays:3", received=date(2026, 12, 1))
    assert case.due_date == date(2026, 12, 4)
    assert not case.due_provisional


def test_entering_the_official_year_recomputes_with_history_and_tells_the_body(make_case, world, late_in_2026):
    provisional_2027()
    moved = workdays_case(make_case, world)
    unchanged = workdays_case(make_case, world, rule="months:3", received=date(2026, 10, 2))  # 2027-01-04 Monday
    assert unchanged.due_date == date(2027, 1, 4)
    assert unchanged.due_provisional
    before = Notification.objects.filter(event="due_date_recomputed").count()

    entered = services.calendar_enter_year(year=2027, actor=world.office_staff, rest_days=NEW_YEAR_2027,
                                           make_up_workdays={})

    assert (entered.replaced_provisional, entered.recomputed, entered.moved) == (True, 2, 1)
    moved.refresh_from_db()
    assert moved.due_date == date(2027, 1, 8)  # 元旦 is a holiday after all: one working day later
    assert not moved.due_provisional
    assert "暂定" not in rules.explain_due(moved)
    record = moved.history.order_by("-history_id").first()
    assert record.history_user == world.office_staff
    assert "2027-01-07" in record.history_change_reason
    assert "2027-01-08" in record.history_change_reason
    told = Notification.objects.filter(event="due_date_recomputed", case=moved)
    assert {n.recipient for n in told} >= {world.liaison}
    assert Notification.objects.filter(event="due_date_recomputed").count() - before == told.count()
    unchanged.refresh_from_db()
    assert unchanged.due_date == date(2027, 1, 4)
    assert not unchanged.due_provisional
    assert not Notification.objects.filter(event="due_date_recomputed", case=unchanged).exists()
    assert CalendarDay.objects.filter(date__year=2027, source=CalendarSource.ADMIN).count() == 365


def test_an_extension_is_applied_again_on_the_official_days(make_case, world, late_in_2026):
    provisional_2027()
    case = workdays_case(make_case, world)
    services.extension_request(case=case, actor=world.liaison, requested_date=date(2027, 1, 20), reason="需要更多时间")
    services.extension_decide_pending(case=Case.objects.get(pk=case.pk), actor=world.leader, approve=True)
    case.refresh_from_db()
    assert case.due_date == date(2027, 1, 20)
    services.calendar_enter_year(year=2027, actor=None, rest_days=NEW_YEAR_2027, make_up_workdays={})
    case.refresh_from_db()
    assert case.due_date == date(2027, 1, 20)
    assert case.original_due_date == date(2027, 1, 8)  # the rule's date, now counted on the official days
    assert not case.due_provisional


def test_closed_cases_keep_their_dates(make_case, world, late_in_2026):
    provisional_2027()
    case = workdays_case(make_case, world)
    Case.objects.filter(pk=case.pk).update(status="closed")
    services.calendar_enter_year(year=2027, actor=None, rest_days=NEW_YEAR_2027, make_up_workdays={})
    assert Case.objects.get(pk=case.pk).due_date == date(2027, 1, 7)


def test_an_official_year_is_only_replaced_when_asked_and_a_provisional_one_never_over_it(world):
    services.calendar_enter_year(year=2027, actor=None, rest_days=NEW_YEAR_2027, make_up_workdays={})
    with pytest.raises(DomainError) as refused:
        services.calendar_enter_year(year=2027, actor=None, rest_days={}, make_up_workdays={})
    assert refused.value.code == "calendar_exists"
    assert "--replace" in refused.value.message
    with pytest.raises(DomainError):
        provisional_2027()
    assert not CalendarDay.objects.get(date=date(2027, 1, 1)).is_workday


def test_a_provisional_year_takes_no_holidays(world):
    with pytest.raises(InvalidInput):
        services.calendar_enter_year(year=2027, actor=None, rest_days=NEW_YEAR_2027, make_up_workdays={},
                                     provisional=True)
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_the_demo_years_are_provisional_too(make_case, world, late_in_2026):
    day = date(2027, 1, 1)
    rows = []
    while day.year == 2027:
        rows.append(CalendarDay(date=day, is_workday=day.weekday() < 5, source=CalendarSource.DEMO))
        day = date.fromordinal(day.toordinal() + 1)
    CalendarDay.objects.bulk_create(rows)
    case = workdays_case(make_case, world)
    assert case.due_provisional
    out = StringIO()
    call_command("calendar_year", "2027", "--rest", "2027-01-01:元旦", stdout=out)  # no --replace needed
    assert "已替换 2027 年的暂定日历：重算 1 件未办结事项的期限，其中 1 件期限有变化" in out.getvalue()
    assert Case.objects.get(pk=case.pk).due_date == date(2027, 1, 8)


def test_the_command_speaks_chinese(world):
    out = StringIO()
    call_command("calendar_year", "2027", "--provisional", stdout=out)
    assert out.getvalue().strip() == "2027 年暂定日历（仅周末）已录入：写入 365 天（法定节假日 0 天，调休上班 0 天）。"
    with pytest.raises(CommandError, match="已有数据"):
        call_command("calendar_year", "2027", "--provisional", stdout=StringIO())
    with pytest.raises(CommandError, match="日期应写作"):
        call_command("calendar_year", "2027", "--rest", "tomorrow", stdout=StringIO())
    with pytest.raises(CommandError, match="没有用户"):
        call_command("calendar_year", "2027", "--user", "ghost", stdout=StringIO())


# --- the same through the API -------------------------------------------------------------------------------------


@pytest.fixture
def admin_api(world):
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    from agencies.models import Membership, MembershipRole

    admin = get_user_model().objects.create_user(username="calendar_admin", password="x-12345-y")
    Membership.objects.create(user=admin, role=MembershipRole.ADMIN)
    api = APIClient()
    api.force_authenticate(admin)
    return api


def test_an_administrator_enters_a_provisional_year_then_the_official_one_through_the_api(admin_api, make_case,
                                                                                       world, late_in_2026):
    response = admin_api.post("/api/v1/calendar/years/", {"year": 2027, "provisional": True}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json() == {"year": 2027, "written": 365, "replaced_provisional": False, "recomputed": 0,
                               "moved": 0}
    case = workdays_case(make_case, world)
    assert case.due_provisional
    response = admin_api.post("/api/v1/calendar/years/", {
        "year": 2027, "holidays": [{"date": "2027-01-01", "name": "元旦"}], "make_up_workdays": []}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["recomputed"] == 1
    assert response.json()["moved"] == 1
    assert Case.objects.get(pk=case.pk).due_date == date(2027, 1, 8)
    again = admin_api.post("/api/v1/calendar/years/", {"year": 2027}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "calendar_exists"


def test_only_administrators_enter_a_year_and_bad_input_changes_nothing(admin_api, world):
    from rest_framework.test import APIClient

    staff = APIClient()
    staff.force_authenticate(world.staff)
    assert staff.post("/api/v1/calendar/years/", {"year": 2027}, format="json").status_code == 403
    for body, field in [({"year": 2027, "holidays": [{"date": "2028-01-01", "name": "x"}]}, "non_field_errors"),
                        ({"year": 1900}, "year"), ({"year": 2027, "provisonal": True}, "provisonal"),
                        ({"year": 2027, "provisional": True, "holidays": [{"date": "2027-01-01", "name": "元旦"}]},
                         "non_field_errors")]:
        response = admin_api.post("/api/v1/calendar/years/", body, format="json")
        assert response.status_code == 400, (body, response.json())
        assert field in response.json()["fields"], (body, response.json())
    assert not CalendarDay.objects.filter(date__year=2027).exists()


# --- the same in the admin ------------------------------------------------------------------------------------------


def test_an_administrator_enters_the_official_year_in_the_admin_over_a_provisional_one(late_in_2026, client,
                                                                                     admin_user, make_case, world):
    from django.urls import reverse

    client.force_login(admin_user)  # on the moved day: a session from the tests' today would have expired
    admin_client = client
    provisional_2027()
    case = workdays_case(make_case, world)
    url = reverse("admin:opinions_calendarday_year")
    assert url in admin_client.get(reverse("admin:opinions_calendarday_changelist")).content.decode()
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"year": "2027", "holidays": "2027-01-01..2027-01-03:元旦\n",
                                       "make_up_workdays": ""})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).due_date == date(2027, 1, 8)
    assert CalendarDay.objects.get(date=date(2027, 1, 2)).note == "元旦"


def test_the_admins_year_form_keeps_what_was_typed_and_says_what_is_wrong(admin_client, world):
    from django.urls import reverse

    url = reverse("admin:opinions_calendarday_year")
    typed = "2027-01-01..2027-01-03:元旦\n2027-02-30:春节"
    html = admin_client.post(url, {"year": "2027", "holidays": typed}).content.decode()
    assert "“2027-02-30:春节”：日期应写作" in html
    assert "2027-01-01..2027-01-03:元旦" in html
    services.calendar_enter_year(year=2027, actor=None, rest_days={}, make_up_workdays={})
    html = admin_client.post(url, {"year": "2027", "holidays": "2027-01-01:元旦"}).content.decode()
    assert "--replace" in html
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).is_workday  # nothing replaced


def test_only_administrators_open_the_years_form(client, world):
    from django.urls import reverse

    world.staff.is_staff = True
    world.staff.save()
    client.force_login(world.staff)
    assert client.get(reverse("admin:opinions_calendarday_year")).status_code == 403


def test_recomputing_keeps_the_meeting_and_the_period_a_date_was_counted_from(make_case, world, late_in_2026):
    """A before_meeting date or a later periodic report is counted again from the same meeting and period."""
    from opinions.models import Meeting

    provisional_2027()
    session = Meeting.objects.create(term=14, session=30, start_date=date(2027, 1, 18))
    heard = services.case_issue(case=make_case(deadline_rule="before_meeting:15", deadline_rule_reason="监督法",
                                               hearing_meeting=session), actor=world.staff,
                                issued_date=date(2026, 12, 21))
    assert (heard.due_date, heard.due_provisional) == (date(2027, 1, 1), True)  # 元旦 unknown yet: a Friday
    entered = services.calendar_enter_year(year=2027, actor=None, rest_days=NEW_YEAR_2027, make_up_workdays={})
    assert entered.recomputed == 1
    assert Case.objects.get(pk=heard.pk).due_date == date(2026, 12, 31)  # a fixed point moves back
