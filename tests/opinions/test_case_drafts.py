"""Staff write drafts on the page (particulars, items in order, opinion text); the case list's bulk issue and export."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from opinions import services
from opinions.api.serializers import CaseDraftSerializer, DraftItemSerializer
from opinions.forms import CaseForm, ItemForm
from opinions.models import Case
from opinions.selectors import today
from opinions.services import drafts, meetings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    services.calendar_enter_year(year=today().year + 1, actor=None, rest_days={}, make_up_workdays={})
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def case_data(world, **overrides):
    return {"kind": "plan_execution", "title": "关于计划执行情况的审议意见", "lead_body": world.gov.pk,
            "co_bodies": [world.fgw.pk], "supervising_committee": world.caijing.pk, "deadline_rule": "",
            "opinion_text": "全文", **overrides}


def items_data(*rows, initial=0):
    data = {"items-TOTAL_FORMS": str(len(rows)), "items-INITIAL_FORMS": str(initial),
            "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        row = {"kind": "opinion", "text": "", "responsible_body": "", "ORDER": str(index + 1), **row}
        data.update({f"items-{index}-{key}": value for key, value in row.items()})
    return data


def test_the_page_and_the_api_offer_every_draft_field_the_service_takes_and_no_other():
    # One list (services/drafts.py): a field the service takes is offered by the form and by the serializer, unless
    # the list says which surface leaves it out; neither offers a field the service would refuse as unknown.
    page, api = list(CaseForm().fields), list(CaseDraftSerializer().fields)
    assert set(page) - {"co_bodies"} == drafts.DRAFT_FIELDS - drafts.DRAFT_IMPORT_ONLY - drafts.DRAFT_API_ONLY
    assert set(api) - {"co_bodies", "items"} == drafts.DRAFT_FIELDS - drafts.DRAFT_IMPORT_ONLY
    assert set(CaseForm.declared_fields) == set(page)  # nothing declared on the form and silently left out
    assert page == [name for name in api if name in page]  # the page and the schema show them in one order
    item_fields = drafts.ITEM_FIELDS - {"number"}  # the number is the item's place in the list
    assert set(ItemForm().fields) == set(ItemForm.declared_fields) == item_fields | {"pk"}
    assert set(DraftItemSerializer().fields) == item_fields | {"id"}
    assert {field.name for field in Case._meta.get_fields()} >= drafts.DRAFT_FIELDS | {"co_bodies"}


def test_staff_create_a_draft_with_three_items_and_the_rule_sets_deadline(client, world):
    client.force_login(world.staff)
    items = items_data({"heading": "一、稳就业"}, {"heading": "二、扩投资"}, {"heading": "三、促消费"})
    response = client.post(reverse("opinions:case_create"), {**case_data(world), **items})
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == reverse("opinions:case_detail", args=[case.pk])
    assert case.status == "draft"
    assert case.deadline_rule == "months:3"  # the Henan rule set's default for plan opinions
    assert list(case.items.values_list("number", "heading")) == [
        (1, "一、稳就业"), (2, "二、扩投资"), (3, "三、促消费")]
    assert list(case.co_bodies.all()) == [world.fgw]


def test_editing_reorders_edits_adds_and_removes_items(client, world, make_case):
    case = make_case(items=[{"heading": "甲"}, {"heading": "乙"}, {"heading": "丙"}])
    a, b, c = case.items.order_by("number")
    client.force_login(world.staff)
    response = client.post(reverse("opinions:case_edit", args=[case.pk]), {**case_data(world), **items_data(
        {"pk": c.pk, "heading": "丙（改）", "ORDER": "1"},
        {"pk": a.pk, "heading": "甲", "ORDER": "2"},
        {"pk": b.pk, "heading": "乙", "ORDER": "3", "DELETE": "on"},
        {"heading": "丁", "ORDER": "4"}, initial=3)})
    assert response.status_code == 302
    assert list(case.items.order_by("number").values_list("pk", "heading")) == [
        (c.pk, "丙（改）"), (a.pk, "甲"), (case.items.get(heading="丁").pk, "丁")]


def test_a_different_deadline_rule_needs_a_reason_and_nothing_is_saved_without_one(client, world):
    client.force_login(world.staff)
    data = {**case_data(world), "deadline_rule_kind": "months", "deadline_rule_n": "2",
            "deadline_rule_default": "months:3", **items_data({"heading": "一、"})}
    del data["deadline_rule"]
    response = client.post(reverse("opinions:case_create"), data)
    assert response.status_code == 400
    assert "deadline_rule_reason" in response.context["form"].errors
    html = response.content.decode()
    assert '<option value="months" selected>' in html  # what was chosen is kept
    assert 'name="deadline_rule_n" value="2"' in html
    assert not Case.objects.exists()
    data["deadline_rule_reason"] = "审议意见载明两个月内报告"
    response = client.post(reverse("opinions:case_create"), data)
    assert response.status_code == 302
    assert Case.objects.get().deadline_rule == "months:2"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": ""}, "title"), ({"lead_body": ""}, "lead_body"), ({"kind": "nonsense"}, "kind"),
    ({"deadline_rule": "months:x", "deadline_rule_reason": "x"}, "deadline_rule"),
])
def test_bad_particulars_are_refused_with_a_message_and_nothing_saved(client, world, overrides, field):
    client.force_login(world.staff)
    response = client.post(reverse("opinions:case_create"),
                           {**case_data(world, **overrides), **items_data({"heading": "一、"})})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Case.objects.exists()


def test_an_item_without_a_heading_is_refused_and_nothing_saved(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("opinions:case_create"),
                           {**case_data(world), **items_data({"heading": "一、"}, {"heading": "", "text": "正文"})})
    assert response.status_code == 400
    assert response.context["formset"].forms[1].errors["heading"]
    assert not Case.objects.exists()


def test_html_in_a_title_is_stored_as_typed_and_shown_escaped(client, world):
    client.force_login(world.staff)
    items = items_data({"heading": "<img src=x onerror=alert(1)>"})
    client.post(reverse("opinions:case_create"), {**case_data(world, title="<b>粗体</b>意见"), **items})
    case = Case.objects.get()
    html = client.get(reverse("opinions:case_detail", args=[case.pk])).content.decode()
    assert "<b>粗体</b>" not in html
    assert "&lt;b&gt;粗体&lt;/b&gt;意见" in html
    assert "<img src=x" not in html


@pytest.mark.parametrize("who", ["liaison", "leader", "nobody"])
def test_only_staff_create_drafts(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("opinions:case_create")).status_code == 403
    assert client.post(reverse("opinions:case_create"), case_data(world)).status_code == 403
    assert "/cases/new/" not in client.get(reverse("opinions:case_list")).content.decode()
    assert not Case.objects.exists()


def test_an_issued_case_can_no_longer_be_edited(client, world, issued_case):
    client.force_login(world.staff)
    assert client.get(reverse("opinions:case_edit", args=[issued_case.pk])).status_code == 403
    client.force_login(world.court_liaison)
    assert client.get(reverse("opinions:case_edit", args=[issued_case.pk])).status_code == 404


def test_a_case_from_a_heard_report_starts_filled_in(client, world):
    meeting = meetings.meeting_create(actor=world.staff, term=14, session=15, start_date=date(2020, 8, 27))
    report = meetings.heard_report_add(meeting=meeting, actor=world.staff, title="关于上半年计划执行情况的报告",
                                       reporter_name="张三", reporter_position="市发改委主任", body=world.gov,
                                       committee=world.caijing)
    client.force_login(world.staff)
    form = client.get(reverse("opinions:case_create") + f"?report={report.pk}").context["form"]
    assert form.initial["meeting"] == meeting
    assert form.initial["lead_body"] == world.gov
    assert form.initial["supervising_committee"] == world.caijing
    assert form.initial["title"] == "关于上半年计划执行情况的报告的审议意见"


# ---------------------------------------------------------------- the list: bulk issue, export, filters, urgency


def test_bulk_issue_issues_each_draft_and_reports_the_ones_refused(client, world, make_case):
    first, second = make_case(title="一"), make_case(title="二")
    already = services.case_issue(case=make_case(title="三"), actor=world.staff, issued_date=date(2020, 9, 3))
    client.force_login(world.staff)
    response = client.post(reverse("opinions:case_bulk_issue"), {"case": [first.pk, second.pk, already.pk]},
                           follow=True)
    assert sorted(Case.objects.filter(status="issued").values_list("title", flat=True)) == ["一", "三", "二"]
    text = response.content.decode()
    assert "2 cases issued." in text
    assert "Not issued: 三" in text


def test_bulk_issue_by_a_liaison_issues_nothing(client, world, make_case):
    draft = make_case()
    client.force_login(world.liaison)
    client.post(reverse("opinions:case_bulk_issue"), {"case": [draft.pk]})
    assert Case.objects.get(pk=draft.pk).status == "draft"


def test_the_csv_export_has_exactly_the_filtered_visible_rows(client, world, make_case):
    mine = services.case_issue(case=make_case(title="市政府的"), actor=world.staff, issued_date=date(2020, 9, 3))
    services.case_issue(case=make_case(title="法院的", lead_body=world.court, co_bodies=[]), actor=world.staff,
                        issued_date=date(2020, 9, 3))
    make_case(title="草稿")
    client.force_login(world.liaison)
    response = client.get(reverse("opinions:case_export"), {"status": "issued"})
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0][:3] == ["No.", "Document number", "Title"]
    assert [row[2] for row in rows[1:]] == ["市政府的"]
    assert rows[1][0] == "1"  # the running number, not the id
    assert rows[1][13] == str((mine.due_date - today()).days)


def test_a_bad_filter_value_is_a_clear_400_not_a_crash(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("opinions:case_export"), {"due_within": "soon"})
    assert response.status_code == 400
    # The list shows the filters with the error beside them, as a 400 like every other refused input.
    page = client.get(reverse("opinions:case_list"), {"due_within": "soon"})
    assert page.status_code == 400
    assert 'class="errorlist"' in page.content.decode()


def test_due_within_n_days_lists_what_the_body_still_owes_in_that_window(client, world, make_case):
    soon = services.case_issue(case=make_case(title="近期", deadline_rule="days:10", deadline_rule_reason="x"),
                               actor=world.staff, issued_date=today())
    services.case_issue(case=make_case(title="远期"), actor=world.staff, issued_date=today())
    client.force_login(world.staff)
    page = client.get(reverse("opinions:case_list"), {"due_within": "14"}).context["page"]
    assert [case.pk for case in page] == [soon.pk]


def test_the_list_puts_the_most_urgent_of_what_is_owed_first(client, world, make_case):
    closed = services.case_issue(case=make_case(title="已办结"), actor=world.staff, issued_date=date(2019, 9, 3))
    services.case_acknowledge(case=closed, actor=world.liaison, received_date=date(2019, 9, 5))
    services.report_submit(case=closed, actor=world.liaison, kind="final", title="报告", text="正文")
    services.report_accept(case=closed, actor=world.staff, carry_over_reason="长期",
                           next_report_date=date(2026, 12, 31))
    services.case_close(case=closed, actor=world.staff)
    services.case_issue(case=make_case(title="新交办"), actor=world.staff, issued_date=today())
    services.case_issue(case=make_case(title="逾期"), actor=world.staff, issued_date=date(2020, 9, 3))
    client.force_login(world.liaison)
    titles = [case.title for case in client.get(reverse("opinions:case_list")).context["page"]]
    assert titles == ["逾期", "新交办", "已办结"]


def test_the_excel_ledger_holds_exactly_the_filtered_rows_with_dates_as_dates(client, world, make_case):
    import openpyxl

    mine = services.case_issue(case=make_case(title="市政府的"), actor=world.staff, issued_date=date(2020, 9, 3))
    services.case_issue(case=make_case(title="法院的", lead_body=world.court, co_bodies=[]), actor=world.staff,
                        issued_date=date(2020, 9, 3))
    make_case(title="草稿")
    client.force_login(world.liaison)
    response = client.get(reverse("opinions:case_export_xlsx"), {"status": "issued"})
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cases, items = workbook.worksheets
    assert cases.freeze_panes == "A4"  # below the heading, the as-of line and the column header
    rows = list(cases.iter_rows(min_row=3, values_only=True))
    assert rows[0][:3] == ("No.", "Document number", "Title")
    assert [row[2] for row in rows[1:]] == ["市政府的"]
    assert rows[1][5].date() == date(2020, 9, 3)  # a date cell, not text
    assert rows[1][10].date() == mine.due_date
    assert int(cases.column_dimensions["C"].width) == 48  # stored as Excel does, with the cell padding (48.71)
    item_rows = list(items.iter_rows(min_row=3, values_only=True))
    assert [(row[0], row[2], row[3]) for row in item_rows[1:]] == [
        (1, item.number, item.heading) for item in mine.items.order_by("number")]  # case 1 of the case sheet
    assert item_rows[1][4] == world.gov.name  # no responsible body of its own: the lead body's
    assert item_rows[1][5] not in ("", None, "not_started")  # the status by its label
    assert item_rows[1][6:8] == (None, None)  # no amount involved, none rectified
