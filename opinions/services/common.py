"""What every service shares: the moment it acts at, saving with history, locking the case, refusing bad input.

Each service: keyword-only arguments, the acting user as `actor`, one transaction, the case row locked, the
workflow table asked, the change and its history (actor + reason) written together. Refusals are DomainErrors.
`at` lets staff record an event that happened earlier on paper (and the demo loader replay real dates); it
defaults to now.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.selectors import user_scope
from npc_tracker.errors import InvalidInput, NotAllowed


def moment(at: datetime | None) -> datetime:
    return at or timezone.now()



def local_date(at: datetime | None) -> date:
    return timezone.localdate(moment(at))



def required_text(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(message, field=field)
    return text



def check_amount(fields: dict) -> None:
    if (fields.get("amount") or 0) < 0:
        raise InvalidInput(_("An amount cannot be negative."), field="amount")



def require_admin(actor) -> None:
    if not user_scope(actor).is_admin:
        raise NotAllowed(_("Only administrators change the rules and the calendar."))



def full_clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(" ".join(messages), field=None if field == "__all__" else field) from exc


def reject_unknown(fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
