"""The admin shows every model, and every tracked model's history."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

OUR_APPS = ("agencies", "opinions", "notifications")


@pytest.fixture
def admin_client_with_case(admin_client, issued_case):
    return admin_client


def our_models():
    return [m for m in apps.get_models() if m._meta.app_label in OUR_APPS and not m.__name__.startswith("Historical")]


def test_every_model_is_registered_in_the_admin():
    assert [m.__name__ for m in our_models() if m not in admin.site._registry] == []


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m.__name__)
def test_every_changelist_opens(admin_client_with_case, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client_with_case.get(url).status_code == 200


def test_a_cases_history_page_lists_its_changes_with_the_actor(admin_client_with_case, issued_case):
    url = reverse("admin:opinions_case_history", args=[issued_case.pk])
    html = admin_client_with_case.get(url).content.decode()
    assert "staff" in html


def test_the_status_of_a_case_is_not_editable_in_the_admin(admin_client_with_case, issued_case):
    url = reverse("admin:opinions_case_change", args=[issued_case.pk])
    html = admin_client_with_case.get(url).content.decode()
    assert 'name="status"' not in html
    assert 'name="due_date"' not in html
