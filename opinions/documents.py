"""The documents the office sends out on a case (交办通知, 催办通知, 督办函, 延期批复, 满意度测评结果通知): Word files
rendered from a template with placeholders (docxtpl), the built-in one or one an administrator uploaded.

Every template is rendered in Jinja's sandbox with strict undefined values: a template is a file someone uploaded,
so it may read the values given to it and nothing else, and a placeholder the context does not have is refused when
the template is uploaded, by its name, instead of printing an empty gap in a letter that goes out.
"""

import functools
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from npc_tracker.errors import InvalidInput

from .choices import DocumentKind, ExtensionDecision
from .models import Case, DocumentTemplate, Evaluation, Extension

# A letter lists at most this many of the opinion's items (an audit case may hold thousands of problems): the rest
# are counted, and the ledger lists them.
MAX_ITEMS_IN_LETTER = 200
# A letter is a few pages: a larger upload is not a template.
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
# Parts of a .docx that are read as text when a template is checked, and their total size once unpacked.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


def office_name() -> str:
    return settings.NPC_OFFICE_NAME


def number_prefix() -> str:
    return settings.DOCUMENT_NUMBER_PREFIX


def format_number(prefix: str, year: int, number: int) -> str:
    """安人常办〔2026〕12号: the official form of a 文号 (GB/T 9704), with the hexagonal brackets."""
    return f"{prefix}〔{year}〕{number}号"


def chinese_date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- what each kind of document may say ----------------------------------------------------------------------------

COMMON = ("office", "number", "date", "title", "case", "note")
EXTRA = {
    DocumentKind.ASSIGNMENT: (),
    DocumentKind.PRESSING: ("days_overdue",),
    DocumentKind.SUPERVISION: ("days_overdue", "escalated_on"),
    DocumentKind.EXTENSION_REPLY: ("extension",),
    DocumentKind.EVALUATION_RESULT: ("evaluation",),
}
TITLES = {
    DocumentKind.ASSIGNMENT: "关于交办《{title}》的通知",
    DocumentKind.PRESSING: "关于催办《{title}》研究处理情况的通知",
    DocumentKind.SUPERVISION: "关于督促办理《{title}》的函",
    DocumentKind.EXTENSION_REPLY: "关于《{title}》延期办理申请的批复",
    DocumentKind.EVALUATION_RESULT: "关于《{title}》研究处理情况满意度测评结果的通知",
}


def placeholders(kind: str) -> tuple[str, ...]:
    return COMMON + EXTRA[DocumentKind(kind)]


@dataclass(frozen=True)
class Letter:
    """What one document says, before it has a template: its kind, its number and date, and its subject's facts."""

    kind: str
    case: Case
    number: str
    issued_on: date
    note: str = ""
    extension: Extension | None = None
    evaluation: Evaluation | None = None


def context_for(letter: Letter) -> dict:
    """Plain values only (strings, numbers, lists, dicts): the sandbox gives a template nothing else to reach."""
    case = letter.case
    listed = list(case.items.order_by("number")[:MAX_ITEMS_IN_LETTER + 1])
    items = [{"number": item.number, "heading": item.heading, "paragraphs": paragraphs(item.text)}
             for item in listed[:MAX_ITEMS_IN_LETTER]]
    more = case.items.count() - MAX_ITEMS_IN_LETTER if len(listed) > MAX_ITEMS_IN_LETTER else 0
    context = {
        "office": office_name(),
        "number": letter.number or _("(not numbered yet)"),
        "date": chinese_date(letter.issued_on),
        "title": TITLES[DocumentKind(letter.kind)].format(title=case.title),
        "note": letter.note,
        "case": {
            "title": case.title,
            "kind": case.get_kind_display(),
            "doc_number": case.doc_number,
            "meeting": str(case.meeting) if case.meeting_id else "",
            "report_heard": case.source_report_title,
            "body": case.lead_body.name,
            "co_bodies": "、".join(body.name for body in case.co_bodies.all()),
            "committee": str(case.supervising_committee or ""),
            "issued_on": chinese_date(case.issued_date),
            "due_date": chinese_date(case.due_date),
            "deadline_quote": case.deadline_quote,
            "report_type": case.get_report_type_display() if case.report_type else "",
            "opinion": paragraphs(case.opinion_text),
            "opinion_items": items,  # not "items": a template reads that as the dict's own method
            "more_items": more,
        },
    }
    kind = DocumentKind(letter.kind)
    if kind in (DocumentKind.PRESSING, DocumentKind.SUPERVISION):
        overdue = case.days_past_due(letter.issued_on)
        context["days_overdue"] = max(overdue or 0, 0)
    if kind is DocumentKind.SUPERVISION:
        context["escalated_on"] = chinese_date(case.escalated_on)
    if kind is DocumentKind.EXTENSION_REPLY:
        extension = letter.extension
        context["extension"] = {
            "requested_date": chinese_date(extension.requested_date),
            "reason": extension.reason,
            "decision": extension.get_decision_display(),
            "granted": extension.decision == ExtensionDecision.APPROVED,
            "comment": extension.decision_comment,
            "previous_due_date": chinese_date(extension.previous_due_date),
        }
    if kind is DocumentKind.EVALUATION_RESULT:
        evaluation = letter.evaluation
        context["evaluation"] = {
            "meeting": str(evaluation.meeting or ""),
            "entitled": evaluation.entitled_to_vote,
            "satisfied": evaluation.satisfied,
            "basically_satisfied": evaluation.basically_satisfied,
            "dissatisfied": evaluation.dissatisfied,
            "result": evaluation.get_result_display(),
            "follow_up": paragraphs(evaluation.follow_up),
        }
    return context


