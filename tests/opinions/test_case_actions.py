"""Every action button of the case page, per role: offered and working for who may do it, absent and refused (403)
for who may not, 404 for a liaison of a body the case is not handed to; bad input gives a message and saves nothing.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from opinions import services
from opinions.actions import CASE_ACTIONS, ITEM_ACTIONS
from opinions.models import Attachment, AuditArea, AuditProblem, Case, CaseItem, Report, RuleSet
from opinions.selectors import today
from tests.cases import circulated_as_overdue

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def english(client, settings, tmp_path):
    """English messages; and next year's calendar, which deadlines counted from today reach into."""
    services.calendar_enter_year(year=today().year + 1, actor=None, rest_days={}, make_up_workdays={})
    settings.MEDIA_ROOT = tmp_path
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


# ---------------------------------------------------------------- the cases each action needs


def in_consultation(case, w):
    services.report_submit(case=case, actor=w.liaison, kind="consultation_draft", title="征求意见稿", text="稿")
    return case


def submitted(case, w):
    services.report_submit(case=case, actor=w.liaison, kind="final", title="报告", text="正文")
    return case


def accepted(case, w):
    """Accepted, its items (not started) carried over on accepting: an accepted case has no open item."""
    services.report_accept(case=submitted(case, w), actor=w.staff, carry_over_reason="长期工作",
                           next_report_date=today() + timedelta(days=90))
    return case


def closed(case, w):
    return services.case_close(case=accepted(case, w), actor=w.staff)


def current(case, w):
    """Received today, so its due date is ahead and an extension can still be asked for."""
    case = services.case_issue(case=case, actor=w.staff, issued_date=today())
    return services.case_acknowledge(case=case, actor=w.liaison, received_date=today())


def pending_extension(case, w):
    case = current(case, w)
    services.extension_request(case=case, actor=w.liaison, requested_date=case.due_date + timedelta(days=30),
                               reason="需协调")
    return case


def draft(case, w):
    return case


def issued(case, w):
    return services.case_issue(case=case, actor=w.staff, issued_date=date(2020, 9, 3))


def received(case, w):
    return services.case_acknowledge(case=issued(case, w), actor=w.liaison, received_date=date(2020, 9, 5))


def to_sign_off(case, w):
    """A draft of a kind whose rule set asks for a sign-off (审签) by the general office."""
    RuleSet.objects.filter(case_kind=case.kind).update(signoff_by="office")
    return case


def sent_for_signoff(case, w):
    return services.case_request_signoff(case=to_sign_off(case, w), actor=w.staff)


def circulated(case, w):
    """Received, and circulated as overdue (通报) by the ladder."""
    return circulated_as_overdue(received(case, w))


