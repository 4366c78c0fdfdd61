"""Staff choose a case's deadline in their own words on the draft page (issue 14 §7): the rule set's default chosen
for them, every stored rule shown again in words, and the due date it gives previewed before saving."""

from datetime import date

import lxml.html
import pytest
from django.urls import reverse
from django.utils import translation

from opinions import services
from opinions.models import Case
from opinions.services import meetings

pytestmark = pytest.mark.django_db

PREVIEW = reverse("opinions:deadline_preview")


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def sent_by(html: str) -> dict:
    """The draft form's fields as a browser without JavaScript sends them."""
    form = next(form for form in lxml.html.fromstring(html).forms if "case-form" in form.get("class", ""))
    data = {}
    for element in form.inputs:
        name = element.get("name")
        if not name or "__prefix__" in name or element.get("type") in ("submit", "button", "file"):
            continue
        if element.tag == "select":
            data[name] = [option.get("value") for option in element.xpath(".//option[@selected]")]
        elif element.get("type") in ("checkbox", "radio"):
            if element.checked:
                data[name] = element.get("value", "on")
        elif element.tag == "textarea":
            data[name] = (element.text or "").removeprefix("\n")  # a browser drops the newline after the tag
        else:
            data[name] = element.value or ""
    return data


def particulars(world, **overrides):
    return {"title": "关于计划执行情况的审议意见", "lead_body": str(world.gov.pk),
            "supervising_committee": str(world.caijing.pk), "items-0-heading": "一、", **overrides}


def test_a_new_draft_has_the_rule_sets_default_chosen_and_its_due_date_previewed(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("opinions:case_create"))
    data = sent_by(response.content.decode())
    assert data["kind"] == ["special_work_report"]
    assert (data["deadline_rule_kind"], data["deadline_rule_n"]) == (["months"], "3")  # 三个月内
    preview = response.context["preview"]
    assert preview["due"] == "2026-09-10"
    assert preview["explanation"] == "3 months from receipt date 2026-06-10 → 2026-09-10"
    assert "<strong data-preview-due>2026-09-10</strong>" in response.content.decode()


def test_the_page_as_drawn_saves_the_default(client, world):
    client.force_login(world.staff)
    data = {**sent_by(client.get(reverse("opinions:case_create")).content.decode()), **particulars(world)}
    assert client.post(reverse("opinions:case_create"), data).status_code == 302
    assert Case.objects.get().deadline_rule == "months:3"


def test_without_javascript_the_default_follows_a_change_of_kind(client, world):
    # The page was drawn for a special work report (三个月内); staff change the kind to a budget opinion and leave the
    # deadline alone: the budget opinion's default (两个月内) is saved, and no reason is asked for.
    client.force_login(world.staff)
    data = {**sent_by(client.get(reverse("opinions:case_create")).content.decode()), **particulars(world),
            "kind": "budget_execution"}
    assert client.post(reverse("opinions:case_create"), data).status_code == 302
    assert Case.objects.get().deadline_rule == "months:2"


