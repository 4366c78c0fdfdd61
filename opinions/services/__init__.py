"""Every write to a case and to the registers around it goes through here (design.md rules 1, 2, 8), one module
per part of the work; `services.case_issue(...)` reads the same from the pages, the API, the admin and the tasks.
What the modules share (saving with history, locking, refusing) is in common.py, the workflow step in
transitions.py."""

from .attachments import attach_files, attachment_add
from .audit import (
    ListedProblem,
    audit_problem_confirm_repeat,
    audit_problem_report,
    audit_problems_save,
    audit_report_attach,
    audit_report_text_save,
)
from .calendar_days import calendar_day_update, calendar_enter_year
from .documents import (
    case_press,
    case_request_signoff,
    case_send_supervision_letter,
    case_sign_off,
    doc_number_next,
    document_template_upload,
    evaluation_notice_keep,
    extension_reply_keep,
)
from .drafts import (
    DRAFT_FIELDS,
    ITEM_FIELDS,
    case_create,
    case_update_draft,
    draft_items_set,
    draft_save,
    item_add,
    item_update_draft,
)
from .evaluations import evaluation_outcome, evaluation_outlook, evaluation_record
from .extensions import extension_decide, extension_decide_pending, extension_request
from .items import (
    item_carry_over,
    item_mark_done,
    item_report_follow_up,
    item_report_progress,
    item_send_back,
    item_verify,
)
from .lifecycle import (
    case_acknowledge,
    case_close,
    case_decide_further_supervision,
    case_issue,
    case_publish,
    case_reopen,
    case_unpublish,
    case_withdraw,
)
from .meetings import heard_report_add, heard_report_update, meeting_create, meeting_update
from .reports import consultation_comment, report_accept, report_return, report_submit
from .rule_sets import RULE_SET_FIELDS, rule_set_update

__all__ = [
    "DRAFT_FIELDS",
    "ITEM_FIELDS",
    "RULE_SET_FIELDS",
    "ListedProblem",
    "attach_files",
    "attachment_add",
    "audit_problem_confirm_repeat",
    "audit_problem_report",
    "audit_problems_save",
    "audit_report_attach",
    "audit_report_text_save",
    "calendar_day_update",
    "calendar_enter_year",
    "case_acknowledge",
    "case_close",
    "case_create",
    "case_decide_further_supervision",
    "case_issue",
    "case_press",
    "case_publish",
    "case_reopen",
    "case_request_signoff",
    "case_send_supervision_letter",
    "case_sign_off",
    "case_unpublish",
    "case_update_draft",
    "case_withdraw",
    "consultation_comment",
    "doc_number_next",
    "document_template_upload",
    "draft_items_set",
    "draft_save",
    "evaluation_notice_keep",
    "evaluation_outcome",
    "evaluation_outlook",
    "evaluation_record",
    "extension_decide",
    "extension_decide_pending",
    "extension_reply_keep",
    "extension_request",
    "heard_report_add",
    "heard_report_update",
    "item_add",
    "item_carry_over",
    "item_mark_done",
    "item_report_follow_up",
    "item_report_progress",
    "item_send_back",
    "item_update_draft",
    "item_verify",
    "meeting_create",
    "meeting_update",
    "report_accept",
    "report_return",
    "report_submit",
    "rule_set_update",
]
