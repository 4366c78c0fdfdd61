"""How a tracked record is written: with its history attributed to the actor and the reason (design.md rule 2),
and a case re-read under a row lock before it changes. Shared by the services and the reminder ladder."""

from datetime import datetime

from .models import Case


def save_tracked(obj, *, actor, reason: str, at: datetime | None = None, fields=None):
    """Save with history attributed to the actor and the reason (simple-history reads these attributes)."""
    obj._history_user = actor
    obj._change_reason = reason
    if at is not None:
        obj._history_date = at
    if fields is not None and obj.pk:
        obj.save(update_fields=fields)
    else:
        obj.save()



def delete_tracked(obj, *, actor, reason: str) -> None:
    """Delete with history: the record's last state stays readable, with who removed it and why."""
    obj._history_user = actor
    obj._change_reason = reason
    obj.delete()



def locked_case(case: Case) -> Case:
    """Re-read the case under a row lock so concurrent transitions serialize on it."""
    return Case.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=case.pk)