def sample_context(kind: str) -> dict:
    """Every value a template of this kind may use, filled in, for checking an uploaded template by rendering it."""
    item = {"number": 1, "heading": "一、示例", "paragraphs": ["示例"]}
    context = {
        "office": office_name(), "number": format_number(number_prefix(), 2026, 1), "date": "2026年1月1日",
        "title": "示例", "note": "示例",
        "case": {key: "示例" for key in ("title", "kind", "doc_number", "meeting", "report_heard", "body",
                                         "co_bodies", "committee", "issued_on", "due_date", "deadline_quote",
                                         "report_type")} | {"opinion": ["示例"], "opinion_items": [item],
                                                            "more_items": 0},
        "days_overdue": 1, "escalated_on": "2026年1月1日",
        "extension": {"requested_date": "2026年1月1日", "reason": "示例", "decision": "示例", "granted": True,
                      "comment": "示例", "previous_due_date": "2026年1月1日"},
        "evaluation": {"meeting": "示例", "entitled": 40, "satisfied": 30, "basically_satisfied": 5,
                       "dissatisfied": 1, "result": "示例", "follow_up": ["示例"]},
    }
    return {key: context[key] for key in placeholders(kind)}


# --- templates -----------------------------------------------------------------------------------------------------


class _LetterEnvironment(SandboxedEnvironment):
    """Compiles each part of a template once: docxtpl hands over the same source at every rendering of the same
    template, and compiling it cost a third of a letter's time."""

    def from_string(self, source, globals=None, template_class=None):
        if globals is None and template_class is None:
            return _compiled(source)
        return super().from_string(source, globals, template_class)


_ENVIRONMENT = _LetterEnvironment(undefined=StrictUndefined, autoescape=True)


@functools.lru_cache(maxsize=32)  # a few templates in force, a handful of parts each
def _compiled(source: str):
    return SandboxedEnvironment.from_string(_ENVIRONMENT, source)


def template_in_force(kind: str) -> DocumentTemplate | None:
    """The administrator's latest template for the kind; None: the built-in one."""
    return DocumentTemplate.objects.filter(kind=kind).order_by("-version").first()


