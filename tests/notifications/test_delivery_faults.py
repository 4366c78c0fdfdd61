"""Sending notifications when one of them breaks: the others go out, the broken one is retried with backoff and
then failed; and a message being sent is never handed out again, however long ago it was written."""

from datetime import timedelta

import pytest

from notifications import delivery
from notifications.models import Channel, Notification, NotificationState
from notifications.tasks import send_notifications
from notifications.transports import TRANSPORTS
from tests.moments import local

pytestmark = pytest.mark.django_db
NOW = local(2026, 11, 2, 10, 0)


class ScriptedTransport:
    """Registered in the channel registry in place of e-mail: records what it sent, raises for one address, and
    can run something while it is "on the wire"."""

    def __init__(self, broken: str = "", while_sending=None):
        self.broken, self.while_sending, self.sent = broken, while_sending, []

    def send(self, notification):
        if notification.address == self.broken:
            raise RuntimeError("the gateway client crashed on this address")
        if self.while_sending:
            meanwhile, self.while_sending = self.while_sending, None  # once: it may send this very message again
            meanwhile(notification)
        self.sent.append(notification.address)


def email(world, address: str, **fields) -> Notification:
    return Notification.objects.create(dedupe_key=f"t:{address}", recipient=world.liaison, channel=Channel.EMAIL,
                                       address=address, event="case_issued", subject="新案件交办：测试", **fields)


def test_a_message_whose_transport_raises_does_not_stop_the_others_in_its_task(world, monkeypatch):
    transport = ScriptedTransport(broken="broken@gov.example")
    monkeypatch.setitem(TRANSPORTS, Channel.EMAIL, transport)
    rows = [email(world, address) for address in ("a@gov.example", "broken@gov.example", "b@gov.example")]
    assert send_notifications([row.pk for row in rows]) == {"sent": 2, "retry": 1}
    assert transport.sent == ["a@gov.example", "b@gov.example"]
    broken = Notification.objects.get(pk=rows[1].pk)
    assert broken.state == NotificationState.PENDING
    assert broken.last_error == "RuntimeError: the gateway client crashed on this address"
    assert broken.next_attempt_at is not None


def test_a_message_that_always_raises_is_retried_with_backoff_then_failed(world, monkeypatch):
    monkeypatch.setitem(TRANSPORTS, Channel.EMAIL, ScriptedTransport(broken="broken@gov.example"))
    broken = email(world, "broken@gov.example")
    now = NOW
    for attempt in range(1, delivery.MAX_ATTEMPTS + 1):
        result = delivery.send_one(broken.pk, now=now)
        broken.refresh_from_db()
        if attempt < delivery.MAX_ATTEMPTS:
            assert (result, broken.next_attempt_at) == ("retry", now + delivery.backoff(attempt))
            assert broken.pk not in delivery.due_for_retry(now=broken.next_attempt_at - timedelta(seconds=1))
            now = broken.next_attempt_at
            assert delivery.due_for_retry(now=now) == [broken.pk]
    assert (result, broken.state, broken.attempts) == ("failed", NotificationState.FAILED, delivery.MAX_ATTEMPTS)


def test_a_message_written_11_minutes_ago_is_not_handed_out_again_while_it_is_being_sent(world, monkeypatch):
    seen_by_sweep = []

    def sweep_runs_meanwhile(notification):
        seen_by_sweep.extend(delivery.due_for_retry(now=NOW + timedelta(minutes=1)))
        seen_by_sweep.append(delivery.send_one(notification.pk, now=NOW + timedelta(minutes=1)))  # a second worker

    transport = ScriptedTransport(while_sending=sweep_runs_meanwhile)
    monkeypatch.setitem(TRANSPORTS, Channel.EMAIL, transport)
    backlog = email(world, "a@gov.example", created_at=NOW - timedelta(minutes=11))  # queued behind a broker outage
    assert delivery.send_one(backlog.pk, now=NOW) == "sent"
    assert seen_by_sweep == ["skipped"]
    assert transport.sent == ["a@gov.example"]


def test_a_message_whose_sender_was_lost_is_handed_out_again_a_lease_after_its_claim(world):
    lost = email(world, "a@gov.example", created_at=NOW - timedelta(hours=2), state=NotificationState.SENDING,
                 claimed_at=NOW, attempts=1)
    assert delivery.due_for_retry(now=NOW + delivery.SENDING_LEASE - timedelta(seconds=1)) == []
    assert delivery.due_for_retry(now=NOW + delivery.SENDING_LEASE + timedelta(seconds=1)) == [lost.pk]


def test_a_message_lost_while_sending_on_every_attempt_is_failed_not_handed_out_for_ever(world):
    lost = email(world, "a@gov.example", state=NotificationState.SENDING, claimed_at=NOW,
                 attempts=delivery.MAX_ATTEMPTS)
    assert delivery.due_for_retry(now=NOW + delivery.SENDING_LEASE + timedelta(seconds=1)) == []
    lost.refresh_from_db()
    assert lost.state == NotificationState.FAILED


def test_a_sender_slower_than_the_lease_does_not_overwrite_the_one_that_took_over(world, monkeypatch):
    outcomes = []

    def lease_runs_out_and_another_worker_takes_over(notification):
        later = NOW + delivery.SENDING_LEASE + timedelta(minutes=1)
        assert delivery.due_for_retry(now=later) == [notification.pk]
        outcomes.append(delivery.send_one(notification.pk, now=later))

    monkeypatch.setitem(TRANSPORTS, Channel.EMAIL, ScriptedTransport(
        broken="", while_sending=lease_runs_out_and_another_worker_takes_over))
    slow = email(world, "a@gov.example")
    assert delivery.send_one(slow.pk, now=NOW) == "superseded"
    assert outcomes == ["sent"]
    slow.refresh_from_db()
    assert (slow.state, slow.claimed_at) == (NotificationState.SENT, NOW + delivery.SENDING_LEASE
                                             + timedelta(minutes=1))


def test_the_minute_retry_task_sends_what_is_due_in_process_on_the_embedded_default(world, monkeypatch, settings):
    from notifications.tasks import retry_notifications

    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("with REDIS_URL the sending goes to a worker: covered by the integration tests")
    transport = ScriptedTransport()
    monkeypatch.setitem(TRANSPORTS, Channel.EMAIL, transport)
    due = email(world, "due@gov.example", next_attempt_at=NOW - timedelta(seconds=1))
    email(world, "later@gov.example", next_attempt_at=NOW + timedelta(minutes=1))
    assert retry_notifications.apply(args=[NOW.isoformat()]).get() == 1
    assert transport.sent == ["due@gov.example"]
    assert Notification.objects.get(pk=due.pk).state == NotificationState.SENT
