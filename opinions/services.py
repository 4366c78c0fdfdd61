"""Every write to a case goes through here (design.md rules 1, 2, 8).

Each service: keyword-only arguments, the acting user as `actor`, one transaction, the case row locked, the
workflow table asked, the change and its history (actor + reason) written together. Refusals are DomainErrors.
`at` lets staff record an event that happened earlier on paper (and the demo loader replay real dates); it
defaults to now.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.selectors import user_scope
from notifications import services as notifications
from npc_tracker.errors import DomainError, InvalidInput, NotAllowed

from . import deadlines, rules, textdiff, voting, workflow
from .choices import CalendarSource, ExtensionDecision, FurtherSupervision, ReportKind, ReviewOutcome
from .errors import from_transition_refused
from .models import CalendarDay, Case, CaseItem, Evaluation, Extension, Meeting, Report, RuleSet
from .permissions import can_create_cases, case_roles, item_roles
from .workflow import Action, CaseStatus, ItemAction

DRAFT_FIELDS = {
    "kind", "title", "doc_number", "meeting", "source_report_title", "reporter_name", "reporter_position",
    "lead_body", "drafting_committee", "supervising_committee", "consulted_committee", "deadline_rule",
    "deadline_rule_reason", "deadline_quote", "report_type", "opinion_text", "source_note", "external_ref",
}
ITEM_FIELDS = {"number", "kind", "heading", "text", "responsible_body", "amount"}


# ---------------------------------------------------------------- helpers


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _local_date(at: datetime | None) -> date:
    return timezone.localdate(_now(at))


def _save(obj, *, actor, reason: str, at: datetime | None = None, fields=None):
    """Save with history attributed to the actor and the reason (simple-history reads these attributes)."""
    obj._history_user = actor
    obj._change_reason = reason
    if at is not None:
        obj._history_date = at
    if fields is not None and obj.pk:
        obj.save(update_fields=fields)
    else:
        obj.save()


def _locked(case: Case) -> Case:
    """Re-read the case under a row lock so concurrent transitions serialize on it."""
    return Case.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=case.pk)


def _require(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(message, field=field)
    return text


def _check_amount(fields: dict) -> None:
    if (fields.get("amount") or 0) < 0:
        raise InvalidInput(_("An amount cannot be negative."), field="amount")


def _rectified(item: CaseItem, amount) -> dict:
    """The item's new rectified amount, if one is given: only against an amount involved, and never above it."""
    if amount is None:
        return {}
    if item.amount is None:
        raise InvalidInput(_("This item has no amount involved, so no amount can be rectified."),
                           field="rectified_amount")
    if not 0 <= amount <= item.amount:
        raise InvalidInput(_("The amount rectified must be between 0 and the amount involved (%(amount)s).")
                           % {"amount": item.amount}, field="rectified_amount")
    return {"rectified_amount": amount}


def _check(case: Case, action: Action, actor) -> CaseStatus:
    items = case.items.values_list("status", flat=True) if action in workflow.CLOSING_ACTIONS else ()
    try:
        return workflow.check(
            action, case.status, case_roles(actor, case),
            extension_approver=rules.extension_approver_for(case), item_statuses=list(items),
        )
    except workflow.TransitionRefused as exc:
        raise from_transition_refused(exc) from exc


ACTION_EVENTS = {
    Action.ISSUE: "case_issued",
    Action.SUBMIT_CONSULTATION_DRAFT: "consultation_draft",
    Action.COMMENT_CONSULTATION: "consultation_comments",
    Action.SUBMIT_INTERIM_REPORT: "report_submitted",
    Action.SUBMIT_REPORT: "report_submitted",
    Action.RETURN_REPORT: "report_returned",
    Action.EVALUATE_SATISFIED: "evaluation_recorded",
    Action.EVALUATE_BASICALLY_SATISFIED: "evaluation_recorded",
    Action.EVALUATE_DISSATISFIED: "evaluation_recorded",
    Action.CLOSE: "case_closed",
    Action.PROPOSE_ESCALATION: "further_supervision",
}


