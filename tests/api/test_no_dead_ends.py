"""No dead ends (issue 14 §5): whatever state a case and its items are in, every step offered to someone — in the
API's `available_actions` and as a button on the case page, the items' buttons included — succeeds when taken with
its documented example input (opinions.api.examples), through the API and through the page.

The walk: one case per status (and per circumstance that changes what may be offered: overdue, an extension request
pending, published), built through the services; then each item-state combination forced on its two items, which
covers states no service leads to any more (an accepted case with open items, stored before this rule); then every
role looks at it. Each step is taken in a savepoint that is rolled back, so every one starts from the same state.
"""

import re
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from opinions import services
from opinions.actions import CASE_ACTIONS_BY_SLUG
from opinions.api.examples import CASE_EXAMPLES, CASE_MORE_EXAMPLES, ITEM_EXAMPLES
from opinions.models import CaseItem
from opinions.selectors import today
from opinions.workflow import ItemStatus

pytestmark = pytest.mark.django_db

# The documented examples, each step's in order. The dated ones are sent with today's date, as the permission matrix
# does: the examples' own dates lie ahead of the day the tests run on, and receipt cannot be in the future.
CASE_INPUTS = {slug: [example, *(value for _name, _summary, value in CASE_MORE_EXAMPLES.get(slug, ()))]
               for slug, example in {**CASE_EXAMPLES, "issue": {}, "acknowledge": {}}.items()}
ITEM_INPUTS = ITEM_EXAMPLES

_I = ItemStatus
ITEM_STATES = [(status, status) for status in ItemStatus] + [(_I.DONE, _I.NOT_STARTED), (_I.CLOSED, _I.IN_PROGRESS)]
ROLES = ["staff", "liaison", "fgw_liaison", "leader", "other_staff"]  # 市发改委 co-handles item 2

CASE_BUTTON = re.compile(r'action="/cases/(\d+)/act/([\w-]+)/"')
ITEM_BUTTON = re.compile(r'action="/cases/(\d+)/items/(\d+)/([\w-]+)/"')


def _draft(w, make_case):
    return make_case(items=[{"heading": "一、稳就业"}, {"heading": "二、扩投资", "responsible_body": w.fgw}])


def _issued(w, make_case, day=None):
    return services.case_issue(case=_draft(w, make_case), actor=w.staff, issued_date=day or today())


def _received(w, make_case, day=None):
    case = _issued(w, make_case, day)
    return services.case_acknowledge(case=case, actor=w.liaison, received_date=day or today())


def _pending_extension(case, w):
    services.extension_request(case=case, actor=w.liaison, requested_date=case.due_date + timedelta(days=30),
                               reason="需协调")
    return case


def _consulting(case, w):
    services.report_submit(case=case, actor=w.liaison, kind="consultation_draft", title="征求意见稿", text="稿")
    return case


def _submitted(case, w):
    services.report_submit(case=case, actor=w.liaison, kind="final", title="报告", text="正文")
    return case


def _accepted(case, w):
    services.report_accept(case=_submitted(case, w), actor=w.staff, carry_over_reason="长期工作",
                           next_report_date=date(2099, 6, 30))
    return case


def _published(case, w):
    return services.case_publish(case=case, actor=w.staff)


def _closed(case, w):
    return services.case_close(case=_accepted(case, w), actor=w.staff)


