"""Channels are plugins (design.md rule 9): a transport has one send() that raises DeliveryError, transient or
permanent. Adding a channel is one class and one entry in TRANSPORTS."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail

from . import netguard

SIGNATURE_HEADER = "X-NPC-Signature"
TIMESTAMP_HEADER = "X-NPC-Timestamp"


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool):
        super().__init__(message)
        self.permanent = permanent


class EmailTransport:
    def send(self, notification) -> None:
        try:
            send_mail(notification.subject, notification.body or notification.subject,
                      settings.DEFAULT_FROM_EMAIL, [notification.address], fail_silently=False)
        except OSError as exc:  # SMTP servers that are down or refuse a connection come back
            raise DeliveryError(f"e-mail: {exc}", permanent=False) from exc


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "timestamp.body", hex; the receiver recomputes it and rejects old timestamps."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def webhook_payload(notification) -> dict:
    return {
        "id": notification.pk,
        "event": notification.event,
        "subject": notification.subject,
        "text": notification.body,
        "case": notification.case_id,
        "recipient": notification.recipient.get_username() if notification.recipient_id else None,
        "created_at": notification.created_at.isoformat() if notification.created_at else None,
    }


class WebhookTransport:
    """A JSON POST an SMS gateway or a 政务钉钉 / 企业微信 robot can receive. 5xx and timeouts are retried; any other
    4xx means the receiver will never accept it. It goes only to an address netguard allows, checked as connected
    to; a forbidden address, like a redirect (which is not followed), fails for good before anything is sent."""

    timeout_seconds = 10
    opener = netguard.opener()

    def send(self, notification) -> None:
        body = json.dumps(webhook_payload(notification), ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        headers = {"Content-Type": "application/json; charset=utf-8", TIMESTAMP_HEADER: timestamp}
        secret = notification.endpoint.secret if notification.endpoint_id else ""
        if secret:
            headers[SIGNATURE_HEADER] = sign(secret, timestamp, body)
        request = urllib.request.Request(notification.address, data=body, headers=headers, method="POST")
        try:
            with self.opener.open(request, timeout=self.timeout_seconds) as response:
                response.read()
        except netguard.ForbiddenTarget as exc:
            raise DeliveryError(f"webhook: {exc}", permanent=True) from exc
        except urllib.error.HTTPError as exc:
            permanent = 300 <= exc.code < 500 and exc.code not in (408, 429)
            raise DeliveryError(f"webhook: HTTP {exc.code}", permanent=permanent) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"webhook: {exc}", permanent=False) from exc


TRANSPORTS = {"email": EmailTransport(), "webhook": WebhookTransport()}