def _transition(case: Case, action: Action, *, actor, reason: str, at=None, **changes) -> Case:
    case.status = _check(case, action, actor)
    for name, value in changes.items():
        setattr(case, name, value)
    _save(case, actor=actor, reason=reason, at=at)
    _after_change(case, ACTION_EVENTS.get(action), actor=actor, detail=reason, at=at)
    return case


def _after_change(case: Case, event: str | None, *, actor, detail: str = "", at=None) -> None:
    """In the same transaction: re-plan the reminders and tell the people who must act (issue 3)."""
    notifications.replan_reminders(case)
    if event:
        ref = case.history.order_by("-history_id").values_list("history_id", flat=True).first()
        notifications.notify_event(case, event, actor=actor, ref=f"h{ref}", detail=detail, at=at)


def _apply_due(case: Case, due: deadlines.DueDate | None) -> None:
    if due is None:
        case.due_date = case.original_due_date = case.due_basis = None
        return
    case.due_date = due.due
    case.original_due_date = due.original_due
    case.due_basis = due.to_dict()


def _compute_due(case: Case, anchor_event: str, anchor_date: date) -> deadlines.DueDate | None:
    if not case.deadline_rule:
        return None
    return rules.compute_due(case.deadline_rule, case_kind=case.kind, anchor_event=anchor_event,
                             anchor_date=anchor_date)


def _validate_deadline_rule(kind: str, rule_text: str, reason: str) -> None:
    if rule_text:
        try:
            deadlines.Rule.parse(rule_text)
        except deadlines.RuleSyntaxError as exc:
            raise InvalidInput(str(exc), field="deadline_rule", code="rule_syntax") from exc
    default = rules.default_rule_text(kind)
    if rule_text != default and not (reason or "").strip():
        raise InvalidInput(
            _("The deadline rule differs from the rule set (%(default)s): state the reason, e.g. the time limit "
              "written in the opinion.") % {"default": default or _("none")},
            field="deadline_rule_reason",
        )


# ---------------------------------------------------------------- drafts


@transaction.atomic
def case_create(*, actor, items=(), co_bodies=(), reason: str = "", at=None, **fields) -> Case:
    """Create a draft (起草). `items` is a list of dicts with number/heading/text/kind/responsible_body."""
    if not can_create_cases(actor):
        raise NotAllowed(_("Only committee staff can create cases."))
    unknown = set(fields) - DRAFT_FIELDS
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    fields.setdefault("deadline_rule", rules.default_rule_text(fields.get("kind", "")))
    _require(fields.get("title", ""), "title", _("A case needs a title."))
    if not fields.get("lead_body"):
        raise InvalidInput(_("A case needs a lead body."), field="lead_body")
    _validate_deadline_rule(fields.get("kind", ""), fields["deadline_rule"], fields.get("deadline_rule_reason", ""))
    case = Case(created_by=actor, status=CaseStatus.DRAFT, **fields)
    _save(case, actor=actor, reason=reason or _("Draft created"), at=at)
    if co_bodies:
        case.co_bodies.set(co_bodies)
    for number, item in enumerate(items, start=1):
        _check_amount(item)
        _save(CaseItem(case=case, **{"number": number, **item}), actor=actor, reason=reason or _("Draft created"),
              at=at)
    return case


@transaction.atomic
def case_update_draft(*, case: Case, actor, reason: str = "", co_bodies=None, **fields) -> Case:
    case = _locked(case)
    _check(case, Action.EDIT_DRAFT, actor)
    unknown = set(fields) - DRAFT_FIELDS
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(case, name, value)
    _require(case.title, "title", _("A case needs a title."))
    _validate_deadline_rule(case.kind, case.deadline_rule, case.deadline_rule_reason)
    _save(case, actor=actor, reason=reason or _("Draft edited"))
    if co_bodies is not None:
        case.co_bodies.set(co_bodies)
    return case


@transaction.atomic
def item_add(*, case: Case, actor, heading: str, reason: str = "", **fields) -> CaseItem:
    case = _locked(case)
    _check(case, Action.EDIT_DRAFT, actor)
    if set(fields) - ITEM_FIELDS:
        raise InvalidInput(_("Unknown item fields."))
    _require(heading, "heading", _("An item needs a heading."))
    _check_amount(fields)
    last = case.items.order_by("-number").values_list("number", flat=True).first() or 0
    item = CaseItem(case=case, heading=heading.strip(), **{"number": last + 1, **fields})
    _save(item, actor=actor, reason=reason or _("Item added"))
    return item