# slug: (prepare, who may, who is refused though they see the case, valid input, the outcome)
SCENARIOS = {
    "request-signoff": (to_sign_off, "staff", "leader", {}, lambda c: c.signoff_state == "requested"),
    "sign-off": (sent_for_signoff, "office_staff", "staff", {"approve": "yes"},
                 lambda c: c.signoff_state == "signed"),
    "issue": (draft, "staff", "leader", {}, lambda c: c.status == "issued"),
    "withdraw": (draft, "staff", "leader", {"reason": "重复立案"}, lambda c: c.status == "withdrawn"),
    "acknowledge": (issued, "liaison", "staff", {"received_date": "2020-09-05"},
                    lambda c: c.status == "in_progress" and c.due_date == date(2020, 12, 7)),
    "submit-consultation-draft": (received, "liaison", "staff", {"title": "征求意见稿", "text": "稿"},
                                  lambda c: c.status == "in_consultation"),
    "comment-consultation": (lambda c, w: in_consultation(received(c, w), w), "staff", "liaison",
                             {"comment": "请补充数据"}, lambda c: c.status == "in_progress"),
    "submit-report": (received, "liaison", "fgw_liaison", {"title": "报告", "text": "正文"},
                      lambda c: c.status == "submitted"),
    "submit-interim-report": (received, "liaison", "staff", {"title": "阶段报告", "text": "进展"},
                              lambda c: c.reports.filter(kind="interim").count() == 1),
    "accept-report": (lambda c, w: submitted(received(c, w), w), "staff", "liaison",
                      {"carry_over_reason": "长期工作", "next_report_date": "2099-06-30"},
                      lambda c: c.status == "accepted" and {i.status for i in c.items.all()} == {"carried_over"}),
    "return-report": (lambda c, w: submitted(received(c, w), w), "staff", "leader", {"reason": "请逐条回应"},
                      lambda c: c.status == "in_progress"),
    "evaluate": (lambda c, w: accepted(received(c, w), w), "staff", "liaison",
                 {"entitled_to_vote": "30", "satisfied": "10", "basically_satisfied": "15", "dissatisfied": "2"},
                 lambda c: c.status == "closed" and c.evaluations.get().result == "basically_satisfied"),
    "close": (lambda c, w: accepted(received(c, w), w), "staff", "leader", {}, lambda c: c.status == "closed"),
    "request-extension": (current, "liaison", "staff",
                          {"requested_date": (today() + timedelta(days=150)).isoformat(), "reason": "需协调"},
                          lambda c: c.extensions.filter(decision="pending").count() == 1),
    "decide-extension": (pending_extension, "leader", "staff", {"approve": "yes"},
                         lambda c: c.extensions.get().decision == "approved"),
    "publish": (lambda c, w: accepted(received(c, w), w), "staff", "leader", {}, lambda c: c.is_public),
    "unpublish": (lambda c, w: services.case_publish(case=accepted(received(c, w), w), actor=w.staff), "staff",
                  "leader", {"reason": "含未脱密内容"}, lambda c: not c.is_public),
    "reopen": (lambda c, w: closed(received(c, w), w), "staff", "liaison", {"reason": "群众反映问题反弹"},
               lambda c: c.status == "in_progress"),
    "further-supervision": (received, "leader", "staff", {"measure": "interpellation", "reason": "主任会议决定"},
                            lambda c: c.further_supervision == "interpellation"),
    "press": (received, "staff", "liaison", {"note": "请尽快报送"},
              lambda c: c.documents.filter(kind="pressing").count() == 1),
    "supervision-letter": (circulated, "staff", "liaison", {"note": "请主要负责同志督办"},
                           lambda c: c.documents.filter(kind="supervision").count() == 1),
}


def test_every_action_button_has_a_scenario():
    assert set(SCENARIOS) == {spec.slug for spec in CASE_ACTIONS}


def page(client, user, case):
    client.force_login(user)
    return client.get(reverse("opinions:case_detail", args=[case.pk]))


def post(client, user, case, slug, data):
    client.force_login(user)
    return client.post(reverse("opinions:case_action", args=[case.pk, slug]),
                       {f"{slug}-{key}": value for key, value in data.items()})


