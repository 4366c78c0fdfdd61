"""The in-app inbox: one's own messages only, an unread count in the navbar, marking as read."""

import pytest
from django.urls import reverse

from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_inbox_lists_only_ones_own_messages_and_the_navbar_counts_unread(client, world, issued_case):
    client.force_login(world.liaison)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert issued_case.title in html
    assert '<span class="count"' in html
    client.force_login(world.court_liaison)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert issued_case.title not in html
    assert '<span class="count"' not in html


def test_marking_read_clears_the_count(client, world, issued_case):
    client.force_login(world.liaison)
    assert Notification.objects.filter(recipient=world.liaison, read_at__isnull=True).count() == 1
    response = client.post(reverse("notifications:mark_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=world.liaison, read_at__isnull=True).exists()
    assert '<span class="count"' not in client.get(reverse("notifications:inbox")).content.decode()


def test_one_cannot_mark_someone_elses_message_read(client, world, issued_case):
    message = Notification.objects.get(recipient=world.liaison, channel="inbox")
    client.force_login(world.court_liaison)
    client.post(reverse("notifications:mark_read"), {"id": [message.pk]})
    message.refresh_from_db()
    assert message.read_at is None


def test_admin_can_queue_a_failed_notification_again(admin_client, world):
    failed = Notification.objects.create(dedupe_key="f1", recipient=world.liaison, channel="email",
                                         address="x@example.org", event="case_issued", subject="s", state="failed",
                                         attempts=6, last_error="boom")
    admin_client.post(reverse("admin:notifications_notification_changelist"),
                      {"action": "resend", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.state in ("pending", "sent")
    assert failed.attempts <= 1