def check_template(kind: str, file) -> None:
    """Refuse a file that cannot serve as this kind's template, saying why: not a Word document, a placeholder it
    does not know (by name), or a placeholder it cannot fill (a field a value does not have)."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_TEMPLATE_BYTES:
        raise InvalidInput(_("A template may be at most 5 MB."), field="file")
    data = file.read()
    file.seek(0)
    if not _is_docx(data):
        raise InvalidInput(_("A template must be a Word document (.docx)."), field="file")
    try:
        template = DocxTemplate(io.BytesIO(data))
        unknown = sorted(template.get_undeclared_template_variables(jinja_env=_ENVIRONMENT)
                         - set(placeholders(kind)))
    except TemplateError as exc:
        raise InvalidInput(_("The template cannot be read: %(error)s") % {"error": exc.message}, field="file") from exc
    if unknown:
        raise InvalidInput(_("The template uses a placeholder this document does not have: %(names)s. It may use: "
                             "%(allowed)s.") % {"names": "、".join(unknown), "allowed": "、".join(placeholders(kind))},
                           field="file")
    try:
        _render(io.BytesIO(data), sample_context(kind))
    except UndefinedError as exc:
        raise InvalidInput(_("The template uses a placeholder this document does not have: %(names)s.")
                           % {"names": _undefined_name(exc)}, field="file") from exc
    except TemplateError as exc:
        raise InvalidInput(_("The template cannot be read: %(error)s") % {"error": exc.message}, field="file") from exc


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return False
    return "word/document.xml" in names and unpacked <= MAX_UNPACKED_BYTES


def _undefined_name(exc: UndefinedError) -> str:
    # Jinja says "'dict object' has no attribute 'x'" or "'x' is undefined".
    found = re.findall(r"'([^']+)'", exc.message or "")
    return found[-1] if found else str(exc.message)


def _render(source, context: dict) -> io.BytesIO:
    template = DocxTemplate(source)
    template.render(context, jinja_env=_ENVIRONMENT, autoescape=True)
    output = io.BytesIO()
    template.save(output)
    output.seek(0)
    return output


def render(letter: Letter, template: DocumentTemplate | None) -> io.BytesIO:
    """The document as a .docx, from the given template (None: the built-in one)."""
    if template is None:
        source = builtin_template(letter.kind)
    else:
        with template.file.open("rb") as stored:
            source = io.BytesIO(stored.read())
    return _render(source, context_for(letter))


# --- the built-in templates ----------------------------------------------------------------------------------------
# Written with python-docx rather than kept as binary files: they are the starting point an administrator downloads,
# edits in Word and uploads again, and they stay readable in review.

BODY_TEXT = {
    DocumentKind.ASSIGNMENT: [
        "{{ case.body }}：",
        "现将《{{ case.title }}》交你单位研究处理。请认真研究，逐条落实，并于{{ case.due_date }}前将研究处理情况"
        "书面报告{{ case.committee }}。",
        "{% if case.deadline_quote %}办理要求：{{ case.deadline_quote }}{% endif %}",
    ],
    DocumentKind.PRESSING: [
        "{{ case.body }}：",
        "《{{ case.title }}》于{{ case.issued_on }}交你单位研究处理，应于{{ case.due_date }}前书面报告研究处理情况。"
        "{% if days_overdue %}目前已逾期{{ days_overdue }}天，{% endif %}请抓紧办理，尽快报送书面报告。",
        "{{ note }}",
    ],
    DocumentKind.SUPERVISION: [
        "{{ case.body }}：",
        "《{{ case.title }}》应于{{ case.due_date }}前书面报告研究处理情况，至今已逾期{{ days_overdue }}天，"
        "{% if escalated_on %}已于{{ escalated_on }}予以通报。{% endif %}请你单位主要负责同志亲自督办，"
        "限期报送书面报告，并说明逾期原因。",
        "{{ note }}",
    ],
    DocumentKind.EXTENSION_REPLY: [
        "{{ case.body }}：",
        "你单位关于《{{ case.title }}》延期至{{ extension.requested_date }}办理的申请收悉。"
        "{% if extension.granted %}经研究，同意延期，请于{{ extension.requested_date }}前书面报告研究处理情况。"
        "{% else %}经研究，不同意延期，请于{{ extension.previous_due_date }}前书面报告研究处理情况。{% endif %}",
        "{{ extension.comment }}",
    ],
    DocumentKind.EVALUATION_RESULT: [
        "{{ case.body }}：",
        "{{ evaluation.meeting }}对你单位关于《{{ case.title }}》研究处理情况的报告进行了满意度测评。"
        "应参加测评{{ evaluation.entitled }}人，满意{{ evaluation.satisfied }}票，"
        "基本满意{{ evaluation.basically_satisfied }}票，不满意{{ evaluation.dissatisfied }}票，"
        "测评结果为{{ evaluation.result }}。",
    ],
}


def builtin_template(kind: str) -> io.BytesIO:
    return io.BytesIO(_builtin_template_bytes(DocumentKind(kind)))


@functools.cache
def _builtin_template_bytes(kind: DocumentKind) -> bytes:
    """Built once per process: the same code gives the same file, and building it costs as much as a rendering."""
    document = Document()
    heading = document.add_paragraph("{{ office }}")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("{{ number }}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("{{ title }}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in BODY_TEXT[kind]:
        document.add_paragraph(text)
    if kind is DocumentKind.ASSIGNMENT:
        # The opinion's numbered items when it has them, else its full text.
        for text in ("附：{{ case.title }}", "{%p if case.opinion_items %}", "{%p for item in case.opinion_items %}",
                     "{{ item.heading }}", "{%p for paragraph in item.paragraphs %}", "{{ paragraph }}",
                     "{%p endfor %}", "{%p endfor %}",
                     "{%p if case.more_items %}", "另有{{ case.more_items }}项，详见清单。", "{%p endif %}",
                     "{%p else %}", "{%p for paragraph in case.opinion %}",
                     "{{ paragraph }}", "{%p endfor %}", "{%p endif %}"):
            document.add_paragraph(text)
    if kind is DocumentKind.EVALUATION_RESULT:
        document.add_paragraph("{%p for paragraph in evaluation.follow_up %}")
        document.add_paragraph("{{ paragraph }}")
        document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{{ office }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("{{ date }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
