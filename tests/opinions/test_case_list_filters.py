"""The case list's filter fields are rendered once and kept under everything they are made of (issue 11 §7): what
a user sees is what an uncached rendering would show, at once after a body, committee or meeting is added."""

from datetime import date

import pytest

from agencies.models import Body, BodyKind
from opinions.models import Meeting

pytestmark = pytest.mark.django_db


def test_a_new_body_and_a_new_meeting_are_offered_at_once(client, world):
    client.force_login(world.office_staff)
    before = client.get("/cases/").content.decode()
    assert "安阳市林业局" not in before
    Body.objects.create(name="安阳市林业局", short_name="市林业局", kind=BodyKind.DEPARTMENT)
    Meeting.objects.create(term=15, session=9, start_date=date(2026, 3, 2))
    after = client.get("/cases/").content.decode()
    assert after.count("市林业局") == 2  # the body filter and the lead-body filter
    assert "十五届人大常委会第九次会议" in after.split('name="meeting"')[1].split("</select>")[0]


def filter_form(client, query=None) -> str:
    return client.get("/cases/", query or {}).content.decode().split('class="filters"')[1].split("</form>")[0]


def test_the_filters_show_what_was_chosen_and_a_second_view_is_the_same_form(client, world):
    client.force_login(world.office_staff)
    first = filter_form(client, {"kind": "motion", "overdue": "true"})
    assert '<option value="motion" selected>' in first
    assert '<option value="true" selected>' in first
    assert filter_form(client, {"kind": "motion", "overdue": "true"}) == first
    assert '<option value="motion" selected>' not in filter_form(client)


def test_what_users_type_into_the_filters_never_grows_the_cache(client, world, monkeypatch):
    from django.core.cache import caches

    cache = caches["default"]  # this test's own cache (tests/conftest.py), not the proxy every test shares
    kept, set_in_cache = set(), cache.set
    monkeypatch.setattr(cache, "set", lambda key, *args, **kw: kept.add(key) or set_in_cache(key, *args, **kw))
    client.force_login(world.office_staff)
    client.get("/cases/")
    first_view = set(kept)  # the selects
    for n in range(30):
        assert client.get("/cases/", {"q": f"搜索{n}", "issued_after": f"2020-01-{n % 28 + 1:02d}"}).status_code == 200
    assert kept == first_view


def test_a_bad_yes_or_no_is_a_400_naming_the_field_on_the_page_and_in_the_api(client, world):
    client.force_login(world.office_staff)
    page = client.get("/cases/", {"overdue": "maybe"})
    assert page.status_code == 400
    assert "overdue" in page.context["filter"].errors
    api = client.get("/api/v1/cases/", {"rehandled": "x"})
    assert api.status_code == 400
    assert "rehandled" in api.json()["fields"]
