"""What the people on a case are told, and who they are (issue 3, domain.md §3, §7).

A case's events and the rungs of its reminder ladder become messages in the notifications outbox, worded in the
site language when they are written (a message is a record). Recipients are resolved from the memberships in
force when the message is built, so a liaison who replaced another gets everything from then on.
"""

from enum import StrEnum

from django.utils.translation import gettext as _

from notifications.compose import messages_for
from notifications.directory import Directory
from notifications.messages import with_site_language
from notifications.services import save_and_send

from . import rules
from .permissions import co_body_ids
from .workflow import ExtensionApprover, SignoffBy


class Event(StrEnum):
    """What a message is about: its `event` in the outbox, the inbox and the API."""

    CASE_ISSUED = "case_issued"
    CONSULTATION_DRAFT = "consultation_draft"
    CONSULTATION_COMMENTS = "consultation_comments"
    REPORT_SUBMITTED = "report_submitted"
    REPORT_RETURNED = "report_returned"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENSION_DECIDED = "extension_decided"
    EVALUATION_RECORDED = "evaluation_recorded"
    CASE_CLOSED = "case_closed"
    FURTHER_SUPERVISION = "further_supervision"
    DUE_DATE_RECOMPUTED = "due_date_recomputed"
    FOLLOW_UP_REPORTED = "follow_up_reported"
    SIGNOFF_REQUESTED = "signoff_requested"
    SIGNOFF_DECIDED = "signoff_decided"
    CASE_PRESSED = "case_pressed"
    REMINDER_BEFORE = "reminder_before"
    REMINDER_OVERDUE = "reminder_overdue"
    REMINDER_ESCALATION = "reminder_escalation"
    REMINDER_ACK = "reminder_ack"
    REMINDER_ACK_STAFF = "reminder_ack_staff"
    REMINDER_HANDOVER = "reminder_handover"
    REMINDER_TO_MEMBERS = "reminder_to_members"
    REMINDER_FOLLOW_UP = "reminder_follow_up"
    REMINDER_FOLLOW_UP_OVERDUE = "reminder_follow_up_overdue"
    DAILY_DIGEST = "daily_digest"


# Who must act on each event (domain.md §3).
EVENT_AUDIENCE = {
    Event.CASE_ISSUED: "bodies",
    Event.CONSULTATION_DRAFT: "consulted_staff",
    Event.CONSULTATION_COMMENTS: "liaisons",
    Event.REPORT_SUBMITTED: "staff",
    Event.REPORT_RETURNED: "liaisons",
    Event.EXTENSION_REQUESTED: "approvers",
    Event.EXTENSION_DECIDED: "liaisons",
    Event.EVALUATION_RECORDED: "liaisons_and_staff",
    Event.CASE_CLOSED: "liaisons_and_staff",
    Event.FURTHER_SUPERVISION: "liaisons_and_staff",
    Event.DUE_DATE_RECOMPUTED: "bodies",
    Event.FOLLOW_UP_REPORTED: "staff",
    Event.SIGNOFF_REQUESTED: "signers",
    Event.SIGNOFF_DECIDED: "staff",
    Event.CASE_PRESSED: "bodies",
}

EVENT_SUBJECTS = {
    Event.CASE_ISSUED: lambda: _("New case issued to your body: %(title)s"),
    Event.CONSULTATION_DRAFT: lambda: _("Draft report for consultation received: %(title)s"),
    Event.CONSULTATION_COMMENTS: lambda: _("Comments on your draft report: %(title)s"),
    Event.REPORT_SUBMITTED: lambda: _("Report submitted: %(title)s"),
    Event.REPORT_RETURNED: lambda: _("Report returned for revision: %(title)s"),
    Event.EXTENSION_REQUESTED: lambda: _("Extension requested: %(title)s"),
    Event.EXTENSION_DECIDED: lambda: _("Extension decided: %(title)s"),
    Event.EVALUATION_RECORDED: lambda: _("Satisfaction evaluation recorded: %(title)s"),
    Event.CASE_CLOSED: lambda: _("Case closed: %(title)s"),
    Event.FURTHER_SUPERVISION: lambda: _("Leadership decided further supervision: %(title)s"),
    Event.DUE_DATE_RECOMPUTED: lambda: _("Due date recomputed on the official calendar: %(title)s"),
    Event.FOLLOW_UP_REPORTED: lambda: _("Follow-up report on a carried-over item: %(title)s"),
    Event.SIGNOFF_REQUESTED: lambda: _("Draft awaiting your sign-off (审签): %(title)s"),
    Event.SIGNOFF_DECIDED: lambda: _("Sign-off (审签) decided: %(title)s"),
    Event.CASE_PRESSED: lambda: _("Reminder notice (催办通知): %(title)s"),
}


