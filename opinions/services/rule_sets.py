"""Rule sets are data (domain.md §6): administrators change them, the open cases' reminders follow."""


from django.db import transaction
from django.utils.translation import gettext as _

from notifications.queue import enqueue_on_commit

from ..models import RuleSet
from ..reminders.tasks import replan_case_kind
from ..tracking import save_tracked
from .common import full_clean, reject_unknown, require_admin

RULE_SET_FIELDS = {
    "deadline_rule", "anchor_event", "roll_forward", "extension_approver", "consultation_required", "handover_days",
    "legal_basis", "reminder_days", "overdue_notice_after_days", "escalate_after_workdays", "send_window_start",
    "send_window_end", "due_soon_days", "vote_base", "signoff_by",
}


@transaction.atomic
def rule_set_update(*, rule_set: RuleSet, actor, reason: str = "", **fields) -> RuleSet:
    """Rules are data (domain.md §6); the reminders of open cases of this kind follow the change once it commits."""
    require_admin(actor)
    reject_unknown(fields, RULE_SET_FIELDS)
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    for name, value in fields.items():
        setattr(rule_set, name, value)
    full_clean(rule_set)
    save_tracked(rule_set, actor=actor, reason=reason or _("Rule set changed"))
    enqueue_on_commit(replan_case_kind, rule_set.case_kind)
    return rule_set
