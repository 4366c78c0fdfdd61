"""The notification outbox (design.md rule 9): who gets messages on which channel, and every message sent.

Bookkeeping, not tracked records: states advance with conditional updates (a claim must be one atomic UPDATE), so
they carry no simple-history; what matters to people is written to the case. A message may name the case and the
reminder rung it is about (opinions.Case, opinions.Reminder) so that a case page can list what was sent for it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    INBOX = "inbox", _("In-app inbox")
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook (SMS gateway, 政务钉钉, 企业微信)")


class NotificationState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Endpoint(models.Model):
    """A person's chosen channel: an e-mail address or a webhook URL. The inbox needs none."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="notification_endpoints")
    channel = models.CharField(_("channel"), max_length=20,
                               choices=[(Channel.EMAIL, Channel.EMAIL.label), (Channel.WEBHOOK, Channel.WEBHOOK.label)])
    target = models.CharField(_("address or URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True,
                              help_text=_("Webhooks: the HMAC-SHA256 key the receiver uses to check the signature."))
    enabled = models.BooleanField(_("enabled"), default=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")
        constraints = [models.UniqueConstraint(fields=["user", "channel", "target"], name="unique_endpoint")]

    def __str__(self):
        return f"{self.user} · {self.get_channel_display()} · {self.target}"


class Notification(models.Model):
    """One message to one recipient on one channel. Written before it is sent, its outcome after (rule 9).

    `dedupe_key` makes re-running a delivery harmless: the same reminder or event can never produce a second row
    for the same recipient and channel. An inbox notification is delivered by being written.
    """

    dedupe_key = models.CharField(max_length=200, unique=True, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="notifications")
    address = models.CharField(_("address"), max_length=500, blank=True,
                               help_text=_("For recipients without an account, e.g. a body's leader."))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    endpoint = models.ForeignKey(Endpoint, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="notifications")
    case = models.ForeignKey("opinions.Case", verbose_name=_("case"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="notifications")
    reminder = models.ForeignKey("opinions.Reminder", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="notifications")
    event = models.CharField(_("event"), max_length=40)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=NotificationState.choices,
                             default=NotificationState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    # The sending lease counts from the claim, not from created_at: a row written long ago (a backlog, a broker
    # outage) must not be handed out again while a worker is sending it.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "channel", "read_at"], name="inbox_idx"),
            models.Index(fields=["state", "channel"], name="outbox_idx", condition=Q(state="pending")),
        ]

    def __str__(self):
        return self.subject
