"""Each person manages their own e-mail and webhook channels; nobody can touch another person's."""

import pytest
from django.urls import reverse

from notifications import channels
from notifications.delivery import send_one
from notifications.messages import OutboxEvent
from notifications.models import Endpoint, Notification
from npc_tracker.errors import InvalidInput

pytestmark = pytest.mark.django_db


def add(client, **data):
    return client.post(reverse("notifications:channels"), data)


def test_a_liaison_adds_an_email_channel_and_later_messages_are_copied_there(client, world, make_case):
    from datetime import date

    from opinions import services

    client.force_login(world.liaison)
    response = add(client, channel="email", target=" liaison@gov.example ")
    assert response.status_code == 302
    endpoint = Endpoint.objects.get(user=world.liaison)
    assert (endpoint.channel, endpoint.target, endpoint.enabled) == ("email", "liaison@gov.example", True)
    services.case_issue(case=make_case(), actor=world.staff, issued_date=date(2020, 9, 3))
    assert Notification.objects.filter(endpoint=endpoint, event="case_issued").count() == 1


def test_a_webhook_gets_a_strong_secret_when_none_is_given_and_its_owner_can_read_it(client, world, dns):
    dns["oapi.dingtalk.example"] = ["93.184.216.34"]
    client.force_login(world.liaison)
    add(client, channel="webhook", target="https://oapi.dingtalk.example/robot/send?access_token=abc")
    endpoint = Endpoint.objects.get(user=world.liaison)
    assert len(endpoint.secret) >= 40
    assert endpoint.secret in client.get(reverse("notifications:channels")).content.decode()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"channel": "email", "target": "not-an-address"}, "target", "有效的电子邮件地址"),
    ({"channel": "webhook", "target": "ftp://gateway.example/x"}, "target", "http:// 或 https://"),
    ({"channel": "sms", "target": "13800000000"}, "channel", ""),
    ({"channel": "email", "target": ""}, "target", ""),
])
def test_bad_addresses_are_refused_with_a_clear_message_and_nothing_saved(client, world, dns, data, field, message):
    client.force_login(world.liaison)
    response = add(client, **data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert not Endpoint.objects.exists()


def test_the_same_channel_twice_is_refused(world):
    channels.endpoint_add(user=world.liaison, channel="email", target="a@gov.example")
    with pytest.raises(InvalidInput) as refused:
        channels.endpoint_add(user=world.liaison, channel="email", target="a@gov.example")
    assert refused.value.field == "target"
    assert Endpoint.objects.count() == 1


def test_switching_off_and_on_again_clears_the_reason_it_was_disabled(client, world):
    endpoint = channels.endpoint_add(user=world.liaison, channel="email", target="a@gov.example")
    client.force_login(world.liaison)
    client.post(reverse("notifications:channel_action", args=[endpoint.pk, "disable"]))
    endpoint.refresh_from_db()
    assert endpoint.enabled is False
    Endpoint.objects.filter(pk=endpoint.pk).update(disabled_reason="HTTP 404")
    client.post(reverse("notifications:channel_action", args=[endpoint.pk, "enable"]))
    endpoint.refresh_from_db()
    assert (endpoint.enabled, endpoint.disabled_reason) == (True, "")


def test_a_test_message_goes_out_on_that_channel_only_and_its_outcome_is_shown(client, world, mailoutbox):
    email = channels.endpoint_add(user=world.liaison, channel="email", target="a@gov.example")
    channels.endpoint_add(user=world.liaison, channel="email", target="b@gov.example")
    client.force_login(world.liaison)
    response = client.post(reverse("notifications:channel_action", args=[email.pk, "test"]))
    assert response.status_code == 302
    message = Notification.objects.get(event="channel_test", channel="email")
    assert message.endpoint == email
    assert send_one(message.pk) == "sent"  # what the delivery task does once the request has committed
    assert [m.to for m in mailoutbox] == [["a@gov.example"]]
    page = client.get(reverse("notifications:channels")).content.decode()
    assert "notification-sent" in page


def test_a_switched_off_channel_cannot_be_tested(client, world, mailoutbox):
    endpoint = channels.endpoint_add(user=world.liaison, channel="email", target="a@gov.example")
    channels.endpoint_set_enabled(user=world.liaison, endpoint_id=endpoint.pk, enabled=False)
    with pytest.raises(InvalidInput):
        channels.endpoint_send_test(user=world.liaison, endpoint_id=endpoint.pk)
    assert mailoutbox == []


@pytest.mark.parametrize("action", ["disable", "enable", "remove", "test"])
def test_another_persons_channel_is_a_404_and_stays_as_it_was(client, world, action):
    endpoint = channels.endpoint_add(user=world.liaison, channel="email", target="a@gov.example")
    client.force_login(world.court_liaison)
    response = client.post(reverse("notifications:channel_action", args=[endpoint.pk, action]))
    assert response.status_code == 404
    endpoint.refresh_from_db()
    assert endpoint.enabled is True
    assert not Notification.objects.exists()
    assert "a@gov.example" not in client.get(reverse("notifications:channels")).content.decode()


def test_an_unknown_action_is_a_404_and_get_is_refused(client, world):
    endpoint = channels.endpoint_add(user=world.liaison, channel="email", target="a@gov.example")
    client.force_login(world.liaison)
    assert client.post(reverse("notifications:channel_action", args=[endpoint.pk, "explode"])).status_code == 404
    assert client.get(reverse("notifications:channel_action", args=[endpoint.pk, "remove"])).status_code == 405
    assert Endpoint.objects.filter(pk=endpoint.pk).exists()


def test_removing_a_channel_keeps_the_messages_sent_on_it(client, world):
    endpoint = channels.endpoint_add(user=world.liaison, channel="email", target="a@gov.example")
    channels.endpoint_send_test(user=world.liaison, endpoint_id=endpoint.pk)
    client.force_login(world.liaison)
    client.post(reverse("notifications:channel_action", args=[endpoint.pk, "remove"]))
    assert not Endpoint.objects.exists()
    assert Notification.objects.filter(event="channel_test", channel="email").count() == 1


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(reverse("notifications:channels"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_outboxs_own_events_are_named_apart_from_the_cases_and_fit_the_column():
    from opinions.notices import Event

    assert not {event.value for event in OutboxEvent} & {event.value for event in Event}
    assert all(len(event) <= Notification._meta.get_field("event").max_length for event in [*OutboxEvent, *Event])
