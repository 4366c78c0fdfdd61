"""Evidence and report files: checked by content, added only by whoever may still act, downloaded only by who sees
the case."""

import io
import random
import zipfile
from datetime import date
from urllib.parse import quote

import filetype
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from npc_tracker.errors import DomainError, InvalidInput, NotAllowed
from opinions import services
from opinions.forms import ReportForm
from opinions.models import Attachment
from opinions.services.attachments import attachment_add
from opinions.uploads import ACCEPT, check_upload
from tests.files import DOC, PDF, XLS, compound_file

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run"
CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC_TYPE, XLS_TYPE, OFD_TYPE = "application/msword", "application/vnd.ms-excel", "application/ofd"


def zipped(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, CONTENT_TYPES if name == "[Content_Types].xml" else "<xml/>")
    return buffer.getvalue()


# As Word writes them: the content types first, the document among the next entries (what filetype looks at).
DOCX = zipped("[Content_Types].xml", "_rels/.rels", "word/document.xml")
XLSX = zipped("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml")
PLAIN_ZIP = zipped("notes.txt", "photo.txt")
OFD = zipped("OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml")
NOISE = random.Random(16).randbytes(4096)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    # The browser's content type is deliberately wrong: only the content may decide.
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def english(client):
    """The messages are checked in their English wording, whatever the Chinese catalogue says."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def stored_files(media) -> list:
    """The uploads kept; the documents the office issued (the 交办通知 of the issue) are not uploads."""
    return [path for path in media.rglob("*") if path.is_file() and path.parent.name != "documents"]


@pytest.fixture
def shared_case(make_case, world):
    """Item 1 is the lead body's; item 2 is assigned to the co-handling 市发改委."""
    case = make_case(items=[{"heading": "一、稳就业"}, {"heading": "二、扩投资", "responsible_body": world.fgw}])
    case = services.case_issue(case=case, actor=world.staff, issued_date=date(2020, 9, 3))
    return services.case_acknowledge(case=case, actor=world.liaison, received_date=date(2020, 9, 5))


@pytest.fixture
def closed_case(received_case, world):
    services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告", text="正文")
    services.report_accept(case=received_case, actor=world.staff, carry_over_reason="持续整改",
                           next_report_date=date(2026, 12, 31))
    return services.case_close(case=received_case, actor=world.staff)


def post_file(client, case, file, **target):
    return client.post(reverse("opinions:attachment_upload", args=[case.pk]), {"file": file, **target})


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# ---------------------------------------------------------------- upload through the page


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("整改台账.pdf", PDF, "application/pdf"),
    ("整改方案.ofd", OFD, OFD_TYPE),
])
def test_the_liaison_adds_evidence_to_an_item(client, world, received_case, media, name, content, content_type):
    item = received_case.items.get(number=1)
    client.force_login(world.liaison)
    response = post_file(client, received_case, upload(name, content), item=item.pk)
    assert response.status_code == 302
    assert response.url == reverse("opinions:case_detail", args=[received_case.pk]) + "#item-1"
    attachment = Attachment.objects.get()
    assert (attachment.case, attachment.item, attachment.report) == (received_case, item, None)
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.uploaded_by == world.liaison
    assert attachment.file.read() == content
    assert [(h.history_type, h.history_user) for h in attachment.history.all()] == [("+", world.liaison)]
    assert stored_files(media) == [media / attachment.file.name]


def test_a_refused_upload_saves_nothing_and_says_why(client, world, received_case, media):
    client.force_login(world.liaison)
    response = post_file(client, received_case, upload("setup.pdf", EXE), item=received_case.items.first().pk)
    assert response.url == reverse("opinions:case_detail", args=[received_case.pk])
    page = client.get(response.url)
    assert any("“setup.pdf” is not an accepted file type" in text for text in messages_of(page))
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_an_upload_without_a_file_is_refused_with_a_message(client, world, received_case):
    client.force_login(world.liaison)
    response = client.post(reverse("opinions:attachment_upload", args=[received_case.pk]), follow=True)
    assert "Choose a file to upload." in messages_of(response)
    assert not Attachment.objects.exists()


