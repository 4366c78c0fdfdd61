"""The meeting register: staff record meetings (届, 次, dates) and the reports heard; everyone signed in reads it;
a meeting page never shows a liaison another body's case."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from npc_tracker.errors import InvalidInput, NotAllowed
from opinions import services
from opinions.models import HeardReport, Meeting
from opinions.services import meetings

pytestmark = pytest.mark.django_db

MEETING = {"kind": "sc_meeting", "term": "14", "session": "15", "start_date": "2020-08-27",
           "end_date": "2020-08-28", "note": ""}
PLAN_REPORT = "关于2020年上半年国民经济和社会发展计划执行情况的报告"
BUDGET_REPORT = "关于2020年上半年预算执行情况的报告"


@pytest.fixture
def client_as(client):
    """A signed-in client reading the English UI: the msgids stay valid once the strings are translated."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def meeting(world):
    return meetings.meeting_create(actor=world.staff, kind="sc_meeting", term=14, session=15,
                                   start_date=date(2020, 8, 27), end_date=date(2020, 8, 28))


# ---------------------------------------------------------------- staff register a meeting and its reports


def test_staff_register_a_meeting_and_two_heard_reports_and_it_shows_in_the_list(client_as, world):
    client = client_as(world.staff)
    response = client.post(reverse("opinions:meeting_create"), MEETING)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("opinions:meeting_detail", args=[meeting.pk])
    assert (meeting.term, meeting.session, meeting.end_date) == (14, 15, date(2020, 8, 28))

    detail = reverse("opinions:meeting_detail", args=[meeting.pk])
    assert client.post(detail, {"title": PLAN_REPORT, "reporter_name": "王新亭",
                                "reporter_position": "市发展和改革委员会主任", "body": world.gov.pk,
                                "committee": world.caijing.pk}).status_code == 302
    assert client.post(detail, {"title": BUDGET_REPORT}).status_code == 302

    plan, budget = meeting.heard_reports.all()
    assert (plan.order, plan.title, plan.body, plan.committee) == (1, PLAN_REPORT, world.gov, world.caijing)
    assert (budget.order, budget.title, budget.body) == (2, BUDGET_REPORT, None)
    html = client.get(reverse("opinions:meeting_list")).content.decode()
    assert "市十四届人大常委会第十五次会议" in html
    assert reverse("opinions:meeting_detail", args=[meeting.pk]) in html


def test_the_list_counts_reports_and_only_the_cases_the_user_may_see(client_as, world, meeting, make_case):
    meetings.heard_report_add(meeting=meeting, actor=world.staff, title=PLAN_REPORT)
    services.case_issue(case=make_case(meeting=meeting), actor=world.staff, issued_date=date(2020, 9, 3))
    make_case(meeting=meeting, title="尚未交办的草稿")

    def counts(user):
        html = client_as(user).get(reverse("opinions:meeting_list")).content.decode()
        row = html.split(f'data-testid="meeting-{meeting.pk}"')[1].split("</tr>")[0]
        return [cell.split("</td>")[0] for cell in row.split("<td>")[-2:]]

    assert counts(world.staff) == ["1", "2"]
    assert counts(world.liaison) == ["1", "1"]
    assert counts(world.court_liaison) == ["1", "0"]


def test_the_newest_meeting_comes_first(client_as, world, meeting):
    newer = meetings.meeting_create(actor=world.staff, kind="sc_meeting", term=15, session=11,
                                    start_date=date(2024, 8, 26))
    html = client_as(world.leader).get(reverse("opinions:meeting_list")).content.decode()
    assert html.index(str(newer)) < html.index(str(meeting))


