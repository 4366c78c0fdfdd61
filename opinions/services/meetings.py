"""Writes to the register of meetings (届, 次, dates) and the reports heard at them (design.md rules 1, 8).

Committee staff keep this register; a case later points at the meeting and the report its opinion answers.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from npc_tracker.errors import InvalidInput, NotAllowed

from ..models import HeardReport, Meeting
from ..permissions import can_create_cases
from ..tracking import save_tracked
from .common import reject_unknown, required_text

MEETING_FIELDS = {"kind", "term", "session", "start_date", "end_date", "note", "members", "present"}
HEARD_REPORT_FIELDS = {"order", "title", "reporter_name", "reporter_position", "body", "committee"}
# Meeting.title() writes 届 and 次 in Chinese numerals, which it spells up to 999.
LARGEST_NUMBER = 999


def _require_staff(actor) -> None:
    if not can_create_cases(actor):
        raise NotAllowed(_("Only committee staff can register meetings and the reports heard at them."))


def _save_unique(obj, *, actor, reason: str, duplicate: InvalidInput) -> None:
    """Save, turning a unique-constraint clash into `duplicate`. The savepoint keeps the caller's transaction
    usable, and the database (not a prior lookup) decides, so two staff registering at once cannot both win."""
    try:
        with transaction.atomic():
            save_tracked(obj, actor=actor, reason=reason)
    except IntegrityError as exc:
        raise duplicate from exc


def _validate_meeting(meeting: Meeting) -> None:
    for name, message in (("term", _("The term (届) must be a number from 1 to 999.")),
                          ("session", _("The session (次) must be a number from 1 to 999."))):
        value = getattr(meeting, name)
        if value is None or not 1 <= value <= LARGEST_NUMBER:
            raise InvalidInput(message, field=name)
    if meeting.start_date is None:
        raise InvalidInput(_("A meeting needs a start date."), field="start_date")
    if meeting.end_date is not None and meeting.end_date < meeting.start_date:
        raise InvalidInput(_("A meeting cannot end before it starts."), field="end_date")
    # Attendance may be entered later; a meeting without a quorum is recorded as it was (its vote is refused).
    if meeting.members is not None and not 1 <= meeting.members <= LARGEST_NUMBER:
        raise InvalidInput(_("The number of members (组成人员) must be from 1 to 999."), field="members")
    if meeting.present is not None and not 0 <= meeting.present <= LARGEST_NUMBER:
        raise InvalidInput(_("The number of members present must be from 0 to 999."), field="present")
    if meeting.members is not None and meeting.present is not None and meeting.present > meeting.members:
        raise InvalidInput(_("More members present (%(present)d) than members (%(members)d).")
                           % {"present": meeting.present, "members": meeting.members}, field="present")


def _save_meeting(meeting: Meeting, *, actor, reason: str) -> Meeting:
    _validate_meeting(meeting)
    _save_unique(meeting, actor=actor, reason=reason, duplicate=InvalidInput(
        _("This meeting is already registered: %(meeting)s.") % {"meeting": meeting.title()}, field="session"))
    return meeting


@transaction.atomic
def meeting_create(*, actor, **fields) -> Meeting:
    _require_staff(actor)
    reject_unknown(fields, MEETING_FIELDS)
    return _save_meeting(Meeting(**fields), actor=actor, reason=_("Meeting registered"))


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor, **fields) -> Meeting:
    _require_staff(actor)
    reject_unknown(fields, MEETING_FIELDS)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    for name, value in fields.items():
        setattr(meeting, name, value)
    return _save_meeting(meeting, actor=actor, reason=_("Meeting edited"))


def _save_heard_report(report: HeardReport, *, actor, reason: str) -> HeardReport:
    report.title = required_text(report.title, "title", _("A heard report needs a title."))
    if report.order is None or report.order < 1:
        raise InvalidInput(_("The agenda order must be 1 or more."), field="order")
    _save_unique(report, actor=actor, reason=reason, duplicate=InvalidInput(
        _("This meeting already has a report with this title."), field="title"))
    return report


@transaction.atomic
def heard_report_add(*, meeting: Meeting, actor, **fields) -> HeardReport:
    """Add a report to the agenda; without an `order` it goes after the last one."""
    _require_staff(actor)
    reject_unknown(fields, HEARD_REPORT_FIELDS)
    # The meeting's row lock serializes additions, so two reports added at once do not take the same place.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    report = HeardReport(meeting=meeting, **fields)
    if report.order is None:
        last = meeting.heard_reports.order_by("-order").values_list("order", flat=True).first() or 0
        report.order = last + 1
    return _save_heard_report(report, actor=actor, reason=_("Heard report added"))


@transaction.atomic
def heard_report_update(*, report: HeardReport, actor, **fields) -> HeardReport:
    _require_staff(actor)
    reject_unknown(fields, HEARD_REPORT_FIELDS)
    report = HeardReport.objects.select_for_update().get(pk=report.pk)
    for name, value in fields.items():
        setattr(report, name, value)
    return _save_heard_report(report, actor=actor, reason=_("Heard report edited"))