def test_picking_a_rule_of_their_own_needs_the_reason_and_keeps_what_was_typed(client, world):
    client.force_login(world.staff)
    data = {**sent_by(client.get(reverse("opinions:case_create")).content.decode()), **particulars(world),
            "deadline_rule_kind": "workdays", "deadline_rule_n": "15"}
    response = client.post(reverse("opinions:case_create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["deadline_rule_reason"]
    again = sent_by(response.content.decode())
    assert (again["deadline_rule_kind"], again["deadline_rule_n"], again["title"]) == (
        ["workdays"], "15", "关于计划执行情况的审议意见")
    assert "This differs from the rule set&#x27;s default (within 3 months)" in response.content.decode()
    again["deadline_rule_reason"] = "审议意见载明十五个工作日"
    response = client.post(reverse("opinions:case_create"), again)
    assert response.status_code == 302
    assert Case.objects.get().deadline_rule == "workdays:15"


@pytest.mark.parametrize(("n", "day"), [("abc", ""), ("0", ""), ("1000", ""), ("", "")])
def test_a_bad_number_is_refused_with_a_message_and_nothing_typed_is_lost(client, world, n, day):
    client.force_login(world.staff)
    data = {**sent_by(client.get(reverse("opinions:case_create")).content.decode()), **particulars(world),
            "deadline_rule_n": n, "deadline_quote": "收到审议意见后三个月内"}
    response = client.post(reverse("opinions:case_create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["deadline_rule"]
    again = sent_by(response.content.decode())
    assert (again["deadline_rule_n"], again["deadline_quote"], again["items-0-heading"]) == (
        n, "收到审议意见后三个月内", "一、")
    assert not Case.objects.exists()


def test_a_bad_date_is_refused_with_a_message_and_kept(client, world):
    client.force_login(world.staff)
    data = {**sent_by(client.get(reverse("opinions:case_create")).content.decode()), **particulars(world),
            "deadline_rule_kind": "date", "deadline_rule_date": "2026-02-30", "deadline_rule_reason": "x"}
    response = client.post(reverse("opinions:case_create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["deadline_rule"] == [
        "The date is not valid: write it as YYYY-MM-DD, e.g. 2026-12-31."]
    assert sent_by(response.content.decode())["deadline_rule_date"] == "2026-02-30"


@pytest.mark.parametrize(("kind", "rule", "shown"), [
    ("plan_execution", "months:3", ("months", "3", "")),
    ("plan_execution", "months:2", ("months", "2", "")),
    ("plan_execution", "days:30", ("days", "30", "")),
    ("plan_execution", "workdays:10", ("workdays", "10", "")),
    ("plan_execution", "date:2026-12-31", ("date", "", "2026-12-31")),
    ("plan_execution", "year_end", ("year_end", "", "")),
    ("audit_rectification", "december_session:20", ("december_session", "20", "")),
    ("audit_rectification", "december_session:15", ("december_session", "15", "")),
    ("plan_execution", "next_session", ("next_session", "", "")),
    ("special_inquiry", "", ("", "", "")),  # no default, none chosen: no due date
])
def test_every_stored_rule_is_shown_in_words_and_saved_unchanged(client, world, make_case, kind, rule, shown):
    case = make_case(kind=kind, deadline_rule=rule, deadline_rule_reason="审议意见载明")
    client.force_login(world.staff)
    data = sent_by(client.get(reverse("opinions:case_edit", args=[case.pk])).content.decode())
    assert (data["deadline_rule_kind"][0], data["deadline_rule_n"], data["deadline_rule_date"]) == shown
    assert client.post(reverse("opinions:case_edit", args=[case.pk]), data).status_code == 302
    assert Case.objects.get(pk=case.pk).deadline_rule == rule


def test_a_stored_rule_the_choices_cannot_express_is_shown_as_written(client, world, make_case):
    case = make_case()
    Case.objects.filter(pk=case.pk).update(deadline_rule="三个月")  # written by no form or service today
    client.force_login(world.staff)
    response = client.get(reverse("opinions:case_edit", args=[case.pk]))
    assert response.status_code == 200
    data = sent_by(response.content.decode())
    assert (data["deadline_rule_kind"], data["deadline_rule_text"]) == (["text"], "三个月")
    refused = client.post(reverse("opinions:case_edit", args=[case.pk]), {**data, "deadline_rule_reason": "x"})
    assert refused.status_code == 400  # to save it, staff choose what it means
    assert sent_by(refused.content.decode())["deadline_rule_text"] == "三个月"
    fixed = {**data, "deadline_rule_kind": "months", "deadline_rule_n": "3", "deadline_rule_reason": ""}
    del fixed["deadline_rule_text"]
    assert client.post(reverse("opinions:case_edit", args=[case.pk]), fixed).status_code == 302
    assert Case.objects.get(pk=case.pk).deadline_rule == "months:3"


def test_a_draft_from_a_heard_report_has_the_default_too(client, world):
    meeting = meetings.meeting_create(actor=world.staff, term=14, session=15, start_date=date(2026, 6, 1))
    report = meetings.heard_report_add(meeting=meeting, actor=world.staff, title="关于计划执行情况的报告",
                                       body=world.gov, committee=world.caijing)
    client.force_login(world.staff)
    data = sent_by(client.get(reverse("opinions:case_create"), {"report": report.pk}).content.decode())
    assert (data["deadline_rule_kind"], data["deadline_rule_n"]) == (["months"], "3")


def test_the_edit_page_previews_from_the_drafts_meeting_where_the_rule_set_counts_from_it(client, world, make_case):
    meeting = meetings.meeting_create(actor=world.staff, term=14, session=15, start_date=date(2026, 8, 27),
                                      end_date=date(2026, 8, 28))
    case = make_case(kind="audit_rectification", meeting=meeting, deadline_rule="days:30", deadline_rule_reason="x")
    client.force_login(world.staff)
    preview = client.get(reverse("opinions:case_edit", args=[case.pk])).context["preview"]
    assert (preview["anchor_event"], preview["due"]) == ("meeting", "2026-09-28")


# ---------------------------------------------------------------- the preview


def preview(client, **params):
    return client.get(PREVIEW, {"kind": "plan_execution", **params})


def test_the_preview_answers_the_due_date_and_its_explanation(client, world):
    client.force_login(world.staff)
    response = preview(client, deadline_rule_kind="months", deadline_rule_n="3", anchor="2026-08-31")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {
        "rule": "months:3", "words": "within 3 months", "default_rule": "months:3", "anchor_event": "receipt",
        "anchor_date": "2026-08-31", "due": "2026-11-30", "explanation": "3 months from receipt date 2026-08-31 → "
        "2026-11-30", "provisional": False, "error": None, "reason_needed": ""}


def test_the_preview_counts_from_today_unless_told_and_speaks_the_pages_language(client, world):
    client.force_login(world.staff)
    answer = client.get(PREVIEW, {"kind": "budget_execution", "deadline_rule_kind": ""},
                        HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert (answer["rule"], answer["due"], answer["words"]) == ("months:2", "2026-08-10", "两个月内")
    assert answer["explanation"] == "两个月，自签收日 2026-06-10 起 → 2026-08-10"


def test_the_preview_says_when_the_rule_needs_a_reason(client, world):
    client.force_login(world.staff)
    answer = preview(client, deadline_rule_kind="workdays", deadline_rule_n="10").json()
    assert answer["reason_needed"] == (
        "This differs from the rule set's default (within 3 months): state the reason below.")


def test_the_preview_takes_the_compact_rule_text_too(client, world):
    client.force_login(world.staff)
    assert preview(client, deadline_rule="year_end").json()["due"] == "2026-12-31"


def test_a_date_counted_on_a_provisional_year_is_previewed_as_provisional(client, world):
    services.calendar_enter_year(year=2027, actor=None, rest_days={}, make_up_workdays={}, provisional=True)
    client.force_login(world.staff)
    answer = preview(client, deadline_rule_kind="workdays", deadline_rule_n="10", anchor="2026-12-24").json()
    assert (answer["due"], answer["provisional"]) == ("2027-01-07", True)
    assert "provisional" in answer["explanation"]


def test_a_december_session_not_yet_registered_is_previewed_as_provisional(client, world):
    client.force_login(world.staff)
    answer = client.get(PREVIEW, {"kind": "audit_rectification", "anchor": "2026-08-28"}).json()
    assert (answer["rule"], answer["due"], answer["provisional"]) == ("december_session:20", "2026-12-31", True)


def test_where_the_rule_set_counts_from_the_meeting_the_preview_does_too(client, world):
    # As the case will be issued: from the end of its meeting, or from the issue date while it names none.
    meeting = meetings.meeting_create(actor=world.staff, term=14, session=15, start_date=date(2026, 8, 27),
                                      end_date=date(2026, 8, 28))
    client.force_login(world.staff)
    params = {"kind": "audit_rectification", "deadline_rule_kind": "days", "deadline_rule_n": "30",
              "anchor": "2026-09-03"}
    answer = client.get(PREVIEW, {**params, "meeting": meeting.pk}).json()
    assert (answer["anchor_event"], answer["anchor_date"], answer["due"]) == ("meeting", "2026-08-28", "2026-09-28")
    answer = client.get(PREVIEW, params).json()
    assert (answer["anchor_event"], answer["anchor_date"], answer["due"]) == ("issue", "2026-09-03", "2026-10-08")
    assert answer["explanation"].startswith("30 days from issue date 2026-09-03 → 2026-10-03")  # 国庆节: rolled on


def test_what_cannot_be_computed_yet_is_answered_with_the_reason(client, world):
    client.force_login(world.staff)
    answer = preview(client, deadline_rule_kind="next_session").json()
    assert answer["due"] is None
    assert answer["error"]["code"] == "no_next_session"
    answer = preview(client, deadline_rule_kind="workdays", deadline_rule_n="10", anchor="2027-12-24").json()
    assert answer["error"]["code"] == "calendar_missing"
    answer = client.get(PREVIEW, {"kind": "special_inquiry"}).json()
    assert (answer["rule"], answer["error"]["code"]) == ("", "no_rule")


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"deadline_rule_kind": "months", "deadline_rule_n": "abc"}, "deadline_rule",
     "N must be a whole number from 1 to 999."),
    ({"deadline_rule_kind": "date"}, "deadline_rule", "Choose the date for “By a given date”."),
    ({"kind": "nonsense"}, "kind", None),
    ({"anchor": "2026-13-01"}, "anchor", None),
    ({"anchor": "1900-01-01"}, "anchor", "Choose a day from 2000-01-01 to 2099-12-31."),
    ({"colour": "red"}, "colour", "Unknown parameter."),
    ({"meeting": "99999999999999999999"}, "meeting", None),
])
def test_bad_input_to_the_preview_is_a_400_naming_the_field(client, world, params, field, message):
    client.force_login(world.staff)
    response = preview(client, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"] == body["fields"][field][0]
    if message:
        assert body["fields"][field] == [message]


@pytest.mark.parametrize("who", ["liaison", "leader", "nobody"])
def test_only_committee_staff_may_preview(client, world, who):
    client.force_login(getattr(world, who))
    assert preview(client, deadline_rule_kind="months", deadline_rule_n="3").status_code == 403


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, world):
    response = preview(client, deadline_rule_kind="months", deadline_rule_n="3")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_preview_is_read_only(client, world):
    client.force_login(world.staff)
    assert client.post(PREVIEW, {"kind": "plan_execution"}).status_code == 405
