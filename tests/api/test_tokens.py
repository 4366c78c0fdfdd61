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