VARIANTS = {
    "draft": lambda w, m: _draft(w, m),
    "withdrawn": lambda w, m: services.case_withdraw(case=_draft(w, m), actor=w.staff, reason="重复"),
    "issued": lambda w, m: _issued(w, m),
    "issued_overdue": lambda w, m: _issued(w, m, date(2020, 9, 3)),
    "issued_extension_pending": lambda w, m: _pending_extension(_issued(w, m), w),
    "in_progress": lambda w, m: _received(w, m),
    "in_progress_overdue": lambda w, m: _received(w, m, date(2020, 9, 3)),
    "in_progress_extension_pending": lambda w, m: _pending_extension(_received(w, m), w),
    "in_consultation": lambda w, m: _consulting(_received(w, m), w),
    "submitted": lambda w, m: _submitted(_received(w, m), w),
    "submitted_extension_pending": lambda w, m: _submitted(_pending_extension(_received(w, m), w), w),
    "accepted": lambda w, m: _accepted(_received(w, m), w),
    "accepted_published": lambda w, m: _published(_accepted(_received(w, m), w), w),
    "closed": lambda w, m: _closed(_received(w, m), w),
    "closed_published": lambda w, m: _published(_closed(_received(w, m), w), w),
}


def rolled_back(post, url, data, **kwargs):
    with transaction.atomic():
        response = post(url, data, **kwargs)
        transaction.set_rollback(True)
    return response


def answer(response) -> str:
    body = getattr(response, "data", None) or response.content.decode()[:300]
    return f"{response.status_code} {body!s:.300}"


def page_form_data(prefix, data):
    return {f"{prefix}-{key}": value for key, value in data.items()}


@pytest.fixture
def walk_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    services.calendar_enter_year(year=today().year + 1, actor=None, rest_days={}, make_up_workdays={})


def test_every_step_has_documented_input():
    assert set(CASE_INPUTS) == set(CASE_ACTIONS_BY_SLUG)


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_step_offered_succeeds_with_its_documented_input(world, make_case, walk_settings, client, variant):
    case = VARIANTS[variant](world, make_case)
    first, second = case.items.order_by("number")
    refused, offered_count = [], 0
    for states in ITEM_STATES:
        for item, status in zip((first, second), states, strict=True):
            CaseItem.objects.filter(pk=item.pk).update(status=status)  # forced: covers states no service leads to
        for role in ROLES:
            user = getattr(world, role)
            where = f"{variant} items={'/'.join(states)} as {role}"
            api = APIClient()
            api.force_authenticate(user)
            client.force_login(user)
            detail = api.get(f"/api/v1/cases/{case.pk}/")
            page = client.get(reverse("opinions:case_detail", args=[case.pk]))
            assert page.status_code == detail.status_code, where
            if detail.status_code == 404:
                continue
            html = page.content.decode()
            offered = detail.json()["available_actions"]
            buttons = [slug for pk, slug in CASE_BUTTON.findall(html) if int(pk) == case.pk]
            assert buttons == offered, f"{where}: the page offers {buttons}, the API {offered}"
            for slug in offered:
                offered_count += 1
                # A step whose outcome depends on its input (the vote) must succeed with one of its examples.
                api_answers = [rolled_back(api.post, f"/api/v1/cases/{case.pk}/{slug}/", data, format="json")
                               for data in CASE_INPUTS[slug]]
                if not any(r.status_code == 200 for r in api_answers):
                    refused.append(f"{where}: API {slug}: {'; '.join(answer(r) for r in api_answers)}")
                url = reverse("opinions:case_action", args=[case.pk, slug])
                page_answers = [rolled_back(client.post, url, page_form_data(slug, data))
                                for data in CASE_INPUTS[slug]]
                if not any(r.status_code == 302 for r in page_answers):
                    refused.append(f"{where}: page {slug}: {'; '.join(answer(r) for r in page_answers)}")
            for _pk, item_pk, slug in ITEM_BUTTON.findall(html):
                offered_count += 1
                response = rolled_back(api.post, f"/api/v1/cases/{case.pk}/items/{item_pk}/{slug}/",
                                       ITEM_INPUTS[slug], format="json")
                if response.status_code != 200:
                    refused.append(f"{where}: API item {item_pk} {slug}: {answer(response)}")
                url = reverse("opinions:item_action", args=[case.pk, item_pk, slug])
                response = rolled_back(client.post, url, page_form_data(f"item{item_pk}-{slug}", ITEM_INPUTS[slug]))
                if response.status_code != 302:
                    refused.append(f"{where}: page item {item_pk} {slug}: {answer(response)}")
    assert not refused, "\n".join(refused)
    assert offered_count or variant == "withdrawn"  # a withdrawn draft is the one end of the road


