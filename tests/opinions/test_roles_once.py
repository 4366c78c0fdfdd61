"""The case page works out the user's roles on the case once, however many buttons, items and files it shows."""

from django.urls import reverse

from opinions import permissions


def test_the_case_page_works_out_the_roles_once(client, world, received_case, monkeypatch):
    calls = []
    compute = permissions._case_roles
    monkeypatch.setattr(permissions, "_case_roles", lambda user, case: calls.append(user) or compute(user, case))
    client.force_login(world.liaison)
    assert client.get(reverse("opinions:case_detail", args=[received_case.pk])).status_code == 200
    assert calls == [world.liaison]


def test_roles_are_per_user_on_the_same_case(world, received_case):
    assert permissions.Role.LIAISON in permissions.case_roles(world.liaison, received_case)
    assert permissions.Role.LIAISON not in permissions.case_roles(world.court_liaison, received_case)
    assert permissions.Role.STAFF in permissions.case_roles(world.staff, received_case)