@transaction.atomic
def item_update_draft(*, item: CaseItem, actor, reason: str = "", **fields) -> CaseItem:
    _check(_locked(item.case), Action.EDIT_DRAFT, actor)
    item = CaseItem.objects.select_for_update().get(pk=item.pk)
    if set(fields) - (ITEM_FIELDS - {"number"}):
        raise InvalidInput(_("Unknown item fields."))
    _check_amount(fields)
    for name, value in fields.items():
        setattr(item, name, value)
    _require(item.heading, "heading", _("An item needs a heading."))
    _save(item, actor=actor, reason=reason or _("Item edited"))
    return item


@transaction.atomic
def draft_items_set(*, case: Case, actor, items: list[dict]) -> list[CaseItem]:
    """The draft's items as the list gives them: in that order, numbered from 1; rows with a `pk` are edited,
    rows without one added, and items missing from the list removed (a draft is not yet on record)."""
    case = _locked(case)
    _check(case, Action.EDIT_DRAFT, actor)
    existing = {item.pk: item for item in case.items.select_for_update()}
    kept = {row["pk"] for row in items if row.get("pk")}
    if kept - set(existing):
        raise InvalidInput(_("An item does not belong to this case."), field="items")
    for row in items:
        _require(row.get("heading", ""), "heading", _("An item needs a heading."))
        _check_amount(row)
    for pk in set(existing) - kept:
        _save_deleted(existing[pk], actor=actor, reason=_("Item removed from the draft"))
    # Move every kept item out of the way first: the numbers are unique per case at every moment.
    case.items.filter(pk__in=kept).update(number=models.F("number") + 10000)
    result = []
    for number, row in enumerate(items, start=1):
        fields = {key: value for key, value in row.items() if key in ITEM_FIELDS - {"number"}}
        fields["heading"] = fields["heading"].strip()
        item = existing[row["pk"]] if row.get("pk") else CaseItem(case=case)
        changed = item.pk is None or item.number != number or any(
            getattr(item, key) != value for key, value in fields.items())
        for key, value in {"number": number, **fields}.items():
            setattr(item, key, value)
        if changed:
            _save(item, actor=actor, reason=_("Item added") if item.pk is None else _("Item edited"))
        else:
            CaseItem.objects.filter(pk=item.pk).update(number=number)  # back from the temporary number
        result.append(item)
    return result


@transaction.atomic
def draft_save(*, actor, case: Case | None = None, co_bodies=None, items: list[dict] | None = None,
               **fields) -> Case:
    """Create or edit a draft with its items in one go (the page's form and the API): both halves or neither.
    An empty deadline rule means the rule set's default for the kind."""
    if not (fields.get("deadline_rule") or "").strip() and "deadline_rule" in fields:
        fields["deadline_rule"] = rules.default_rule_text(fields.get("kind") or (case.kind if case else ""))
    if case is None:
        case = case_create(actor=actor, co_bodies=co_bodies or (), **fields)
    else:
        case = case_update_draft(case=case, actor=actor, co_bodies=co_bodies, **fields)
    if items is not None:
        draft_items_set(case=case, actor=actor, items=items)
    return case


def _attach(files, **target) -> None:
    """Files sent with a report or an item update, in the same transaction: one refused file saves nothing."""
    from .attachments import attachment_add  # it builds on this module's helpers
    from .uploads import check_upload

    for file in files:  # all checked before any is written, so a refused one leaves no stray file on disk
        check_upload(file)
    for file in files:
        attachment_add(file=file, **target)