@pytest.mark.parametrize("slug", SCENARIOS)
def test_who_may_sees_the_button_and_it_works(client, world, make_case, slug):
    prepare, allowed, _refused, data, outcome = SCENARIOS[slug]
    case = prepare(make_case(), world)
    assert f'data-action="{slug}"' in page(client, getattr(world, allowed), case).content.decode()
    response = post(client, getattr(world, allowed), case, slug, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert outcome(Case.objects.get(pk=case.pk))


@pytest.mark.parametrize("slug", SCENARIOS)
def test_who_may_not_sees_no_button_and_is_refused(client, world, make_case, slug):
    prepare, _allowed, refused, data, _outcome = SCENARIOS[slug]
    case = prepare(make_case(), world)
    before = (Case.objects.get(pk=case.pk).status, case.history.count())
    assert page(client, getattr(world, refused), case).status_code == 200
    assert f'data-action="{slug}"' not in page(client, getattr(world, refused), case).content.decode()
    assert post(client, getattr(world, refused), case, slug, data).status_code == 403
    after = Case.objects.get(pk=case.pk)
    assert (after.status, after.history.count()) == before


@pytest.mark.parametrize("slug", SCENARIOS)
def test_a_liaison_of_another_body_gets_a_404(client, world, make_case, slug):
    prepare, _allowed, _refused, data, _outcome = SCENARIOS[slug]
    case = prepare(make_case(), world)
    assert page(client, world.court_liaison, case).status_code == 404
    assert post(client, world.court_liaison, case, slug, data).status_code == 404


def test_an_unknown_action_is_a_404_and_get_is_not_allowed(client, world, received_case):
    assert post(client, world.staff, received_case, "explode", {}).status_code == 404
    client.force_login(world.liaison)
    assert client.get(reverse("opinions:case_action", args=[received_case.pk, "submit-report"])).status_code == 405


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(("slug", "prepare", "who", "data", "field"), [
    ("withdraw", draft, "staff", {"reason": "  "}, "reason"),
    ("return-report", lambda c, w: submitted(received(c, w), w), "staff", {"reason": ""}, "reason"),
    ("submit-report", received, "liaison", {"title": "报告", "text": ""}, "text"),
    ("acknowledge", issued, "liaison", {"received_date": "2020-02-30"}, "received_date"),
    ("acknowledge", issued, "liaison", {"received_date": "2020-09-01"}, "received_date"),  # before issue
    ("evaluate", lambda c, w: accepted(received(c, w), w), "staff",
     {"entitled_to_vote": "10", "satisfied": "9", "basically_satisfied": "5", "dissatisfied": "0"}, "satisfied"),
    ("request-extension", current, "liaison", {"requested_date": "2020-01-01", "reason": "x"}, "requested_date"),
    ("further-supervision", received, "leader", {"measure": "hearing", "reason": "x"}, "measure"),
])
def test_bad_input_keeps_what_was_typed_shows_why_and_saves_nothing(client, world, make_case, slug, prepare, who,
                                                                     data, field):
    case = prepare(make_case(), world)
    before = (Case.objects.get(pk=case.pk).status, case.history.count(), Report.objects.count())
    response = post(client, getattr(world, who), case, slug, data)
    assert response.status_code == 400
    form = next(offered.form for offered in response.context["offered"] if offered.spec.slug == slug)
    assert field in form.errors
    html = response.content.decode()
    assert f' open data-action="{slug}"' in html  # the form stays open with the user's input
    after = Case.objects.get(pk=case.pk)
    assert (after.status, after.history.count(), Report.objects.count()) == before


def test_a_refused_transition_is_explained_on_the_page(client, world, make_case):
    case = submitted(received(make_case(), world), world)  # items still open, and no choice made to settle them
    response = post(client, world.staff, case, "accept-report", {"comment": "报告符合要求"})
    assert response.status_code == 409
    assert "2 items are neither verified nor carried over" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "submitted"
    assert {item.status for item in case.items.all()} == {"not_started"}


def test_html_typed_into_a_text_field_is_shown_as_text(client, world, make_case):
    case = submitted(received(make_case(), world), world)
    post(client, world.staff, case, "return-report", {"reason": "<script>alert('x')</script>请补充"})
    html = page(client, world.liaison, case).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;请补充" in html


def test_a_report_with_attachments_and_a_bad_file_saves_neither(client, world, received_case):
    client.force_login(world.liaison)
    url = reverse("opinions:case_action", args=[received_case.pk, "submit-report"])
    good = SimpleUploadedFile("报告.pdf", PDF)
    bad = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(url, {"submit-report-title": "报告", "submit-report-text": "正文",
                                 "submit-report-files": [good, bad]})
    assert response.status_code == 400
    assert "病毒.pdf" in response.content.decode()
    assert Report.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert Case.objects.get(pk=received_case.pk).status == "in_progress"


def test_a_report_with_attachments_keeps_them_on_the_report(client, world, received_case):
    client.force_login(world.liaison)
    url = reverse("opinions:case_action", args=[received_case.pk, "submit-report"])
    client.post(url, {"submit-report-title": "报告", "submit-report-text": "正文",
                      "submit-report-files": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]})
    report = Report.objects.get()
    assert sorted(report.attachments.values_list("original_name", flat=True)) == ["a.pdf", "b.pdf"]


def test_a_returned_report_resubmitted_shows_what_changed(client, world, received_case):
    services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告", text="一、正在推进。")
    services.report_return(case=received_case, actor=world.staff, reason="请补充")
    services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告（修改稿）",
                           text="一、已全部完成。")
    html = page(client, world.staff, received_case).content.decode()
    assert "<del>正在推进</del><ins>已全部完成</ins>" in html


# ---------------------------------------------------------------- item actions


def progressing(case, w):
    for item in case.items.all():
        services.item_report_progress(item=item, actor=w.liaison, progress_note="推进中")
    return case


def done(case, w):
    for item in progressing(case, w).items.all():
        services.item_mark_done(item=item, actor=w.liaison, measures="已完成")
    return case


