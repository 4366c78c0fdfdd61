"""What the office sends out (issue 16 §1): 文号 given out once, the 交办通知 with its 审签, the 催办通知 and
督办函, the 延期批复 and the 测评结果通知, each kept on the case and opened here as Word documents; replaceable
templates."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from docx import Document

from notifications.models import Notification
from npc_tracker.errors import DomainError, InvalidInput, NotAllowed
from opinions import dashboard, documents, services
from opinions.models import Case, CaseDocument, DocNumberSequence, DocumentTemplate, RuleSet
from opinions.selectors import case_timeline, today
from tests.cases import circulated_as_overdue
from tests.concurrency import run_together


def text_of(document: CaseDocument) -> str:
    with document.file.open("rb") as stored:
        word = Document(io.BytesIO(stored.read()))
    return "\n".join(paragraph.text for paragraph in word.paragraphs)


def docx_upload(*paragraphs: str, name="template.docx") -> SimpleUploadedFile:
    word = Document()
    for text in paragraphs:
        word.add_paragraph(text)
    output = io.BytesIO()
    word.save(output)
    return SimpleUploadedFile(name, output.getvalue())


# --- 文号 ------------------------------------------------------------------------------------------------------------


def test_document_numbers_count_up_per_prefix_and_year(db):
    assert services.doc_number_next(year=2026) == "安人常办〔2026〕1号"
    assert services.doc_number_next(year=2026) == "安人常办〔2026〕2号"
    assert services.doc_number_next(year=2027) == "安人常办〔2027〕1号"
    assert services.doc_number_next(year=2026, prefix="安人常财") == "安人常财〔2026〕1号"


def test_the_prefix_is_a_setting(db, settings):
    settings.DOCUMENT_NUMBER_PREFIX = "林人常办"
    assert services.doc_number_next(year=2026) == "林人常办〔2026〕1号"


@pytest.mark.django_db(transaction=True)
def test_numbers_given_out_at_the_same_moment_are_all_different(seeded):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent row locks need PostgreSQL; runs in the PostgreSQL pass")
    numbers = []

    def take(together):
        together()
        with transaction.atomic():
            numbers.append(services.doc_number_next(year=2026))

    assert run_together(*[take] * 6) == []
    assert sorted(numbers) == sorted(f"安人常办〔2026〕{n}号" for n in range(1, 7))
    assert DocNumberSequence.objects.get(prefix="安人常办", year=2026).last_number == 6


# --- the 交办通知 -----------------------------------------------------------------------------------------------


def test_issuing_numbers_and_keeps_the_assignment_notice(world, make_case):
    case = services.case_issue(case=make_case(), actor=world.staff, issued_date=date(2026, 6, 10))
    case.refresh_from_db()
    assert case.doc_number == "安人常办〔2026〕1号"
    document = case.documents.get()
    assert (document.kind, document.number, document.issued_by, document.template) == (
        "assignment", "安人常办〔2026〕1号", world.staff, None)
    text = text_of(document)
    for expected in ("安人常办〔2026〕1号", "安阳市人民政府", case.title, "一、全力以赴抓好“六稳”“六保”。", "正文二",
                     f"{case.due_date.year}年{case.due_date.month}月{case.due_date.day}日", "2026年6月10日",
                     "安阳市人大常委会办公室"):
        assert expected in text
    assert "{{" not in text


def test_an_opinion_that_carries_its_number_goes_out_under_it(world, make_case):
    case = services.case_issue(case=make_case(doc_number="安人常〔2020〕9号"), actor=world.staff,
                               issued_date=date(2026, 6, 10))
    assert case.documents.get().number == "安人常〔2020〕9号"
    assert not DocNumberSequence.objects.exists()


def test_the_notice_is_a_document_of_the_case_not_an_uploaded_file_and_the_timeline_shows_it(world, make_case):
    case = services.case_issue(case=make_case(), actor=world.staff, issued_date=date(2026, 6, 10))
    name = case.documents.get().original_name
    assert name.startswith("安人常办〔2026〕1号 ")
    assert name.endswith(".docx")
    assert not case.attachments.exists()
    subjects = [entry.subject for entry in case_timeline(case)]
    assert any("安人常办〔2026〕1号" in subject for subject in subjects)


# --- 审签 -------------------------------------------------------------------------------------------------------------

@pytest.mark.signoff
def test_a_draft_is_issued_only_once_signed_off(world, make_case):
    case = make_case()
    with pytest.raises(DomainError) as refused:
        services.case_issue(case=case, actor=world.staff)
    assert refused.value.code == "signoff_required"
    services.case_request_signoff(case=case, actor=world.staff)
    services.case_sign_off(case=case, actor=world.office_staff, approve=True, comment="同意")
    case.refresh_from_db()
    assert (case.signoff_state, case.signed_off_by) == ("signed", world.office_staff)
    services.case_issue(case=case, actor=world.staff, issued_date=date(2026, 6, 10))
    case.refresh_from_db()
    assert case.status == "issued"
    steps = list(case.history.order_by("history_id").values_list("signoff_state", "status", "history_user"))
    assert steps[-3:] == [("requested", "draft", world.staff.pk), ("signed", "draft", world.office_staff.pk),
                          ("signed", "issued", world.staff.pk)]
    assert "同意" in case.history.filter(signoff_state="signed", status="draft").get().history_change_reason


@pytest.mark.signoff
def test_whoever_sent_the_draft_cannot_sign_it_off(world, make_case):
    case = make_case()
    services.case_request_signoff(case=case, actor=world.office_staff)
    with pytest.raises(NotAllowed):
        services.case_sign_off(case=case, actor=world.office_staff, approve=True)
    assert Case.objects.get(pk=case.pk).signoff_state == "requested"


@pytest.mark.signoff
def test_committee_staff_outside_the_office_do_not_sign_off(world, make_case):
    case = make_case()
    services.case_request_signoff(case=case, actor=world.office_staff)
    with pytest.raises(NotAllowed):
        services.case_sign_off(case=case, actor=world.staff, approve=True)


@pytest.mark.signoff
def test_a_rule_set_may_name_leadership_to_sign_off(world, make_case):
    RuleSet.objects.filter(case_kind="plan_execution").update(signoff_by="leader")
    case = make_case()
    services.case_request_signoff(case=case, actor=world.staff)
    with pytest.raises(NotAllowed):
        services.case_sign_off(case=case, actor=world.office_staff, approve=True)
    services.case_sign_off(case=case, actor=world.leader, approve=True)
    assert Case.objects.get(pk=case.pk).signoff_state == "signed"


@pytest.mark.signoff
def test_a_returned_draft_needs_a_reason_and_goes_back_to_the_start(world, make_case):
    case = make_case()
    services.case_request_signoff(case=case, actor=world.staff)
    with pytest.raises(InvalidInput):
        services.case_sign_off(case=case, actor=world.office_staff, approve=False)
    services.case_sign_off(case=case, actor=world.office_staff, approve=False, comment="第二条措辞再斟酌")
    case.refresh_from_db()
    assert (case.signoff_state, case.signoff_requested_by) == ("not_requested", None)
    assert "第二条措辞再斟酌" in case.history.first().history_change_reason


@pytest.mark.signoff
def test_a_change_to_a_signed_draft_must_be_signed_again(world, make_case):
    case = make_case()
    services.case_request_signoff(case=case, actor=world.staff)
    services.case_sign_off(case=case, actor=world.office_staff, approve=True)
    services.case_update_draft(case=case, actor=world.staff, title=case.title)  # unchanged: still signed
    assert Case.objects.get(pk=case.pk).signoff_state == "signed"
    services.item_add(case=case, actor=world.staff, heading="三、新增一条")
    case.refresh_from_db()
    assert (case.signoff_state, case.signed_off_by) == ("not_requested", None)
    with pytest.raises(DomainError) as refused:
        services.case_issue(case=case, actor=world.staff)
    assert refused.value.code == "signoff_required"


@pytest.mark.signoff
def test_the_signers_are_told_a_draft_awaits_them(world, make_case):
    case = make_case()
    services.case_request_signoff(case=case, actor=world.staff)
    assert Notification.objects.filter(event="signoff_requested", recipient=world.office_staff).exists()
    assert not Notification.objects.filter(event="signoff_requested", recipient=world.liaison).exists()


def test_without_a_signer_named_there_is_nothing_to_send_for_sign_off(world, make_case):
    with pytest.raises(DomainError) as refused:
        services.case_request_signoff(case=make_case(), actor=world.staff)
    assert refused.value.code == "signoff_not_required"


# --- 催办通知 and 督办函 ----------------------------------------------------------------------------------------


def test_a_reminder_notice_by_hand_is_numbered_kept_and_sent(world, received_case):
    world.gov.leader_email = "leader@gov.example"
    world.gov.save()
    document = services.case_press(case=received_case, actor=world.staff, note="请于本周内报送。")
    assert (document.kind, document.number) == ("pressing", "安人常办〔2026〕1号")  # the 交办通知 had 2020's
    text = text_of(document)
    assert "请于本周内报送。" in text
    assert received_case.title in text
    sent = Notification.objects.filter(event="case_pressed")
    assert sent.filter(recipient=world.liaison, channel="inbox").exists()
    assert sent.filter(address="leader@gov.example").exists()
    assert not sent.filter(recipient=world.staff).exists()  # never the actor


def test_the_overdue_board_shows_the_last_reminder_notice_sent_by_hand(world, received_case):
    document = services.case_press(case=received_case, actor=world.staff)
    [row] = dashboard.overdue_board(Case.objects.all(), today())
    assert row.last_reminder.endswith(document.number)
    assert row.last_reminder_at == document.issued_at


def test_a_reminder_notice_is_refused_once_the_report_is_in(world, received_case):
    services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告", text="正文")
    with pytest.raises(DomainError) as refused:
        services.case_press(case=received_case, actor=world.staff)
    assert refused.value.code == "wrong_status"
    assert not CaseDocument.objects.filter(kind="pressing").exists()


def test_a_liaison_cannot_press_and_a_note_is_bounded(world, received_case):
    with pytest.raises(NotAllowed):
        services.case_press(case=received_case, actor=world.liaison)
    with pytest.raises(InvalidInput):
        services.case_press(case=received_case, actor=world.staff, note="长" * 2001)
    assert DocNumberSequence.objects.get().last_number == 1  # the 交办通知's: a refused letter gives none away


def test_a_supervision_letter_follows_a_circulation_as_overdue(world, received_case):
    with pytest.raises(DomainError):
        services.case_send_supervision_letter(case=received_case, actor=world.staff)
    document = services.case_send_supervision_letter(case=circulated_as_overdue(received_case), actor=world.staff,
                                                     note="限期报送")
    assert document.kind == "supervision"
    assert "限期报送" in text_of(document)


# --- 延期批复 and 测评结果通知 ----------------------------------------------------------------------------------


def test_a_decided_extension_keeps_its_reply(world, received_case):
    autumn = datetime(2020, 10, 12, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    services.extension_request(case=received_case, actor=world.liaison, requested_date=date(2021, 1, 29),
                               reason="需要更多时间", at=autumn)
    services.extension_decide_pending(case=received_case, actor=world.leader, approve=True, at=autumn)
    document = received_case.documents.get(kind="extension_reply")
    assert (document.issued_by, document.number) == (world.leader, "安人常办〔2020〕2号")  # after the 交办通知
    assert "经研究，同意延期，请于2021年1月29日前" in text_of(document)


# --- templates -------------------------------------------------------------------------------------------------------


def test_a_template_with_an_unknown_placeholder_is_refused_by_name(world):
    with pytest.raises(InvalidInput) as refused:
        services.document_template_upload(kind="pressing", actor=world.office_staff,
                                          file=docx_upload("{{ case.title }}", "{{ signature }}"))
    assert "signature" in refused.value.message
    with pytest.raises(InvalidInput) as refused:
        services.document_template_upload(kind="pressing", actor=world.office_staff,
                                          file=docx_upload("{{ case.nope }}"))
    assert "nope" in refused.value.message
    assert not DocumentTemplate.objects.exists()


@pytest.mark.parametrize("content", ["{{ case.__class__ }}", "{{ ''.__class__.__mro__ }}", "{% for x in %}"])
def test_a_template_cannot_reach_past_its_values_or_be_unreadable(world, content):
    with pytest.raises(InvalidInput):
        services.document_template_upload(kind="pressing", actor=world.office_staff, file=docx_upload(content))


def test_a_file_that_is_not_a_word_document_is_refused(world):
    with pytest.raises(InvalidInput):
        services.document_template_upload(kind="pressing", actor=world.office_staff,
                                          file=SimpleUploadedFile("t.docx", b"%PDF-1.4 not word"))


def test_an_uploaded_template_is_used_from_then_on_with_its_version(world, received_case):
    template = services.document_template_upload(
        kind="pressing", actor=world.office_staff, note="新版式",
        file=docx_upload("{{ office }} 催办 {{ number }}", "{{ case.body }}：请速报《{{ case.title }}》。"))
    assert template.version == 1
    document = services.case_press(case=received_case, actor=world.staff)
    assert document.template == template
    assert document.template_version == 1
    assert f"安阳市人民政府：请速报《{received_case.title}》。" in text_of(document)


@pytest.mark.parametrize("kind", documents.EXTRA)
def test_every_built_in_template_passes_its_own_check(kind):
    template = documents.builtin_template(kind)
    documents.check_template(kind, SimpleUploadedFile("builtin.docx", template.read()))


@pytest.fixture
def administrator(world):
    from django.contrib.auth import get_user_model

    from agencies.models import Membership, MembershipRole

    user = get_user_model().objects.create_user("template_admin", password="x", is_staff=True, is_superuser=True)
    Membership.objects.create(user=user, role=MembershipRole.ADMIN)
    return user


def test_an_administrator_replaces_a_template_in_the_admin_and_a_wrong_one_is_refused_by_name(client, administrator):
    client.force_login(administrator)
    add = reverse("admin:opinions_documenttemplate_add")
    refused = client.post(add, {"kind": "pressing", "file": docx_upload("{{ signature }}"), "note": ""})
    assert refused.status_code == 200
    assert "signature" in refused.content.decode()
    assert not DocumentTemplate.objects.exists()
    accepted = client.post(add, {"kind": "pressing", "file": docx_upload("{{ case.title }}"), "note": "新版"})
    assert accepted.status_code == 302
    assert DocumentTemplate.objects.get().version == 1
    builtin = client.get(reverse("admin:opinions_documenttemplate_builtin", args=["assignment"]))
    word = Document(io.BytesIO(b"".join(builtin.streaming_content)))
    assert "{{ case.body }}：" in [paragraph.text for paragraph in word.paragraphs]
    assert client.get(reverse("admin:opinions_documenttemplate_builtin", args=["nonsense"])).status_code == 403


def test_the_documents_are_listed_and_downloaded_by_whoever_sees_the_case_and_nobody_else(world, received_case):
    from rest_framework.test import APIClient

    services.case_press(case=received_case, actor=world.staff)
    api = APIClient()
    api.force_authenticate(world.liaison)
    rows = api.get(f"/api/v1/cases/{received_case.pk}/documents/").json()["results"]
    assert [(row["kind"], row["number"], row["template_version"]) for row in rows] == [
        ("assignment", "安人常办〔2020〕1号", 0), ("pressing", "安人常办〔2026〕1号", 0)]
    download = api.get(rows[1]["url"])
    assert download.status_code == 200
    assert download["Content-Type"] == CaseDocument.content_type
    api.force_authenticate(world.court_liaison)
    assert api.get(rows[1]["url"]).status_code == 404
    assert api.get(f"/api/v1/cases/{received_case.pk}/documents/").status_code == 404


def test_the_case_page_lists_the_documents_and_the_draft_offers_its_notice(client, world, received_case, make_case):
    client.force_login(world.liaison)
    page = client.get(reverse("opinions:case_detail", args=[received_case.pk])).content.decode()
    document = received_case.documents.get()
    assert reverse("opinions:document_download", args=[document.pk]) in page
    assert "安人常办〔2020〕1号" in page
    client.force_login(world.court_liaison)
    assert client.get(reverse("opinions:document_download", args=[document.pk])).status_code == 404
    draft = make_case()
    client.force_login(world.staff)
    preview = client.get(reverse("opinions:assignment_preview", args=[draft.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(preview.streaming_content))).paragraphs)
    assert draft.title in text
    client.force_login(world.liaison)
    assert client.get(reverse("opinions:assignment_preview", args=[draft.pk])).status_code == 404


def test_a_letter_lists_a_bounded_number_of_items_and_counts_the_rest(world, make_case, settings):
    from opinions.documents import MAX_ITEMS_IN_LETTER

    count = MAX_ITEMS_IN_LETTER + 3
    case = make_case(items=[{"heading": f"第{n}项", "text": f"正文{n}"} for n in range(1, count + 1)])
    text = text_of(services.case_issue(case=case, actor=world.staff).documents.get())
    assert f"第{MAX_ITEMS_IN_LETTER}项" in text
    assert f"第{MAX_ITEMS_IN_LETTER + 1}项" not in text
    assert "另有3项" in text


def test_the_print_view_unfolds_the_case_without_its_actions(client, world, received_case):
    services.report_submit(case=received_case, actor=world.liaison, kind="final", title="研究处理情况的报告",
                           text="第一段已落实。\n第二段持续推进。")
    client.force_login(world.staff)
    page = client.get(reverse("opinions:case_print", args=[received_case.pk])).content.decode()
    for shown in ("正文一", "正文二", "第二段持续推进。", "安人常办〔2020〕1号"):
        assert shown in page
    assert "data-action=" not in page
    assert "<details" not in page
    client.force_login(world.court_liaison)
    assert client.get(reverse("opinions:case_print", args=[received_case.pk])).status_code == 404


@pytest.mark.signoff
def test_the_api_refuses_to_issue_an_unsigned_draft_with_its_code_and_signs_it_off(world, make_case):
    from rest_framework.test import APIClient

    case = make_case()
    api = APIClient()
    api.force_authenticate(world.staff)
    refused = api.post(f"/api/v1/cases/{case.pk}/issue/", {}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "signoff_required")
    assert api.post(f"/api/v1/cases/{case.pk}/request-signoff/", {}, format="json").json()["signoff_state"] == \
        "requested"
    own = api.post(f"/api/v1/cases/{case.pk}/sign-off/", {"approve": "yes"}, format="json")
    assert own.status_code == 403
    api.force_authenticate(world.office_staff)
    assert api.post(f"/api/v1/cases/{case.pk}/sign-off/", {"approve": "no"}, format="json").status_code == 400
    signed = api.post(f"/api/v1/cases/{case.pk}/sign-off/", {"approve": "yes"}, format="json")
    assert signed.json()["signoff_state"] == "signed"
    api.force_authenticate(world.staff)
    assert api.post(f"/api/v1/cases/{case.pk}/issue/", {}, format="json").json()["status"] == "issued"


def test_a_template_for_a_kind_that_does_not_exist_is_refused(world):
    with pytest.raises(InvalidInput) as refused:
        services.document_template_upload(kind="memo", actor=world.office_staff, file=docx_upload("{{ office }}"))
    assert refused.value.field == "kind"