def _save_deleted(obj, *, actor, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.delete()


# ---------------------------------------------------------------- issue → acknowledge


@transaction.atomic
def case_issue(*, case: Case, actor, issued_date: date | None = None, reason: str = "", at=None) -> Case:
    """交办: hand the case to its body and start the clock."""
    case = _locked(case)
    _check(case, Action.ISSUE, actor)
    issued_date = issued_date or _local_date(at)
    if case.meeting and issued_date < case.meeting.start_date:
        raise InvalidInput(_("A case cannot be issued before its meeting."), field="issued_date")
    rule_set = rules.rule_set_for(case.kind)
    anchor_event = rule_set.anchor_event if rule_set else "issue"
    # Henan counts from receipt; until receipt is recorded the issue date stands in (domain.md §6).
    if anchor_event == "meeting" and case.meeting:
        due = _compute_due(case, "meeting", case.meeting.last_date)
    else:
        due = _compute_due(case, "issue", issued_date)
    _apply_due(case, due)
    return _transition(case, Action.ISSUE, actor=actor, reason=reason or _("Issued to the body"), at=at,
                       issued_date=issued_date)


@transaction.atomic
def case_withdraw(*, case: Case, actor, reason: str) -> Case:
    case = _locked(case)
    reason = _require(reason, "reason", _("Say why the draft is withdrawn."))
    return _transition(case, Action.WITHDRAW, actor=actor, reason=reason)


@transaction.atomic
def case_acknowledge(*, case: Case, actor, received_date: date | None = None, at=None) -> Case:
    """签收: the body confirms receipt; where the rule counts from receipt, the due date is recomputed."""
    case = _locked(case)
    _check(case, Action.ACKNOWLEDGE, actor)
    received_date = received_date or _local_date(at)
    if case.issued_date and received_date < case.issued_date:
        raise InvalidInput(_("Receipt cannot be before the issue date."), field="received_date")
    if received_date > _local_date(None):
        raise InvalidInput(_("Receipt cannot be in the future."), field="received_date")
    rule_set = rules.rule_set_for(case.kind)
    if rule_set and rule_set.anchor_event == "receipt" and case.deadline_rule and not _has_extension(case):
        _apply_due(case, _compute_due(case, "receipt", received_date))
    return _transition(case, Action.ACKNOWLEDGE, actor=actor, reason=_("Receipt acknowledged"), at=at,
                       received_date=received_date)


def _has_extension(case: Case) -> bool:
    return bool(case.due_basis) and any(step["kind"] == "extended" for step in case.due_basis.get("steps", []))


# ---------------------------------------------------------------- reports

REPORT_ACTIONS = {
    ReportKind.CONSULTATION_DRAFT: Action.SUBMIT_CONSULTATION_DRAFT,
    ReportKind.INTERIM: Action.SUBMIT_INTERIM_REPORT,
    ReportKind.FINAL: Action.SUBMIT_REPORT,
}


@transaction.atomic
def report_submit(*, case: Case, actor, kind: str, title: str, text: str, files=(), at=None) -> Report:
    case = _locked(case)
    if kind not in REPORT_ACTIONS:
        raise InvalidInput(_("Unknown report kind."), field="kind")
    title = _require(title, "title", _("A report needs a title."))
    text = _require(text, "text", _("A report needs its text."))
    now = _now(at)
    _transition(case, REPORT_ACTIONS[kind], actor=actor, reason=_("Report submitted: %(title)s") % {"title": title},
                at=at, **({"submitted_date": case.submitted_date or timezone.localdate(now)}
                          if kind == ReportKind.FINAL else {}))
    # A new version replaces any earlier one of the same kind still waiting for review.
    for earlier in case.reports.filter(kind=kind, review_outcome=ReviewOutcome.PENDING):
        earlier.review_outcome = ReviewOutcome.SUPERSEDED
        _save(earlier, actor=actor, reason=_("Superseded by a new version"), at=at)
    in_order = case.reports.order_by("submitted_at", "pk")
    before, after = in_order.filter(submitted_at__lte=now).last(), in_order.filter(submitted_at__gt=now).first()
    report = Report(case=case, kind=kind, title=title, text=text, submitted_by=actor, submitted_at=now,
                    changes=_changes(before, text))
    _save(report, actor=actor, reason=_("Report submitted"), at=at)
    if after is not None:
        # Recorded with an earlier date (`at`), it comes before a report already there, whose diff is now against
        # it. A derived column outside history, so a plain update.
        Report.objects.filter(pk=after.pk).update(changes=_changes(report, after.text))
    _attach(files, case=case, actor=actor, report=report)
    return report


def _changes(previous: Report | None, text: str) -> dict | None:
    """Diffed once here, bounded (opinions.textdiff), so that showing the case never diffs (issue 11)."""
    return textdiff.diff(previous.text, text).to_json() if previous is not None else None


def _pending_report(case: Case, kind: str) -> Report:
    report = case.reports.filter(kind=kind, review_outcome=ReviewOutcome.PENDING).order_by("-submitted_at").first()
    if report is None:
        raise DomainError(_("There is no report awaiting review."), code="no_pending_report")
    return report


def _review(report: Report, outcome: str, *, actor, comment: str, at=None) -> Report:
    report.review_outcome = outcome
    report.review_comment = comment
    report.reviewed_by = actor
    report.reviewed_at = _now(at)
    _save(report, actor=actor, reason=comment or str(ReviewOutcome(outcome).label), at=at)
    return report


@transaction.atomic
def consultation_comment(*, case: Case, actor, comment: str, at=None) -> Report:
    """The consulted committee's comments on the draft report (征求意见); the body then revises and submits."""
    case = _locked(case)
    comment = _require(comment, "comment", _("Write the comments on the draft."))
    _transition(case, Action.COMMENT_CONSULTATION, actor=actor, reason=comment, at=at)
    return _review(_pending_report(case, ReportKind.CONSULTATION_DRAFT), ReviewOutcome.COMMENTED, actor=actor,
                   comment=comment, at=at)


@transaction.atomic
def report_return(*, case: Case, actor, reason: str, at=None) -> Report:
    case = _locked(case)
    reason = _require(reason, "reason", _("Say why the report is returned."))
    _transition(case, Action.RETURN_REPORT, actor=actor, reason=reason, at=at)
    return _review(_pending_report(case, ReportKind.FINAL), ReviewOutcome.RETURNED, actor=actor, comment=reason,
                   at=at)


@transaction.atomic
def report_accept(*, case: Case, actor, comment: str = "", at=None) -> Report:
    case = _locked(case)
    _transition(case, Action.ACCEPT_REPORT, actor=actor, reason=comment or _("Report accepted"), at=at)
    return _review(_pending_report(case, ReportKind.FINAL), ReviewOutcome.ACCEPTED, actor=actor, comment=comment,
                   at=at)


# ---------------------------------------------------------------- evaluation, close, reopen

EVALUATION_ACTIONS = {
    voting.SATISFIED: Action.EVALUATE_SATISFIED,
    voting.BASICALLY_SATISFIED: Action.EVALUATE_BASICALLY_SATISFIED,
    voting.DISSATISFIED: Action.EVALUATE_DISSATISFIED,
}


@transaction.atomic
def evaluation_record(*, case: Case, actor, entitled_to_vote: int, satisfied: int, basically_satisfied: int,
                      dissatisfied: int, meeting: Meeting | None = None, follow_up: str = "",
                      redo_due_date: date | None = None, at=None) -> Evaluation:
    """满意度测评. 满意/基本满意 close the case; 不满意 sends it back with a new deadline: the next session, or the
    date given when no next session is scheduled yet (domain.md §5, §8)."""
    case = _locked(case)
    try:
        result = voting.evaluation_result(entitled=entitled_to_vote, satisfied=satisfied,
                                          basically_satisfied=basically_satisfied, dissatisfied=dissatisfied)
    except voting.InvalidVotes as exc:
        raise InvalidInput(_("The vote counts are not valid: %(error)s") % {"error": exc}, field="satisfied") from exc
    action = EVALUATION_ACTIONS[result]
    today = _local_date(at)
    changes = {}
    changes = _redo_deadline(case, today, redo_due_date) if result == voting.DISSATISFIED else {"closed_date": today}
    label = {voting.SATISFIED: _("satisfied"), voting.BASICALLY_SATISFIED: _("basically satisfied"),
             voting.DISSATISFIED: _("dissatisfied")}[result]
    _transition(case, action, actor=actor, at=at,
                reason=_("Evaluation: %(result)s (%(s)d/%(b)d/%(d)d)") % {
                    "result": label, "s": satisfied, "b": basically_satisfied, "d": dissatisfied},
                **changes)
    evaluation = Evaluation(case=case, meeting=meeting, entitled_to_vote=entitled_to_vote, satisfied=satisfied,
                            basically_satisfied=basically_satisfied, dissatisfied=dissatisfied, result=result,
                            follow_up=follow_up.strip(), recorded_by=actor, recorded_at=_now(at))
    _save(evaluation, actor=actor, reason=_("Evaluation recorded"), at=at)
    return evaluation


def _redo_deadline(case: Case, today: date, redo_due_date: date | None) -> dict:
    if redo_due_date is not None:
        if redo_due_date <= today:
            raise InvalidInput(_("The new due date must be in the future."), field="redo_due_date")
        due = rules.compute_due(f"date:{redo_due_date.isoformat()}", case_kind=case.kind, anchor_event="issue",
                                anchor_date=today)
    else:
        try:
            due = rules.compute_due("next_session", case_kind=case.kind, anchor_event="issue", anchor_date=today)
        except DomainError as exc:
            raise InvalidInput(_("No next Standing Committee session is registered: give the new due date."),
                               field="redo_due_date", code=exc.code) from exc
    # The original due date stays for statistics; the redo deadline becomes the working one.
    return {"due_date": due.due, "due_basis": due.to_dict(), "submitted_date": case.submitted_date}


@transaction.atomic
def case_close(*, case: Case, actor, reason: str = "", at=None) -> Case:
    case = _locked(case)
    return _transition(case, Action.CLOSE, actor=actor, reason=reason or _("Case closed"), at=at,
                       closed_date=_local_date(at))


@transaction.atomic
def case_reopen(*, case: Case, actor, reason: str) -> Case:
    case = _locked(case)
    reason = _require(reason, "reason", _("Say why the case is reopened."))
    return _transition(case, Action.REOPEN, actor=actor, reason=reason, closed_date=None)


@transaction.atomic
def case_publish(*, case: Case, actor) -> Case:
    case = _locked(case)
    return _transition(case, Action.PUBLISH, actor=actor, reason=_("Published"), is_public=True)


@transaction.atomic
def case_decide_further_supervision(*, case: Case, actor, measure: str, reason: str, at=None) -> Case:
    """Leadership's decision beyond 通报 (专题询问 / 质询 / 跟踪检查), recorded on the case and sent to the body."""
    case = _locked(case)
    if measure not in FurtherSupervision.values:
        raise InvalidInput(_("Choose a special inquiry, an interpellation or a follow-up inspection."),
                           field="measure")
    reason = _require(reason, "reason", _("Say why and what is decided (e.g. the meeting that decided it)."))
    label = FurtherSupervision(measure).label
    return _transition(case, Action.PROPOSE_ESCALATION, actor=actor, at=at, reason=f"{label}：{reason}",
                       further_supervision=measure, further_supervision_on=_local_date(at))


# ---------------------------------------------------------------- extensions


@transaction.atomic
def extension_request(*, case: Case, actor, requested_date: date, reason: str, at=None) -> Extension:
    """延期申请: before the deadline, with a reason and a proposed date (Anyang 办法 art. 17)."""
    case = _locked(case)
    _check(case, Action.REQUEST_EXTENSION, actor)
    reason = _require(reason, "reason", _("Say why more time is needed."))
    today = _local_date(at)
    if case.due_date is None:
        raise DomainError(_("This case has no due date to extend."), code="no_due_date")
    if today > case.due_date:
        raise DomainError(_("An extension must be requested before the due date (%(due)s).") % {"due": case.due_date},
                          code="too_late")
    if requested_date <= case.due_date:
        raise InvalidInput(_("The proposed date must be after the current due date (%(due)s).")
                           % {"due": case.due_date}, field="requested_date")
    if case.extensions.filter(decision=ExtensionDecision.PENDING).exists():
        raise DomainError(_("An extension request is already awaiting a decision."), code="extension_pending")
    extension = Extension(case=case, requested_date=requested_date, reason=reason, requested_by=actor,
                          requested_at=_now(at), previous_due_date=case.due_date)
    _save(extension, actor=actor, reason=reason, at=at)
    notifications.notify_event(case, "extension_requested", actor=actor, ref=f"x{extension.pk}", detail=reason,
                               at=at)
    return extension


@transaction.atomic
def extension_decide(*, extension: Extension, actor, approve: bool, comment: str = "", at=None) -> Extension:
    case = _locked(extension.case)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    _check(case, Action.DECIDE_EXTENSION, actor)
    if extension.decision != ExtensionDecision.PENDING:
        raise DomainError(_("This extension request has already been decided."), code="already_decided")
    if not approve:
        comment = _require(comment, "comment", _("Say why the extension is refused."))
    extension.decision = ExtensionDecision.APPROVED if approve else ExtensionDecision.REFUSED
    extension.decision_comment = comment.strip()
    extension.decided_by = actor
    extension.decided_at = _now(at)
    _save(extension, actor=actor, reason=comment or extension.decision, at=at)
    if approve:
        current = deadlines.DueDate.from_dict(case.due_basis)
        _apply_due(case, rules.extend_due(current, extension.requested_date, case_kind=case.kind))
        _save(case, actor=actor, at=at, reason=_("Extension approved to %(date)s") % {"date": case.due_date})
    notifications.replan_reminders(case)
    notifications.notify_event(case, "extension_decided", actor=actor, ref=f"x{extension.pk}",
                               detail=extension.decision_comment, at=at)
    return extension


def extension_decide_pending(*, case: Case, actor, approve: bool, comment: str = "", at=None) -> Extension:
    """Decide the case's pending request (there is at most one, by constraint)."""
    pending = case.extensions.filter(decision=ExtensionDecision.PENDING).first()
    if pending is None:
        raise DomainError(_("There is no extension request awaiting a decision."), code="no_pending_extension")
    return extension_decide(extension=pending, actor=actor, approve=approve, comment=comment, at=at)


@transaction.atomic
def case_mark_escalated(*, case: Case, on: date) -> Case:
    """通报: the reminder ladder's last rung names the late body to the leadership (domain.md §7). By the system."""
    case = _locked(case)
    if case.escalated_on is None:
        case.escalated_on = on
        _save(case, actor=None, reason=_("Circulated as overdue (通报) after %(days)s days past the due date")
              % {"days": (on - case.due_date).days})
    return case


# ---------------------------------------------------------------- rules and calendar (administrators)

RULE_SET_FIELDS = {
    "deadline_rule", "anchor_event", "roll_forward", "extension_approver", "consultation_required", "handover_days",
    "legal_basis", "reminder_days", "overdue_notice_after_days", "escalate_after_workdays", "send_window_start",
    "send_window_end", "due_soon_days",
}


def _require_admin(actor) -> None:
    if not user_scope(actor).is_admin:
        raise NotAllowed(_("Only administrators change the rules and the calendar."))


def _full_clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(" ".join(messages), field=None if field == "__all__" else field) from exc


@transaction.atomic
def rule_set_update(*, rule_set: RuleSet, actor, reason: str = "", **fields) -> RuleSet:
    """Rules are data (domain.md §6); the reminders of open cases of this kind follow the change once it commits."""
    from notifications.queue import enqueue_on_commit
    from notifications.tasks import replan_case_kind

    _require_admin(actor)
    unknown = set(fields) - RULE_SET_FIELDS
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    for name, value in fields.items():
        setattr(rule_set, name, value)
    _full_clean(rule_set)
    _save(rule_set, actor=actor, reason=reason or _("Rule set changed"))
    enqueue_on_commit(replan_case_kind, rule_set.case_kind)
    return rule_set


@transaction.atomic
def calendar_day_update(*, day: CalendarDay, actor, is_workday: bool, note: str = "",
                        reason: str = "") -> CalendarDay:
    """Correct one day (a holiday or 调休 the State Council announced late); due dates already set stay as they are."""
    _require_admin(actor)
    day = CalendarDay.objects.select_for_update().get(pk=day.pk)
    day.is_workday, day.note, day.source = is_workday, (note or "").strip()[:50], CalendarSource.ADMIN
    _save(day, actor=actor, reason=reason or _("Calendar day corrected"))
    return day


# ---------------------------------------------------------------- items


def _item_transition(item: CaseItem, action: ItemAction, *, actor, reason: str, at=None, **changes) -> CaseItem:
    case = _locked(item.case)
    item = CaseItem.objects.select_for_update(of=("self",)).select_related("case").get(pk=item.pk)
    try:
        item.status = workflow.check_item(action, item.status, case.status, item_roles(actor, item))
    except workflow.TransitionRefused as exc:
        raise from_transition_refused(exc) from exc
    for name, value in changes.items():
        setattr(item, name, value)
    _save(item, actor=actor, reason=reason, at=at)
    return item


@transaction.atomic
def item_report_progress(*, item: CaseItem, actor, progress_note: str, measures: str | None = None,
                         rectified_amount=None, files=(), at=None) -> CaseItem:
    progress_note = _require(progress_note, "progress_note", _("Describe the progress."))
    changes = {"progress_note": progress_note, **_rectified(item, rectified_amount)}
    if measures is not None:
        changes["measures"] = measures.strip()
    item = _item_transition(item, ItemAction.REPORT_PROGRESS, actor=actor, reason=progress_note, at=at, **changes)
    _attach(files, case=item.case, actor=actor, item=item)
    return item


@transaction.atomic
def item_mark_done(*, item: CaseItem, actor, measures: str, rectified_amount=None, files=(),
                   at=None) -> CaseItem:
    measures = _require(measures, "measures", _("List the measures taken before marking the item done."))
    item = _item_transition(item, ItemAction.MARK_DONE, actor=actor, reason=_("Marked done"), at=at,
                            measures=measures, **_rectified(item, rectified_amount))
    _attach(files, case=item.case, actor=actor, item=item)
    return item


@transaction.atomic
def item_verify(*, item: CaseItem, actor, note: str = "", at=None) -> CaseItem:
    return _item_transition(item, ItemAction.VERIFY, actor=actor, reason=note or _("Verified and closed"), at=at,
                            committee_note=note.strip())


@transaction.atomic
def item_send_back(*, item: CaseItem, actor, reason: str, at=None) -> CaseItem:
    reason = _require(reason, "reason", _("Say why the item is sent back."))
    return _item_transition(item, ItemAction.SEND_BACK, actor=actor, reason=reason, at=at, committee_note=reason)


@transaction.atomic
def item_carry_over(*, item: CaseItem, actor, reason: str, at=None) -> CaseItem:
    reason = _require(reason, "reason", _("Say why the item is carried over (e.g. long-term rectification)."))
    return _item_transition(item, ItemAction.CARRY_OVER, actor=actor, reason=reason, at=at, committee_note=reason)


# ---------------------------------------------------------------- calendar


@transaction.atomic
def calendar_enter_year(*, year: int, actor, rest_days: dict[date, str], make_up_workdays: dict[date, str],
                        replace: bool = False) -> int:
    """Enter a year's working-day calendar as the State Council publishes it: weekends are rest days, statutory
    holidays are added as rest days, 调休 weekend days as working days. Returns the number of days written."""
    outside = [d for d in (*rest_days, *make_up_workdays) if d.year != year]
    if outside:
        raise InvalidInput(_("%(date)s is not in %(year)s.") % {"date": outside[0], "year": year})
    both = set(rest_days) & set(make_up_workdays)
    if both:
        raise InvalidInput(_("%(date)s cannot be both a holiday and a working day.") % {"date": min(both)})
    existing = CalendarDay.objects.filter(date__year=year)
    if existing.exists() and not replace:
        raise DomainError(_("The calendar for %(year)s already has entries; confirm replacing them.") % {"year": year},
                          code="calendar_exists")
    by_date = {row.date: row for row in existing}
    day, written = date(year, 1, 1), 0
    while day.year == year:
        is_workday = day in make_up_workdays or (day.weekday() < 5 and day not in rest_days)
        note = rest_days.get(day) or make_up_workdays.get(day) or ""
        row = by_date.get(day) or CalendarDay(date=day)
        if row.pk is None or (row.is_workday, row.note) != (is_workday, note):
            row.is_workday, row.note, row.source = is_workday, note, CalendarSource.ADMIN
            _save(row, actor=actor, reason=_("Calendar for %(year)s entered") % {"year": year})
            written += 1
        day += timedelta(days=1)
    return written
