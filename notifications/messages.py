"""The words of each notification, written in the site language when the message is created (it is a record)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


def _with_site_language(build):
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return build(*args, **kwargs)
    return wrapper


@_with_site_language
def reminder_message(step: str, case) -> tuple[str, str]:
    kind, _sep, days = step.partition(":")
    values = {"title": case.title, "due": case.due_date, "body": case.lead_body.name}
    if kind == "before" and days == "0":
        subject = _("Due today: %(title)s") % values
    elif kind == "before":
        values["days"] = int(days)
        subject = _("%(days)s days left: %(title)s") % values
    elif kind == "overdue":
        subject = _("Reminder notice (催办通知): %(title)s is overdue") % values
    else:
        subject = _("Circulated as overdue (通报): %(title)s") % values
    body = _("%(body)s must submit its written report on “%(title)s” by %(due)s.") % values
    return subject, body


EVENT_SUBJECTS = {
    "case_issued": lambda: _("New case issued to your body: %(title)s"),
    "consultation_draft": lambda: _("Draft report for consultation received: %(title)s"),
    "consultation_comments": lambda: _("Comments on your draft report: %(title)s"),
    "report_submitted": lambda: _("Report submitted: %(title)s"),
    "report_returned": lambda: _("Report returned for revision: %(title)s"),
    "extension_requested": lambda: _("Extension requested: %(title)s"),
    "extension_decided": lambda: _("Extension decided: %(title)s"),
    "evaluation_recorded": lambda: _("Satisfaction evaluation recorded: %(title)s"),
    "case_closed": lambda: _("Case closed: %(title)s"),
    "further_supervision": lambda: _("Leadership decided further supervision: %(title)s"),
    "channel_disabled": lambda: _("A notification channel was disabled: %(title)s"),
}


@_with_site_language
def event_message(event: str, case, detail: str = "") -> tuple[str, str]:
    subject = EVENT_SUBJECTS[event]() % {"title": case.title if case else ""}
    return subject, detail