def directory_for_cases(cases) -> Directory:
    """The recipients of a batch of cases: their bodies' liaisons and their committees' staff."""
    body_ids, committee_ids = set(), set()
    for case in cases:
        body_ids.add(case.lead_body_id)
        body_ids.update(co_body_ids(case))
        committee_ids.update({case.supervising_committee_id, case.consulted_committee_id,
                              case.drafting_committee_id} - {None})
    return Directory(body_ids=body_ids, committee_ids=committee_ids)


def case_staff(directory: Directory, case, *, prefer_consulted: bool = False) -> list:
    """The committee that follows the case up; the general office when the case names none."""
    if prefer_consulted:
        return directory.committee_staff(case.consulted_committee_id, case.supervising_committee_id,
                                         case.drafting_committee_id)
    return directory.committee_staff(case.supervising_committee_id, case.consulted_committee_id,
                                     case.drafting_committee_id)


@with_site_language
def event_message(event: Event, case, detail: str = "") -> tuple[str, str]:
    return EVENT_SUBJECTS[event]() % {"title": case.title}, detail


@with_site_language
def reminder_message(step: str, case, for_date=None, items=()) -> tuple[str, str]:
    """A rung's subject and text; `for_date` is the date the rung belongs to (the hand-over deadline), `items` the
    numbers of the carried-over items whose next report is due that day."""
    kind, _sep, days = step.partition(":")
    due = for_date or case.due_date
    due = _("%(date)s (provisional)") % {"date": due} if case.due_provisional and due == case.due_date else due
    values = {"title": case.title, "due": due, "body": case.lead_body.name, "issued": case.issued_date,
              "deadline": for_date, "items": "、".join(str(number) for number in items)}
    if kind in ("follow_up", "follow_up_overdue"):
        subject = (_("Follow-up report due by %(deadline)s: %(title)s") if kind == "follow_up"
                   else _("Follow-up report overdue since %(deadline)s: %(title)s"))
        return (subject % values,
                _("%(body)s must report by %(deadline)s on the carried-over items (持续整改) %(items)s of “%(title)s”.")
                % values)
    if kind == "ack":
        return (_("Please acknowledge receipt: %(title)s") % values,
                _("“%(title)s” was issued to %(body)s on %(issued)s and has not been acknowledged (签收) yet.")
                % values)
    if kind == "ack_staff":
        return (_("Still not acknowledged: %(title)s") % values,
                _("%(body)s has not acknowledged “%(title)s”, issued on %(issued)s: please call its liaison.")
                % values)
    if kind == "to_members":
        values["meeting"] = case.hearing_meeting
        return (_("To the members by %(deadline)s: %(title)s") % values,
                _("%(meeting)s hears the report on “%(title)s”: it must reach the members by %(deadline)s, ten days "
                  "before the session (监督法).") % values)
    if kind == "handover":
        return (_("To be issued by %(deadline)s: %(title)s") % values,
                _("The opinion “%(title)s” is still a draft; the rule set has it issued (交办) by %(deadline)s.")
                % values)
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


def reminder_event(step: str) -> Event:
    return Event(f"reminder_{step.partition(':')[0]}")


def notify_event(case, event: Event, *, actor, ref: str, detail: str = "", at=None) -> None:
    """Tell the people who must act on this event; never the actor. In the caller's transaction."""
    directory = directory_for_cases([case])
    liaisons = directory.body_liaisons(case.lead_body_id)
    users = {
        "bodies": lambda: directory.body_liaisons(case.lead_body_id, *co_body_ids(case)),
        "liaisons": lambda: liaisons,
        "staff": lambda: case_staff(directory, case),
        "consulted_staff": lambda: case_staff(directory, case, prefer_consulted=True),
        "approvers": lambda: (directory.leadership()
                              if rules.extension_approver_for(case) == ExtensionApprover.LEADER
                              else case_staff(directory, case)),
        "liaisons_and_staff": lambda: liaisons + case_staff(directory, case),
        "signers": lambda: (directory.leadership() if rules.signoff_by_for(case) == SignoffBy.LEADER
                            else directory.office_staff()),
    }[EVENT_AUDIENCE[event]]()
    subject, body = event_message(event, case, detail)
    recipients = [user for user in users if user != actor]
    save_and_send(messages_for(recipients, key=f"e:{event}:{case.pk}:{ref}", event=event, subject=subject,
                               body=body, case=case, directory=directory, at=at))
