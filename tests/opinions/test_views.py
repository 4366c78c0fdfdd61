"""Pages per role: staff see everything, a liaison sees only their body's cases (others are a 404)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from opinions import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def court_case(world):
    case = services.case_create(actor=world.office_staff, kind="special_work_report", title="法院专项工作报告审议意见",
                                lead_body=world.court, items=[{"heading": "一、依法保护民营企业产权"}])
    return services.case_issue(case=case, actor=world.office_staff, issued_date=date(2024, 7, 1))


def login(client, user):
    client.force_login(user)
    return client


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("opinions:case_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_and_login_work(client, world):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "staff", "password": "pw-12345-x"})
    assert response.status_code == 302
    assert client.get(reverse("opinions:case_list")).status_code == 200


def test_staff_see_every_case_in_the_list(client, world, issued_case, court_case, make_case):
    draft = make_case(title="尚未交办的草稿")
    html = login(client, world.staff).get(reverse("opinions:case_list")).content.decode()
    for case in (issued_case, court_case, draft):
        assert case.title in html


def test_a_liaison_sees_only_their_bodys_issued_cases(client, world, issued_case, court_case, make_case):
    make_case(title="尚未交办的草稿")
    html = login(client, world.court_liaison).get(reverse("opinions:case_list")).content.decode()
    assert court_case.title in html
    assert issued_case.title not in html
    assert "尚未交办的草稿" not in html


def test_another_bodys_case_is_a_404_for_a_liaison(client, world, issued_case):
    response = login(client, world.court_liaison).get(reverse("opinions:case_detail", args=[issued_case.pk]))
    assert response.status_code == 404


def test_a_draft_is_a_404_even_for_the_addressed_bodys_liaison(client, world, make_case):
    draft = make_case()
    assert login(client, world.liaison).get(reverse("opinions:case_detail", args=[draft.pk])).status_code == 404


def test_a_co_handling_bodys_liaison_sees_the_case(client, world, issued_case):
    response = login(client, world.fgw_liaison).get(reverse("opinions:case_detail", args=[issued_case.pk]))
    assert response.status_code == 200


def test_a_user_without_membership_sees_nothing(client, world, issued_case):
    login(client, world.nobody)
    assert issued_case.title not in client.get(reverse("opinions:case_list")).content.decode()
    assert client.get(reverse("opinions:case_detail", args=[issued_case.pk])).status_code == 404


def test_case_detail_shows_items_due_date_provenance_and_timeline(client, world, issued_case):
    services.case_acknowledge(case=issued_case, actor=world.liaison, received_date=date(2020, 9, 5))
    html = login(client, world.staff).get(reverse("opinions:case_detail", args=[issued_case.pk])).content.decode()
    assert "一、全力以赴抓好“六稳”“六保”。" in html
    assert "2020-12-07" in html
    assert "三个月，自签收日 2020-09-05 起 → 2020-12-05 周六 → 顺延至 2020-12-07" in html
    assert "liaison" in html  # the timeline names who acknowledged


def test_the_list_filters_by_status_body_kind_and_year(client, world, issued_case, court_case, make_case):
    draft = make_case(title="草稿案件")
    login(client, world.staff)

    def titles(**params):
        html = client.get(reverse("opinions:case_list"), params).content.decode()
        return {case.title for case in (issued_case, court_case, draft) if case.title in html}

    assert titles(status="draft") == {"草稿案件"}
    assert titles(body=world.court.pk) == {court_case.title}
    assert titles(body=world.fgw.pk) == {issued_case.title, "草稿案件"}  # co-handler
    assert titles(kind="special_work_report") == {court_case.title}
    assert titles(year=2024) == {court_case.title}
    assert titles(q="六稳") == {issued_case.title, "草稿案件"}  # found in the item headings


def test_text_typed_by_users_is_rendered_escaped(client, world, make_case):
    case = make_case(title="<script>alert(1)</script>审议意见")
    html = login(client, world.staff).get(reverse("opinions:case_detail", args=[case.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;审议意见" in html


def test_the_ui_is_chinese_by_default_and_english_on_request(client, world):
    login(client, world.staff)
    assert "案件" in client.get(reverse("opinions:case_list")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Cases" in client.get(reverse("opinions:case_list")).content.decode()


def test_missing_pages_use_the_friendly_404(client, world, settings):
    from django.utils.translation import gettext, override

    settings.DEBUG = False
    response = login(client, world.staff).get("/cases/999999/")
    assert response.status_code == 404
    with override("zh-hans"):
        expected = gettext("This page does not exist, or it is not visible to you.")
    assert expected != "This page does not exist, or it is not visible to you."  # really translated
    assert expected in response.content.decode()


def test_the_health_check_reports_the_database(client, db):
    from npc_tracker.health import record_heartbeat

    record_heartbeat()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_the_timeline_shows_status_changes_with_who_and_why(world, issued_case):
    from django.utils import translation

    from opinions.selectors import case_timeline

    services.case_acknowledge(case=issued_case, actor=world.liaison, received_date=date(2020, 9, 5))
    with translation.override("en"):
        receipt = case_timeline(issued_case)[0]
    assert receipt.who == "liaison"
    assert receipt.reason == "已签收"  # recorded in the site language when it happened, not re-translated
    changes = {c.field: (c.old, c.new) for c in receipt.changes}
    assert changes["status"] == ("Issued", "In progress")
    assert changes["due date"] == ("2020-12-03", "2020-12-07")


def test_the_overdue_filter_lists_only_cases_past_their_due_date(client, world, issued_case, court_case):
    html = login(client, world.staff).get(reverse("opinions:case_list"), {"overdue": "true"}).content.decode()
    assert issued_case.title in html
    assert court_case.title in html
    html = client.get(reverse("opinions:case_list"), {"overdue": "false"}).content.decode()
    assert issued_case.title not in html


def test_the_detail_page_names_what_this_user_may_do_next(client, world, make_case):
    from opinions.selectors import today

    case = services.case_issue(case=make_case(), actor=world.staff, issued_date=today())
    html = login(client, world.liaison).get(reverse("opinions:case_detail", args=[case.pk])).content.decode()
    assert "签收" in html
    assert "申请延期" in html
    html = login(client, world.staff).get(reverse("opinions:case_detail", args=[case.pk])).content.decode()
    # Staff wait for the body's receipt (extensions are for the leadership here); they may press it meanwhile.
    assert re.findall(r'data-action="([a-z-]+)"', html) == ["press"]


def test_an_overdue_case_offers_no_extension_request_which_would_be_too_late(client, world, issued_case):
    html = login(client, world.liaison).get(reverse("opinions:case_detail", args=[issued_case.pk])).content.decode()
    assert "签收" in html
    assert "申请延期" not in html


def test_a_user_changes_their_password_and_a_wrong_old_one_is_refused(client, world):
    client.force_login(world.liaison)
    url = reverse("password_change")
    assert client.get(url).status_code == 200
    refused = client.post(url, {"old_password": "wrong", "new_password1": "Neu-Passwort-2026",
                                "new_password2": "Neu-Passwort-2026"})
    assert refused.status_code == 200
    assert "old_password" in refused.context["form"].errors
    done = client.post(url, {"old_password": "pw-12345-x", "new_password1": "Neu-Passwort-2026",
                             "new_password2": "Neu-Passwort-2026"})
    assert done.status_code == 302
    world.liaison.refresh_from_db()
    assert world.liaison.check_password("Neu-Passwort-2026")


def test_switching_the_language_keeps_the_user_on_the_same_page(client, world, issued_case):
    client.force_login(world.liaison)
    page = reverse("opinions:case_detail", args=[issued_case.pk])
    response = client.post(reverse("set_language"), {"language": "en", "next": page})
    assert response["Location"] == page
    assert "Acknowledge receipt" in client.get(page).content.decode()


def test_the_health_check_is_503_when_the_broker_cannot_be_reached(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("unreachable")
    assert response.json()["database"] == "ok"


def test_the_timeline_shows_times_in_shanghai_and_outcomes_by_their_label(world, received_case):
    from django.utils import translation

    from opinions import services
    from opinions.selectors import case_timeline
    from tests.moments import local

    services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告", text="正文")
    services.report_accept(case=received_case, actor=world.staff, carry_over_reason="持续整改",
                           next_report_date=date(2099, 6, 30), at=local(2020, 12, 10, 9, 5))
    with translation.override("zh-hans"):
        entry = next(e for e in case_timeline(received_case) if e.subject == "报告" and e.changes)
    assert entry.reason == "已通过"  # the review outcome's label, not its code
    assert "2020-12-10 09:05" in [change.new for change in entry.changes]