def audited(case, w):
    """Its first item a problem of the audit office's list, 100 (万元) involved: its unit reports by way."""
    item = case.items.order_by("number").first()
    CaseItem.objects.filter(pk=item.pk).update(amount=Decimal("100.00"))
    AuditProblem.objects.create(item=item, reference="SJ2023-01-001", audit_year=2023,
                                area=AuditArea.objects.first(), problem_type="未及时上缴非税收入",
                                rectification_type="immediate")
    return case


ITEM_SCENARIOS = {
    "report-progress": (received, "liaison", "staff", {"progress_note": "已制定方案", "measures": ""}, "in_progress"),
    "report-audit": (lambda c, w: audited(received(c, w), w), "liaison", "staff",
                     {"progress_note": "已上缴 60 万元", "paid_to_treasury": "60"}, "in_progress"),
    "mark-done": (lambda c, w: progressing(received(c, w), w), "liaison", "staff", {"measures": "已完成整改"},
                  "done"),
    "verify": (lambda c, w: done(received(c, w), w), "staff", "liaison", {"note": ""}, "closed"),
    "send-back": (lambda c, w: done(received(c, w), w), "staff", "liaison", {"reason": "证据不足"}, "in_progress"),
    "carry-over": (received, "staff", "liaison", {"reason": "长期工作", "next_report_date": "2026-12-31"},
                   "carried_over"),
    # 持续整改 after closing: the body reports on the items the acceptance carried over.
    "report-follow-up": (lambda c, w: closed(received(c, w), w), "liaison", "staff",
                         {"progress_note": "长效机制已建立", "measures": ""}, "carried_over"),
}


def test_every_item_button_has_a_scenario():
    assert set(ITEM_SCENARIOS) == {spec.slug for spec in ITEM_ACTIONS}


def post_item(client, user, item, slug, data):
    client.force_login(user)
    prefix = f"item{item.pk}-{slug}"
    return client.post(reverse("opinions:item_action", args=[item.case_id, item.pk, slug]),
                       {f"{prefix}-{key}": value for key, value in data.items()})


@pytest.mark.parametrize("slug", ITEM_SCENARIOS)
def test_item_actions_per_role(client, world, make_case, slug):
    prepare, allowed, refused, data, new_status = ITEM_SCENARIOS[slug]
    case = prepare(make_case(), world)
    item = case.items.order_by("number").first()
    before = item.status
    marker = f'action="/cases/{case.pk}/items/{item.pk}/{slug}/"'
    assert marker not in page(client, getattr(world, refused), case).content.decode()
    assert post_item(client, getattr(world, refused), item, slug, data).status_code == 403
    assert post_item(client, world.court_liaison, item, slug, data).status_code == 404
    item.refresh_from_db()
    assert item.status == before
    assert marker in page(client, getattr(world, allowed), case).content.decode()
    assert post_item(client, getattr(world, allowed), item, slug, data).status_code == 302
    item.refresh_from_db()
    assert item.status == new_status


def test_a_co_handling_liaison_acts_only_on_the_items_of_their_body(client, world, make_case):
    items = [{"heading": "一、稳就业"}, {"heading": "二、扩投资", "responsible_body": world.fgw}]
    case = received(make_case(items=items), world)
    own, other = case.items.order_by("number")
    data = {"progress_note": "推进中", "measures": ""}
    assert post_item(client, world.fgw_liaison, own, "report-progress", data).status_code == 403
    assert post_item(client, world.fgw_liaison, other, "report-progress", data).status_code == 302


def test_progress_with_evidence_stores_the_file_on_the_item(client, world, received_case):
    item = received_case.items.first()
    client.force_login(world.liaison)
    prefix = f"item{item.pk}-report-progress"
    response = client.post(reverse("opinions:item_action", args=[received_case.pk, item.pk, "report-progress"]),
                           {f"{prefix}-progress_note": "已完成第一阶段", f"{prefix}-measures": "",
                            f"{prefix}-files": [SimpleUploadedFile("证明.pdf", PDF)]})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{item.number}")
    assert list(item.attachments.values_list("original_name", flat=True)) == ["证明.pdf"]


def test_an_item_of_another_case_is_a_404(client, world, make_case, received_case):
    other = received(make_case(title="另一件"), world)
    item = other.items.first()
    client.force_login(world.liaison)
    url = reverse("opinions:item_action", args=[received_case.pk, item.pk, "report-progress"])
    assert client.post(url, {}).status_code == 404
