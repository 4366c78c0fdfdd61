"""A person's own notification channels (e-mail, webhook): add, switch on or off, remove, test.

The inbox needs no set-up and cannot be switched off, so every message has at least one place to land.
"""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from npc_tracker.errors import InvalidInput

from . import netguard
from .compose import messages_for
from .messages import OutboxEvent
from .models import Channel, Endpoint, Notification, NotificationState
from .services import save_and_send

_VALIDATORS = {
    Channel.EMAIL: (EmailValidator(), lambda: _("Enter a valid e-mail address.")),
    Channel.WEBHOOK: (URLValidator(schemes=["http", "https"]),
                      lambda: _("Enter the full http:// or https:// address of the receiving service.")),
}


def own_endpoints(user):
    return Endpoint.objects.filter(user=user).order_by("channel", "target")


def endpoints_with_latest_outcome(user) -> list[Endpoint]:
    """The user's channels, each with its latest message and how it went, so a failing one is visible."""
    latest = Notification.objects.filter(endpoint=OuterRef("pk")).order_by("-pk")
    endpoints = list(own_endpoints(user).annotate(
        last_subject=Subquery(latest.values("subject")[:1]), last_state=Subquery(latest.values("state")[:1]),
        last_error=Subquery(latest.values("last_error")[:1]), last_at=Subquery(latest.values("created_at")[:1])))
    for endpoint in endpoints:
        endpoint.last_state_label = NotificationState(endpoint.last_state).label if endpoint.last_state else ""
    return endpoints


def _own(user, endpoint_id) -> Endpoint:
    try:
        return own_endpoints(user).get(pk=endpoint_id)
    except (Endpoint.DoesNotExist, ValueError, TypeError):
        raise InvalidInput(_("This channel does not exist or is not yours."), code="not_found") from None


def endpoint_add(*, user, channel: str, target: str, secret: str = "") -> Endpoint:
    if channel not in _VALIDATORS:
        raise InvalidInput(_("Choose e-mail or webhook."), field="channel")
    target = (target or "").strip()
    validator, message = _VALIDATORS[channel]
    try:
        if channel == Channel.WEBHOOK:
            # Before the syntax check, so that an odd spelling of a forbidden address (http://127.1/) is refused
            # with the reason rather than as a malformed URL. Checked again at each send (DNS rebinding).
            netguard.check_url(target)
        validator(target)
    except netguard.ForbiddenTarget as exc:
        raise InvalidInput(str(exc), field="target") from None
    except ValidationError:
        raise InvalidInput(message(), field="target") from None
    secret = (secret or "").strip()
    if channel == Channel.WEBHOOK and not secret:
        secret = secrets.token_urlsafe(32)  # the receiver needs one to check signatures; make a strong one
    try:
        with transaction.atomic():
            return Endpoint.objects.create(user=user, channel=channel, target=target,
                                           secret=secret if channel == Channel.WEBHOOK else "")
    except IntegrityError:
        raise InvalidInput(_("You already have this channel."), field="target") from None


def endpoint_set_enabled(*, user, endpoint_id, enabled: bool) -> Endpoint:
    endpoint = _own(user, endpoint_id)
    endpoint.enabled = enabled
    if enabled:
        endpoint.disabled_reason = ""  # switching it back on is the owner saying the problem is fixed
    endpoint.save(update_fields=["enabled", "disabled_reason"])
    return endpoint


def endpoint_remove(*, user, endpoint_id) -> None:
    _own(user, endpoint_id).delete()


def endpoint_send_test(*, user, endpoint_id) -> None:
    """A test message on this channel only, through the normal outbox, so a failure is recorded like any other."""
    endpoint = _own(user, endpoint_id)
    if not endpoint.enabled:
        raise InvalidInput(_("Switch the channel on before testing it."), code="disabled")
    subject = _("Test message from npc-tracker")
    body = _("If you can read this, notifications reach you on this channel.")
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    message = next(m for m in messages_for([user], key=f"test:{endpoint.pk}:{stamp}", event=OutboxEvent.CHANNEL_TEST,
                                           subject=subject, body=body)
                   if m.endpoint_id == endpoint.pk)
    save_and_send([message])
