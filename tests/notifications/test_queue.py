"""A broker outage never fails the change that wanted to queue work; the sweep hands the work out later."""

from datetime import date

import pytest

from notifications import delivery
from notifications.models import Notification
from notifications.queue import enqueue
from notifications.tasks import send_notifications
from opinions import services

pytestmark = pytest.mark.django_db


class BrokerDown:
    name = "notifications.tasks.send_notifications"

    def delay(self, *args):
        raise ConnectionRefusedError("redis is down")


def test_enqueue_reports_failure_instead_of_raising():
    assert enqueue(BrokerDown(), [1]) is False


def test_a_case_change_commits_even_when_its_messages_cannot_be_queued(make_case, world, monkeypatch,
                                                                       django_capture_on_commit_callbacks):
    from notifications.models import Endpoint

    Endpoint.objects.create(user=world.liaison, channel="email", target="liaison@gov.example")
    monkeypatch.setattr(send_notifications, "delay", BrokerDown().delay)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_issue(case=make_case(), actor=world.staff, issued_date=date(2020, 9, 3))
    assert case.status == "issued"
    email = Notification.objects.get(channel="email", recipient=world.liaison)
    assert email.state == "pending"
    # Later, the sweep finds it: pending, never attempted, older than the lease.
    later = email.created_at + delivery.SENDING_LEASE + delivery.SENDING_LEASE
    assert delivery.due_for_retry(now=later) == [email.pk]
