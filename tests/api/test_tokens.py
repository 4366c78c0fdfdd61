"""Personal API tokens: made on the page, shown once, stored as a hash, revoked by their owner."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agencies.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_works_and_stops_working_when_revoked(client, world, issued_case):
    client.force_login(world.liaison)
    response = client.post(reverse("token_list"), {"name": "市政府督办系统", "days": "90"})
    assert response.status_code == 200
    key = response.context["new_key"]
    token = ApiToken.objects.get(user=world.liaison)
    assert key not in (token.digest, token.token_key)  # only a hash and the first characters are kept
    assert key not in client.get(reverse("token_list")).content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert [row["id"] for row in api.get("/api/v1/cases/").json()["results"]] == [issued_case.pk]
    assert client.post(reverse("token_revoke", args=[token.token_key])).status_code == 302
    assert api.get("/api/v1/cases/").status_code == 401


@pytest.mark.parametrize(("data", "field"), [({"name": " ", "days": "90"}, "name"),
                                             ({"name": "大屏", "days": "7"}, "days")])
def test_bad_token_requests_are_refused(client, world, data, field):
    client.force_login(world.liaison)
    response = client.post(reverse("token_list"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_nobody_revokes_someone_elses_token(client, world):
    from agencies.tokens import token_create

    token, _key = token_create(user=world.liaison, name="大屏", days=30)
    client.force_login(world.court_liaison)
    assert client.post(reverse("token_revoke", args=[token.token_key])).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


# A token stands in for the password: it dies with it, and with the account (issue 11 §4).

NEW_PASSWORD = "a-new-pw-98765"


@pytest.fixture
def liaison_token(world):
    from agencies.tokens import token_create

    _token, key = token_create(user=world.liaison, name="大屏", days=30)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/cases/").status_code == 200
    return api


def test_changing_ones_password_on_the_page_revokes_ones_tokens(client, world, liaison_token):
    client.force_login(world.liaison)
    response = client.post(reverse("password_change"), {
        "old_password": "pw-12345-x", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert liaison_token.get("/api/v1/cases/").status_code == 401
    assert not ApiToken.objects.exists()


def test_an_administrator_setting_a_password_in_the_admin_revokes_the_tokens(client, world, liaison_token):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root", password="pw-12345-x"))
    response = client.post(reverse("admin:auth_user_password_change", args=[world.liaison.pk]), {
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302
    assert liaison_token.get("/api/v1/cases/").status_code == 401


@pytest.mark.parametrize("update_fields", [None, ["password"]])
def test_set_password_and_save_revokes_the_tokens(world, liaison_token, update_fields):
    world.liaison.set_password(NEW_PASSWORD)
    world.liaison.save(update_fields=update_fields)
    assert liaison_token.get("/api/v1/cases/").status_code == 401


def test_the_changepassword_command_revokes_the_tokens(world, liaison_token, monkeypatch):
    from django.contrib.auth.management.commands import changepassword
    from django.core.management import call_command

    monkeypatch.setattr(changepassword.Command, "_get_pass", lambda self, prompt="": NEW_PASSWORD)
    call_command("changepassword", "liaison")
    assert liaison_token.get("/api/v1/cases/").status_code == 401


def test_making_the_password_unusable_revokes_the_tokens(world, liaison_token):
    world.liaison.set_unusable_password()
    world.liaison.save()
    assert liaison_token.get("/api/v1/cases/").status_code == 401


def test_deactivating_the_user_revokes_the_tokens_for_good(world, liaison_token):
    world.liaison.is_active = False
    world.liaison.save()
    assert not ApiToken.objects.exists()
    world.liaison.is_active = True  # switched back on: the old token stays dead
    world.liaison.save()
    assert liaison_token.get("/api/v1/cases/").status_code == 401


def test_other_changes_to_the_user_keep_the_tokens(world, liaison_token):
    world.liaison.first_name = "张"
    world.liaison.save()
    world.liaison.is_staff = True
    world.liaison.save(update_fields=["is_staff"])
    assert liaison_token.get("/api/v1/cases/").status_code == 200


def test_logging_in_keeps_the_tokens_even_when_django_rehashes_the_password(client, world, liaison_token,
                                                                            settings):
    """A stronger hasher upgrades the stored hash at the next login: the same password, so the tokens stay."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    old_hash = type(world.liaison).objects.get(pk=world.liaison.pk).password
    response = client.post(reverse("login"), {"username": "liaison", "password": "pw-12345-x"})
    assert response.status_code == 302
    assert type(world.liaison).objects.get(pk=world.liaison.pk).password != old_hash  # it was rehashed
    assert liaison_token.get("/api/v1/cases/").status_code == 200