def test_an_item_of_another_case_is_refused(client, world, received_case, make_case):
    other = make_case(title="另一件")
    client.force_login(world.liaison)
    response = post_file(client, received_case, upload("a.pdf", PDF), item=other.items.first().pk)
    assert "That item is not part of this case." in messages_of(client.get(response.url))
    assert not Attachment.objects.exists()


def test_uploading_needs_a_post(client, world, received_case):
    client.force_login(world.liaison)
    assert client.get(reverse("opinions:attachment_upload", args=[received_case.pk])).status_code == 405


def test_a_liaison_of_another_body_gets_404_on_upload_and_download(client, world, received_case):
    attachment = attachment_add(case=received_case, actor=world.liaison, file=upload("a.pdf", PDF),
                                item=received_case.items.first())
    client.force_login(world.court_liaison)
    assert post_file(client, received_case, upload("b.pdf", PDF)).status_code == 404
    assert client.get(reverse("opinions:attachment_download", args=[attachment.pk])).status_code == 404
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("数据.xlsx", XLSX, XLSX_TYPE),
    ("数据.et", XLS, XLS_TYPE),  # WPS's spreadsheet is Excel's format: served as that, under the name it came with
    ("意见.wps", DOC, DOC_TYPE),
    ("意见.ofd", OFD, OFD_TYPE),
])
def test_download_returns_the_same_bytes_as_an_attachment_that_must_not_be_sniffed(client, world, received_case,
                                                                                   name, content, content_type):
    attachment = attachment_add(case=received_case, actor=world.liaison, file=upload(name, content),
                                item=received_case.items.first())
    client.force_login(world.staff)
    response = client.get(reverse("opinions:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]


def test_anonymous_visitors_cannot_download(client, world, received_case):
    attachment = attachment_add(case=received_case, actor=world.staff, file=upload("意见.pdf", PDF))
    response = client.get(reverse("opinions:attachment_download", args=[attachment.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# ---------------------------------------------------------------- checked by content


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("报告.pdf", PDF, "application/pdf"),
    ("报告.docx", DOCX, DOCX_TYPE),
    ("台账.XLSX", XLSX, XLSX_TYPE),
    ("现场.png", PNG, "image/png"),
    ("意见.doc", DOC, DOC_TYPE),
    ("意见.WPS", DOC, DOC_TYPE),
    ("台账.xls", XLS, XLS_TYPE),
    ("台账.et", XLS, XLS_TYPE),
    ("审议意见.ofd", OFD, OFD_TYPE),
])
def test_accepted_files_are_typed_by_their_content(world, received_case, name, content, content_type):
    attachment = attachment_add(case=received_case, actor=world.liaison, file=upload(name, content),
                                item=received_case.items.first())
    assert (attachment.original_name, attachment.content_type, attachment.size) == (name, content_type, len(content))


def test_a_docx_is_recognised_whatever_the_order_of_its_parts(world, received_case):
    # filetype looks only at the first five entries and calls this one a plain ZIP.
    docx = zipped("_rels/.rels", "docProps/app.xml", "docProps/core.xml", "customXml/item1.xml",
                  "customXml/itemProps1.xml", "word/document.xml", "[Content_Types].xml")
    assert filetype.guess_extension(docx) == "zip"
    attachment = attachment_add(case=received_case, actor=world.liaison, file=upload("意见.docx", docx),
                                item=received_case.items.first())
    assert attachment.content_type == DOCX_TYPE


@pytest.mark.parametrize(("extension", "content"), [
    # Its directory takes two sectors, the Word stream in the second: found by following the allocation table.
    ("doc", compound_file("\x01CompObj", "\x05DocumentSummaryInformation", "\x05SummaryInformation", "1Table",
                          "Data", "WordDocument")),
    # A large file's directory, in a sector whose allocation table the header does not list: found through DIFAT.
    ("doc", compound_file("\x05SummaryInformation", "1Table", "Data", "ObjectPool", "WordDocument",
                          directory_at=14_000)),
    ("xls", compound_file("Book")),  # Excel 5's name for the stream
    ("xls", compound_file("Workbook", nested=("WordDocument", "1Table"))),  # a Word object embedded in it
])
def test_a_compound_file_is_typed_by_the_document_stream_at_its_top(extension, content):
    assert check_upload(upload(f"文件.{extension}", content)).extensions[0] == extension


def test_a_word_file_is_word_whatever_follows_its_header():
    # filetype goes by the bytes after the header: here the allocation table, which it takes for a workbook's.
    assert filetype.guess_extension(DOC) == "xls"
    assert check_upload(upload("意见.doc", DOC)).content_type == DOC_TYPE


def test_a_directory_chain_that_loops_is_read_only_so_far():
    looped = bytearray(compound_file("PowerPoint Document"))
    looped[512 + 4:512 + 8] = (1).to_bytes(4, "little")  # the directory's sector (1) is followed by itself
    with pytest.raises(InvalidInput) as exc:
        check_upload(upload("演示.doc", bytes(looped)))
    assert exc.value.message.startswith("“演示.doc” is not an accepted file type")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("setup.pdf", EXE, "“setup.pdf” is not an accepted file type"),
    ("setup.exe", EXE, "“setup.exe” is not an accepted file type"),
    ("archive.docx", PLAIN_ZIP, "“archive.docx” is not an accepted file type"),
    ("报告.docx", PDF, "“报告.docx” contains a PDF file, which does not match its name: rename it to end in .pdf"),
    ("报告", PDF, "“报告” contains a PDF file"),
    ("照片.jpg", PNG, "“照片.jpg” contains a PNG image file"),
    ("空.pdf", b"", "“空.pdf” is empty."),
    ("报告.pdf", DOC, "“报告.pdf” contains a Word (.doc, .wps) file, which does not match its name: rename it to end "
                     "in .doc"),
    ("台账.doc", XLS, "“台账.doc” contains a Excel (.xls, .et) file"),
    ("意见.doc", DOCX, "“意见.doc” contains a Word (.docx) file"),
    ("意见.doc", PLAIN_ZIP, "“意见.doc” is not an accepted file type"),
    ("意见.doc", NOISE, "“意见.doc” is not an accepted file type"),
    ("意见.doc", DOC[:512], "“意见.doc” is not an accepted file type"),  # a compound file's header, nothing more
    ("演示.doc", compound_file("PowerPoint Document", nested=("WordDocument",)),
     "“演示.doc” is not an accepted file type"),  # a presentation, whatever is embedded in it
    ("意见.ofd", zipped("Doc_0/Document.xml"), "“意见.ofd” is not an accepted file type"),
    ("意见.ofd", zipped("Doc_0/OFD.xml", "Doc_0/Document.xml"), "“意见.ofd” is not an accepted file type"),
    ("意见.pdf", OFD, "“意见.pdf” contains a OFD file, which does not match its name: rename it to end in .ofd"),
    ("空.doc", b"", "“空.doc” is empty."),
])
def test_refused_files_are_not_stored(world, received_case, media, name, content, message):
    with pytest.raises(InvalidInput) as exc:
        attachment_add(case=received_case, actor=world.liaison, file=upload(name, content),
                       item=received_case.items.first())
    assert exc.value.field == "file"
    assert exc.value.message.startswith(message)
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(("name", "content", "size"), [
    ("扫描件.pdf", PDF + b"0" * 1024, "1.1\xa0KB"),
    ("意见.doc", DOC, "2.0\xa0KB"),
])
def test_a_file_over_the_size_limit_is_refused(settings, world, received_case, media, name, content, size):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(InvalidInput) as exc:
        attachment_add(case=received_case, actor=world.liaison, file=upload(name, content),
                       item=received_case.items.first())
    assert exc.value.message == f"“{name}” is {size}; a file may be at most 1.0\xa0KB."
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_a_file_at_the_size_limit_is_accepted(settings, world, received_case):
    settings.ATTACHMENT_MAX_BYTES = len(PDF)
    attachment_add(case=received_case, actor=world.liaison, file=upload("a.pdf", PDF),
                   item=received_case.items.first())
    assert Attachment.objects.count() == 1


# ---------------------------------------------------------------- who may add what, when


def test_a_co_handling_liaison_adds_evidence_only_to_their_bodys_items(world, shared_case):
    own, other = shared_case.items.get(number=2), shared_case.items.get(number=1)
    attachment_add(case=shared_case, actor=world.fgw_liaison, file=upload("a.pdf", PDF), item=own)
    with pytest.raises(NotAllowed):
        attachment_add(case=shared_case, actor=world.fgw_liaison, file=upload("b.pdf", PDF), item=other)
    assert list(Attachment.objects.values_list("item", flat=True)) == [own.pk]


def test_the_lead_liaison_adds_evidence_to_any_item(world, shared_case):
    attachment_add(case=shared_case, actor=world.liaison, file=upload("a.pdf", PDF),
                   item=shared_case.items.get(number=2))
    assert Attachment.objects.count() == 1


def test_staff_cannot_add_evidence_to_an_item(world, received_case):
    with pytest.raises(NotAllowed):
        attachment_add(case=received_case, actor=world.staff, file=upload("a.pdf", PDF),
                       item=received_case.items.first())


def test_evidence_waits_until_the_case_is_acknowledged(world, issued_case):
    with pytest.raises(DomainError) as refused:
        attachment_add(case=issued_case, actor=world.liaison, file=upload("a.pdf", PDF),
                       item=issued_case.items.first())
    assert refused.value.code == "wrong_status"  # the case's state refuses it: 409 in the API


def test_evidence_can_follow_a_progress_report(world, received_case):
    item = services.item_report_progress(item=received_case.items.first(), actor=world.liaison,
                                         progress_note="已制定方案")
    attachment = attachment_add(case=received_case, actor=world.liaison, file=upload("方案.docx", DOCX), item=item)
    assert list(received_case.attachments.all()) == [attachment]


def test_nothing_can_be_added_by_the_body_once_the_case_is_closed(client, world, closed_case):
    client.force_login(world.liaison)
    for target in ({"item": closed_case.items.first().pk}, {"report": closed_case.reports.get().pk}, {}):
        response = post_file(client, closed_case, upload("a.pdf", PDF), **target)
        assert response.url == reverse("opinions:case_detail", args=[closed_case.pk])
    assert not Attachment.objects.exists()


def test_staff_add_a_case_file_to_an_issued_case(world, issued_case):
    attachment_add(case=issued_case, actor=world.staff, file=upload("意见书.pdf", PDF))
    assert Attachment.objects.get().item is None


def test_staff_add_a_case_file_even_to_a_closed_case(world, closed_case):
    attachment_add(case=closed_case, actor=world.staff, file=upload("测评结果.pdf", PDF))
    assert Attachment.objects.count() == 1


def test_staff_add_a_case_file_even_before_issue(world, make_case):
    attachment_add(case=make_case(), actor=world.staff, file=upload("意见书.pdf", PDF))
    assert Attachment.objects.count() == 1


def test_no_file_is_added_to_a_withdrawn_case(world, make_case):
    case = services.case_withdraw(case=make_case(), actor=world.staff, reason="重复")
    with pytest.raises(DomainError) as refused:
        attachment_add(case=case, actor=world.staff, file=upload("意见书.pdf", PDF))
    assert refused.value.code == "wrong_status"  # the case's state refuses it: 409 in the API


def test_the_lead_liaison_adds_a_case_file_only_while_handling_the_case(world, issued_case):
    with pytest.raises(DomainError) as refused:
        attachment_add(case=issued_case, actor=world.liaison, file=upload("a.pdf", PDF))
    assert refused.value.code == "wrong_status"  # the case's state refuses it: 409 in the API
    case = services.case_acknowledge(case=issued_case, actor=world.liaison, received_date=date(2020, 9, 5))
    attachment_add(case=case, actor=world.liaison, file=upload("a.pdf", PDF))
    assert Attachment.objects.count() == 1


def test_a_co_handling_liaison_cannot_add_a_case_file(world, received_case):
    with pytest.raises(NotAllowed):
        attachment_add(case=received_case, actor=world.fgw_liaison, file=upload("a.pdf", PDF))


def test_the_liaison_adds_a_file_to_a_report_awaiting_review(client, world, received_case):
    report = services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告", text="正文")
    client.force_login(world.liaison)
    response = post_file(client, received_case, upload("附表.xlsx", XLSX), report=report.pk)
    assert response.url.endswith("#reports")
    assert Attachment.objects.get().report == report


def test_no_file_is_added_to_a_returned_report(world, received_case):
    report = services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告", text="正文")
    services.report_return(case=received_case, actor=world.staff, reason="数据不全")
    with pytest.raises(DomainError) as refused:
        attachment_add(case=received_case, actor=world.liaison, file=upload("a.pdf", PDF), report=report)
    assert refused.value.code == "wrong_status"  # the case's state refuses it: 409 in the API


def test_staff_cannot_add_a_file_to_the_bodys_report(world, received_case):
    report = services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告", text="正文")
    with pytest.raises(NotAllowed):
        attachment_add(case=received_case, actor=world.staff, file=upload("a.pdf", PDF), report=report)


def test_a_file_goes_to_an_item_or_a_report_not_both(world, received_case):
    report = services.report_submit(case=received_case, actor=world.liaison, kind="interim", title="阶段报告",
                                    text="正文")
    with pytest.raises(InvalidInput):
        attachment_add(case=received_case, actor=world.liaison, file=upload("a.pdf", PDF), report=report,
                       item=received_case.items.first())


def test_files_sent_with_a_progress_report_are_checked_too(world, received_case, media):
    with pytest.raises(InvalidInput):
        services.item_report_progress(item=received_case.items.first(), actor=world.liaison, progress_note="进展",
                                      files=[upload("a.pdf", PDF), upload("b.pdf", EXE)])
    assert not Attachment.objects.exists()


def test_the_fragment_lists_files_and_offers_an_upload_form(rf, world, received_case):
    item = received_case.items.first()
    attachment_add(case=received_case, actor=world.liaison, file=upload("整改台账.pdf", PDF + b"0" * 2048), item=item)
    request = rf.get("/")
    request.user = world.liaison
    html = render_to_string("opinions/_attachments.html", {
        "case": received_case, "attachments": received_case.attachments.all(), "upload_target": True,
        "upload_item": item,
    }, request=request)
    attachment = Attachment.objects.get()
    assert f'href="{reverse("opinions:attachment_download", args=[attachment.pk])}">整改台账.pdf</a>' in html
    assert "2.1\xa0KB · liaison · " in html
    assert 'enctype="multipart/form-data"' in html
    assert f'<input type="hidden" name="item" value="{item.pk}">' in html
    assert 'name="report"' not in html
    assert f'accept="{ACCEPT}"' in html
    assert "csrfmiddlewaretoken" in html


def test_file_inputs_offer_every_kind_the_check_takes():
    assert ACCEPT == ".pdf,.ofd,.docx,.doc,.wps,.xlsx,.xls,.et,.png,.jpg,.jpeg,.gif,.webp"
    assert f'accept="{ACCEPT}"' in str(ReportForm()["files"])


def test_the_fragment_without_an_upload_target_only_lists(received_case):
    html = render_to_string("opinions/_attachments.html", {"case": received_case, "attachments": []})
    assert "<form" not in html