def test_the_issue_14_scenario_accepting_with_items_in_progress_is_refused_and_the_ways_on_are_offered(
        world, make_case, walk_settings):
    """Issue 14 §5: staff accepted a report while items were 办理中; then the liaison's mark-done, verify, evaluate
    and close were all refused. Now the acceptance itself is refused until every item is settled, and it offers the
    choice; the steps offered afterwards all work."""
    case = _received(world, make_case)
    first, second = case.items.order_by("number")
    staff, liaison = APIClient(), APIClient()
    staff.force_authenticate(world.staff)
    liaison.force_authenticate(world.liaison)
    url = f"/api/v1/cases/{case.pk}/"
    for item in (first, second):
        assert liaison.post(f"{url}items/{item.pk}/report-progress/", {"progress_note": "推进中"},
                            format="json").json()["status"] == "in_progress"
    assert liaison.post(f"{url}submit-report/", {"title": "报告", "text": "正文"}, format="json").status_code == 200
    assert staff.get(url).json()["available_actions"] == ["accept-report", "return-report"]

    refused = staff.post(f"{url}accept-report/", {"comment": "报告符合要求。"}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "items_open")
    assert "2" in refused.json()["detail"]
    detail = staff.get(url).json()
    assert detail["status"] == "submitted"
    assert [item["status"] for item in detail["items"]] == ["in_progress", "in_progress"]

    # Returned, the body finishes item 1; item 2 is long-term work, carried over as the report is accepted.
    assert staff.post(f"{url}return-report/", {"reason": "请完成第一项"}, format="json").status_code == 200
    assert liaison.post(f"{url}items/{first.pk}/mark-done/", {"measures": "已完成"},
                        format="json").json()["status"] == "done"
    assert liaison.post(f"{url}submit-report/", {"title": "报告（修改稿）", "text": "正文"},
                        format="json").status_code == 200
    accepted = staff.post(f"{url}accept-report/", {"comment": "报告符合要求。", "verify_done": "yes",
                                                   "carry_over_reason": "长期工作，转持续整改",
                                                   "next_report_date": "2099-06-30"}, format="json").json()
    assert accepted["status"] == "accepted"
    assert [item["status"] for item in accepted["items"]] == ["closed", "carried_over"]
    assert accepted["available_actions"] == ["evaluate", "close", "publish"]
    assert liaison.get(url).json()["available_actions"] == []

    closed = staff.post(f"{url}evaluate/", CASE_EXAMPLES["evaluate"], format="json").json()
    assert (closed["status"], closed["evaluations"][0]["result"]) == ("closed", "satisfied")
    assert closed["available_actions"] == ["publish", "reopen"]


def test_the_api_documents_that_a_satisfied_vote_closes_the_case_and_how_accepting_settles_the_items(client):
    schema = client.get("/api/schema/?format=json").json()
    evaluate = schema["paths"]["/api/v1/cases/{id}/evaluate/"]["post"]
    assert "满意 (satisfied) or 基本满意 (basically satisfied) closes the case (办结)" in evaluate["description"]
    examples = evaluate["requestBody"]["content"]["application/json"]["examples"]
    assert [example["summary"] for example in examples.values()] == [
        "满意 (20 of 26 votes cast): the case is closed (办结)",
        "不满意: back to the body (重新办理), due on redo_due_date"]
    accept = schema["paths"]["/api/v1/cases/{id}/accept-report/"]["post"]
    assert "`verify_done`" in accept["description"]
    assert "`carry_over_reason`" in accept["description"]
    assert accept["summary"] == "Accept the report"  # English, whatever language imported the views first
