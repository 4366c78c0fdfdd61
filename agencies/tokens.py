"""Personal API tokens: made by their owner, who sees the key once; revoked by deleting the row."""

from datetime import timedelta

from django.utils.translation import gettext as _
from knox.models import get_token_model

from npc_tracker.errors import InvalidInput

LIFETIMES = (30, 90, 365)


def token_create(*, user, name: str, days: int):
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Name the token after what will use it, e.g. 大屏."), field="name")
    if days not in LIFETIMES:
        raise InvalidInput(_("Choose how long the token lasts."), field="days")
    token, key = get_token_model().objects.create(user=user, expiry=timedelta(days=days), name=name[:100])
    return token, key


def token_revoke(*, user, token_key: str) -> bool:
    deleted, _rows = get_token_model().objects.filter(user=user, token_key=token_key).delete()
    return bool(deleted)


def tokens_revoke_all(*, user) -> int:
    """Every token of the user: they must not outlive the password they were made under (agencies.signals)."""
    deleted, _rows = get_token_model().objects.filter(user=user).delete()
    return deleted


def own_tokens(user):
    return get_token_model().objects.filter(user=user).order_by("-created")
