"""Guessing passwords: django-axes locks a user name, and an address, after repeated failures (issue 11 §4)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "pw-12345-x"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    """Locks expire: the tests say when it is."""
    with time_machine.travel(START, tick=False):
        yield


def log_in(client, url, username, password, address="192.0.2.10", **headers):
    return client.post(url, {"username": username, "password": password, "next": "/"}, REMOTE_ADDR=address,
                       **headers)


def signed_in_as(client):
    return client.get(reverse("token_list")).wsgi_request.user


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_thirty_wrong_passwords_lock_the_account_and_the_right_one_no_longer_logs_in(client, world, url):
    world.staff.is_staff = True
    world.staff.save()
    for _attempt in range(30):
        log_in(client, url, "staff", "wrong-password")
    response = log_in(client, url, "staff", PASSWORD)
    assert response.status_code == 429
    assert "登录已锁定" in response.content.decode()
    assert not signed_in_as(client).is_authenticated


def test_the_lock_lifts_after_the_cool_off(client, world, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "/accounts/login/", "staff", "wrong-password")
    assert log_in(client, "/accounts/login/", "staff", PASSWORD).status_code == 429
    with time_machine.travel(START + settings.AXES_COOLOFF_TIME + timedelta(minutes=1), tick=False):
        assert log_in(client, "/accounts/login/", "staff", PASSWORD).status_code == 302
        assert signed_in_as(client) == world.staff


def test_an_address_that_tries_many_user_names_is_locked_for_all_of_them(client, world, settings):
    """Password spraying: one guess per account, from one address."""
    User = get_user_model()
    for number in range(settings.AXES_FAILURE_LIMIT):
        User.objects.create_user(username=f"sprayed{number}", password=PASSWORD)
        log_in(client, "/accounts/login/", f"sprayed{number}", "wrong-password", address="198.51.100.7")
    assert log_in(client, "/accounts/login/", "liaison", PASSWORD, address="198.51.100.7").status_code == 429
    # Another address is not locked out of an account nobody guessed at.
    assert log_in(client, "/accounts/login/", "liaison", PASSWORD, address="198.51.100.8").status_code == 302


def test_a_locked_user_name_stays_locked_from_another_address_and_another_session(client, world, settings):
    """The count is in the database: another browser, another web worker, another address sees the same lock."""
    from django.test import Client

    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "/accounts/login/", "staff", "wrong-password", address="192.0.2.10")
    other = Client()
    assert log_in(other, "/accounts/login/", "staff", PASSWORD, address="203.0.113.5").status_code == 429


def test_an_administrator_unlocks_a_user_name(client, world, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "/accounts/login/", "staff", "wrong-password")
    assert log_in(client, "/accounts/login/", "staff", PASSWORD).status_code == 429
    call_command("axes_reset_username", "staff")
    call_command("axes_reset_ip", "192.0.2.10")
    assert log_in(client, "/accounts/login/", "staff", PASSWORD).status_code == 302


def test_administrators_see_and_delete_the_locks_in_the_admin(client, world, settings):
    from axes.models import AccessAttempt

    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "/accounts/login/", "staff", "wrong-password")
    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)
    attempt = AccessAttempt.objects.get(username="staff")
    page = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert "staff" in page.content.decode()
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert not AccessAttempt.objects.exists()


def test_the_lockout_page_is_also_in_english(client, world, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "/accounts/login/", "staff", "wrong-password")
    response = log_in(client, "/accounts/login/", "staff", PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Login locked" in response.content.decode()
    assert f"{int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} minutes" in response.content.decode()


def test_behind_a_proxy_the_address_is_the_one_the_proxy_names(client, world, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for number in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "/accounts/login/", f"nobody{number}", "wrong-password", address="10.0.0.2",
               HTTP_X_REAL_IP="192.0.2.99")
    # Everyone comes through the proxy at 10.0.0.2; only the guessing client is locked.
    assert log_in(client, "/accounts/login/", "liaison", PASSWORD, address="10.0.0.2",
                  HTTP_X_REAL_IP="192.0.2.100").status_code == 302


def test_without_a_proxy_setting_a_client_cannot_dodge_the_lock_by_naming_another_address(client, world, settings):
    settings.CLIENT_IP_HEADER = ""
    for number in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "/accounts/login/", f"nobody{number}", "wrong-password", address="198.51.100.20",
               HTTP_X_REAL_IP=f"192.0.2.{number}")  # a header any client can send, read only behind a proxy
    assert log_in(client, "/accounts/login/", "liaison", PASSWORD, address="198.51.100.20",
                  HTTP_X_REAL_IP="192.0.2.200").status_code == 429