def test_staff_edit_a_meeting(client_as, world, meeting):
    client = client_as(world.staff)
    edit = reverse("opinions:meeting_edit", args=[meeting.pk])
    assert 'value="2020-08-27"' in client.get(edit).content.decode()
    response = client.post(edit, {**MEETING, "end_date": "2020-08-29", "note": "据公报"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.end_date, meeting.note) == (date(2020, 8, 29), "据公报")


def test_staff_see_a_link_to_create_a_case_from_each_heard_report(client_as, world, meeting):
    report = meetings.heard_report_add(meeting=meeting, actor=world.staff, title=PLAN_REPORT)
    html = client_as(world.staff).get(reverse("opinions:meeting_detail", args=[meeting.pk])).content.decode()
    assert f'{reverse("opinions:case_create")}?report={report.pk}' in html
    assert "Create a case from this report" in html


def test_an_empty_register_explains_what_to_do(client_as, world):
    html = client_as(world.staff).get(reverse("opinions:meeting_list")).content.decode()
    assert "No meeting is registered yet." in html


# ---------------------------------------------------------------- who may register


@pytest.mark.parametrize("who", ["liaison", "leader"])
def test_only_staff_may_register_meetings_and_reports(client_as, world, meeting, who):
    client = client_as(getattr(world, who))
    assert client.get(reverse("opinions:meeting_create")).status_code == 403
    assert client.post(reverse("opinions:meeting_create"), {**MEETING, "session": "16"}).status_code == 403
    assert client.post(reverse("opinions:meeting_edit", args=[meeting.pk]), MEETING).status_code == 403
    detail = reverse("opinions:meeting_detail", args=[meeting.pk])
    assert client.post(detail, {"title": PLAN_REPORT}).status_code == 403
    assert Meeting.objects.count() == 1
    assert not HeardReport.objects.exists()


@pytest.mark.parametrize("who", ["liaison", "leader"])
def test_others_read_meetings_without_register_buttons_or_forms(client_as, world, meeting, who):
    meetings.heard_report_add(meeting=meeting, actor=world.staff, title=PLAN_REPORT)
    client = client_as(getattr(world, who))
    html = client.get(reverse("opinions:meeting_list")).content.decode()
    assert str(meeting) in html
    assert "register-meeting" not in html
    assert reverse("opinions:meeting_create") not in html
    html = client.get(reverse("opinions:meeting_detail", args=[meeting.pk])).content.decode()
    assert PLAN_REPORT in html
    assert "Add a report heard" not in html
    assert reverse("opinions:case_create") not in html
    assert reverse("opinions:meeting_edit", args=[meeting.pk]) not in html


def test_staff_see_the_register_button(client_as, world):
    html = client_as(world.staff).get(reverse("opinions:meeting_list")).content.decode()
    assert "register-meeting" in html


@pytest.mark.parametrize("name", ["meeting_list", "meeting_create"])
def test_anonymous_visitors_are_sent_to_login(client, name):
    response = client.get(reverse(f"opinions:{name}"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_visitors_cannot_open_or_post_to_a_meeting(client, meeting):
    for response in (client.get(reverse("opinions:meeting_detail", args=[meeting.pk])),
                     client.post(reverse("opinions:meeting_detail", args=[meeting.pk]), {"title": PLAN_REPORT}),
                     client.get(reverse("opinions:meeting_edit", args=[meeting.pk]))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert not HeardReport.objects.exists()


def test_the_service_refuses_non_staff(world, meeting):
    with pytest.raises(NotAllowed):
        meetings.meeting_create(actor=world.leader, kind="sc_meeting", term=14, session=16,
                                start_date=date(2020, 10, 1))
    with pytest.raises(NotAllowed):
        meetings.heard_report_add(meeting=meeting, actor=world.liaison, title=PLAN_REPORT)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(("change", "message"), [
    ({"end_date": "2020-08-26"}, "A meeting cannot end before it starts."),
    ({"term": "0"}, "The term (届) must be a number from 1 to 999."),
    ({"session": "0"}, "The session (次) must be a number from 1 to 999."),
    ({"term": "1000"}, "The term (届) must be a number from 1 to 999."),
    ({"start_date": "27/08/2020"}, "Enter a valid date."),
    ({"start_date": ""}, "This field is required."),
])
def test_bad_meeting_input_is_refused_in_the_form_and_nothing_is_saved(client_as, world, change, message):
    response = client_as(world.staff).post(reverse("opinions:meeting_create"), {**MEETING, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_cannot_be_registered_twice(client_as, world, meeting):
    response = client_as(world.staff).post(reverse("opinions:meeting_create"), {**MEETING, "note": "again"})
    assert response.status_code == 400
    assert "This meeting is already registered: 市十四届人大常委会第十五次会议." in response.content.decode()
    assert Meeting.objects.count() == 1


def test_editing_a_meeting_into_another_ones_number_is_refused(client_as, world, meeting):
    other = meetings.meeting_create(actor=world.staff, kind="sc_meeting", term=14, session=16,
                                    start_date=date(2020, 10, 29))
    response = client_as(world.staff).post(reverse("opinions:meeting_edit", args=[other.pk]), MEETING)
    assert response.status_code == 400
    assert "This meeting is already registered" in response.content.decode()
    other.refresh_from_db()
    assert other.session == 16


def test_the_same_number_is_allowed_for_a_council_meeting(world, meeting):
    council = meetings.meeting_create(actor=world.staff, kind="council", term=14, session=15,
                                      start_date=date(2020, 8, 20))
    assert str(council) == "市十四届人大常委会主任会议第十五次会议"


@pytest.mark.parametrize(("title", "message"), [
    ("   ", "This field is required."),
    (PLAN_REPORT, "This meeting already has a report with this title."),
])
def test_bad_heard_report_input_is_refused_in_the_form(client_as, world, meeting, title, message):
    meetings.heard_report_add(meeting=meeting, actor=world.staff, title=PLAN_REPORT)
    response = client_as(world.staff).post(reverse("opinions:meeting_detail", args=[meeting.pk]), {"title": title})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert meeting.heard_reports.count() == 1


def test_the_service_refuses_an_empty_title_and_a_zero_order(world, meeting):
    with pytest.raises(InvalidInput) as empty:
        meetings.heard_report_add(meeting=meeting, actor=world.staff, title="  ")
    assert empty.value.field == "title"
    report = meetings.heard_report_add(meeting=meeting, actor=world.staff, title=PLAN_REPORT)
    with pytest.raises(InvalidInput) as zero:
        meetings.heard_report_update(report=report, actor=world.staff, order=0)
    assert zero.value.field == "order"


def test_a_duplicate_title_keeps_the_surrounding_transaction_usable(world, meeting):
    report = meetings.heard_report_add(meeting=meeting, actor=world.staff, title=PLAN_REPORT)
    budget = meetings.heard_report_add(meeting=meeting, actor=world.staff, title=BUDGET_REPORT)
    with pytest.raises(InvalidInput):
        meetings.heard_report_update(report=budget, actor=world.staff, title=f" {PLAN_REPORT} ")
    meetings.heard_report_update(report=report, actor=world.staff, reporter_name="王新亭")
    assert HeardReport.objects.get(pk=report.pk).reporter_name == "王新亭"
    assert HeardReport.objects.get(pk=budget.pk).title == BUDGET_REPORT


def test_the_service_refuses_unknown_fields(world):
    with pytest.raises(InvalidInput):
        meetings.meeting_create(actor=world.staff, kind="sc_meeting", term=14, session=15,
                                start_date=date(2020, 8, 27), status="closed")


# ---------------------------------------------------------------- visibility


def test_a_meeting_page_shows_only_the_cases_the_user_may_see(client_as, world, meeting, make_case):
    issued = services.case_issue(case=make_case(meeting=meeting), actor=world.staff, issued_date=date(2020, 9, 3))
    draft = make_case(meeting=meeting, title="尚未交办的草稿")
    court = services.case_create(actor=world.office_staff, kind="special_work_report", title="法院专项工作报告审议意见",
                                 lead_body=world.court, meeting=meeting)
    services.case_issue(case=court, actor=world.office_staff, issued_date=date(2020, 9, 3))
    detail = reverse("opinions:meeting_detail", args=[meeting.pk])

    html = client_as(world.court_liaison).get(detail).content.decode()
    assert court.title in html
    assert issued.title not in html
    assert draft.title not in html

    html = client_as(world.liaison).get(detail).content.decode()
    assert issued.title in html
    assert court.title not in html
    assert draft.title not in html

    html = client_as(world.staff).get(detail).content.decode()
    assert all(case.title in html for case in (issued, draft, court))


def test_a_liaison_without_cases_at_a_meeting_is_told_so(client_as, world, meeting):
    html = client_as(world.court_liaison).get(reverse("opinions:meeting_detail", args=[meeting.pk])).content.decode()
    assert "There is no case from this meeting for you to see." in html


def test_an_unknown_meeting_is_a_404(client_as, world):
    assert client_as(world.staff).get(reverse("opinions:meeting_detail", args=[999])).status_code == 404
    assert client_as(world.staff).get(reverse("opinions:meeting_edit", args=[999])).status_code == 404


# ---------------------------------------------------------------- history


def test_history_records_who_registered_and_edited(client_as, world):
    client = client_as(world.staff)
    client.post(reverse("opinions:meeting_create"), MEETING)
    meeting = Meeting.objects.get()
    client.post(reverse("opinions:meeting_detail", args=[meeting.pk]), {"title": PLAN_REPORT})
    client_as(world.office_staff).post(reverse("opinions:meeting_edit", args=[meeting.pk]),
                                       {**MEETING, "end_date": "2020-08-29"})

    edited, registered = meeting.history.all()
    assert (registered.history_user, registered.history_change_reason) == (world.staff, "Meeting registered")
    assert (edited.history_user, edited.history_change_reason) == (world.office_staff, "Meeting edited")
    assert edited.end_date == date(2020, 8, 29)
    added = HeardReport.history.get()
    assert (added.history_user, added.history_change_reason) == (world.staff, "Heard report added")


def test_history_records_who_edited_a_heard_report(world, meeting):
    report = meetings.heard_report_add(meeting=meeting, actor=world.staff, title=PLAN_REPORT)
    with translation.override("en"):
        meetings.heard_report_update(report=report, actor=world.other_staff, reporter_position="市发展和改革委员会主任")
    latest = report.history.first()
    assert (latest.history_user, latest.history_change_reason) == (world.other_staff, "Heard report edited")
    assert latest.reporter_position == "市发展和改革委员会主任"


def test_the_admin_lists_a_meetings_heard_reports_read_only(admin_client, world, meeting):
    report = meetings.heard_report_add(meeting=meeting, actor=world.staff, title=PLAN_REPORT)
    html = admin_client.get(reverse("admin:opinions_meeting_change", args=[meeting.pk])).content.decode()
    assert PLAN_REPORT in html
    assert 'name="heard_reports-0-title"' not in html
    assert admin_client.get(reverse("admin:opinions_heardreport_change", args=[report.pk])).status_code == 200
