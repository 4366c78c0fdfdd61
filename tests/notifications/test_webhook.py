"""The webhook transport against a real HTTP server on loopback, which the administrator's allow-list lets through:
signed, retried on 5xx and timeouts, given up (and the channel disabled, its owner told) on 4xx. Without the
allow-list, or through a redirect, nothing reaches it."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from notifications import channels, delivery
from notifications.models import Channel, Endpoint, Notification, NotificationState
from notifications.transports import SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookTransport
from tests.moments import local

pytestmark = pytest.mark.django_db


class Receiver:
    def __init__(self):
        self.status = 200
        self.delay = 0.0
        self.location = None
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.headers, body))  # case-insensitive, like HTTP
                if receiver.delay:
                    threading.Event().wait(receiver.delay)
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1"]
    r = Receiver()
    yield r
    r.server.shutdown()


@pytest.fixture
def webhook_message(world, receiver):
    endpoint = Endpoint.objects.create(user=world.liaison, channel="webhook", target=receiver.url, secret="s3cret")
    return Notification.objects.create(dedupe_key="t1", recipient=world.liaison, channel=Channel.WEBHOOK,
                                       endpoint=endpoint, address=receiver.url, event="case_issued",
                                       subject="新案件交办：测试", body="正文")


def test_the_signature_can_be_verified_by_the_receiver(webhook_message, receiver):
    assert delivery.send_one(webhook_message.pk) == "sent"
    headers, body = receiver.requests[0]
    expected = hmac.new(b"s3cret", headers[TIMESTAMP_HEADER].encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE_HEADER] == f"sha256={expected}"
    assert json.loads(body)["subject"] == "新案件交办：测试"
    webhook_message.refresh_from_db()
    assert webhook_message.state == NotificationState.SENT


def test_a_5xx_is_retried_later_with_backoff(webhook_message, receiver):
    receiver.status = 503
    assert delivery.send_one(webhook_message.pk) == "retry"
    webhook_message.refresh_from_db()
    assert webhook_message.state == NotificationState.PENDING
    assert webhook_message.next_attempt_at is not None
    assert "503" in webhook_message.last_error
    assert delivery.due_for_retry(now=webhook_message.next_attempt_at) == [webhook_message.pk]
    receiver.status = 200
    assert delivery.send_one(webhook_message.pk) == "sent"
    assert len(receiver.requests) == 2


def test_a_timeout_is_retried(webhook_message, receiver, monkeypatch):
    monkeypatch.setattr(WebhookTransport, "timeout_seconds", 0.2)
    receiver.delay = 1.0
    assert delivery.send_one(webhook_message.pk) == "retry"


def test_a_4xx_is_permanent_and_disables_the_channel_telling_its_owner(webhook_message, receiver, world):
    receiver.status = 404
    assert delivery.send_one(webhook_message.pk) == "failed"
    webhook_message.refresh_from_db()
    assert webhook_message.state == NotificationState.FAILED
    endpoint = Endpoint.objects.get(pk=webhook_message.endpoint_id)
    assert not endpoint.enabled
    assert "404" in endpoint.disabled_reason
    notice = Notification.objects.get(recipient=world.liaison, channel=Channel.INBOX, event="channel_disabled")
    assert receiver.url in notice.subject


def test_a_channel_disabled_for_good_is_also_told_on_its_owners_other_channels_by_the_next_retry_sweep(
        webhook_message, receiver, world):
    email = Endpoint.objects.create(user=world.liaison, channel="email", target="liaison@example.gov.cn")
    receiver.status = 410
    assert delivery.send_one(webhook_message.pk) == "failed"
    copy = Notification.objects.get(endpoint=email, event="channel_disabled")
    assert copy.state == NotificationState.PENDING  # delivery writes it; it queues no task of its own
    # What the minute's retry task hands out, a minute after the test's pinned day began (tests/conftest.py).
    assert copy.pk in delivery.due_for_retry(now=local(2026, 6, 10, 10, 1))
    assert delivery.send_one(copy.pk) == "sent"


def test_after_the_last_attempt_a_transient_failure_is_given_up(webhook_message, receiver):
    receiver.status = 500
    Notification.objects.filter(pk=webhook_message.pk).update(attempts=delivery.MAX_ATTEMPTS - 1)
    assert delivery.send_one(webhook_message.pk) == "failed"
    assert Endpoint.objects.get(pk=webhook_message.endpoint_id).enabled  # transient: the channel stays on


def test_a_notification_is_sent_only_by_whoever_claims_it(webhook_message, receiver):
    assert delivery.send_one(webhook_message.pk) == "sent"
    assert delivery.send_one(webhook_message.pk) == "skipped"
    assert len(receiver.requests) == 1


def test_without_the_allow_list_a_loopback_webhook_fails_for_good_and_nothing_is_sent(webhook_message, receiver,
                                                                                      settings, world):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    assert delivery.send_one(webhook_message.pk) == "failed"
    assert receiver.requests == []
    webhook_message.refresh_from_db()
    assert webhook_message.state == NotificationState.FAILED
    assert "本机回环地址" in webhook_message.last_error
    assert not Endpoint.objects.get(pk=webhook_message.endpoint_id).enabled


def test_an_https_webhook_is_checked_before_any_connection(webhook_message, receiver, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    url = receiver.url.replace("http://", "https://")
    Notification.objects.filter(pk=webhook_message.pk).update(address=url)
    assert delivery.send_one(webhook_message.pk) == "failed"
    webhook_message.refresh_from_db()
    assert "本机回环地址" in webhook_message.last_error


def test_a_name_that_resolves_elsewhere_when_used_than_when_saved_is_refused(receiver, settings, world, dns):
    """DNS rebinding: public when the channel is saved, 127.0.0.1 when the message goes out."""
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    url = f"http://hooks.example.org:{receiver.server.server_port}/hook"
    dns["hooks.example.org"] = ["93.184.216.34"]
    endpoint = channels.endpoint_add(user=world.liaison, channel="webhook", target=url)
    dns["hooks.example.org"] = ["127.0.0.1"]
    channels.endpoint_send_test(user=world.liaison, endpoint_id=endpoint.pk)
    message = Notification.objects.get(endpoint=endpoint, event="channel_test")
    assert delivery.send_one(message.pk) == "failed"
    assert receiver.requests == []
    message.refresh_from_db()
    assert "hooks.example.org 指向的地址是本机回环地址" in message.last_error


def test_an_allowed_host_name_is_sent_to_whatever_it_resolves_to_with_its_name_in_the_host_header(
        receiver, settings, world, dns):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["sms-gateway.gov.example"]
    dns["sms-gateway.gov.example"] = ["127.0.0.1"]
    url = f"http://sms-gateway.gov.example:{receiver.server.server_port}/hook"
    endpoint = channels.endpoint_add(user=world.liaison, channel="webhook", target=url)
    channels.endpoint_send_test(user=world.liaison, endpoint_id=endpoint.pk)
    assert delivery.send_one(Notification.objects.get(endpoint=endpoint, event="channel_test").pk) == "sent"
    headers, _body = receiver.requests[0]
    assert headers["Host"] == f"sms-gateway.gov.example:{receiver.server.server_port}"


def test_a_redirect_is_not_followed_and_fails_for_good(webhook_message, receiver):
    receiver.status = 302
    receiver.location = "http://169.254.169.254/latest/meta-data/"
    assert delivery.send_one(webhook_message.pk) == "failed"
    assert len(receiver.requests) == 1
    webhook_message.refresh_from_db()
    assert "302" in webhook_message.last_error


def test_a_webhook_address_that_is_not_http_fails_for_good(webhook_message):
    Notification.objects.filter(pk=webhook_message.pk).update(address="file:///etc/passwd")
    assert delivery.send_one(webhook_message.pk) == "failed"
    webhook_message.refresh_from_db()
    assert "http:// 或 https://" in webhook_message.last_error
