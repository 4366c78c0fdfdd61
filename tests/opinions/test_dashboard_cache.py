"""The dashboard's figures are kept a minute per scope and filters (issue 11 §7): never older than that, the page
says when they were computed, and people who see different cases never share them."""

import re
from datetime import date, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine

from opinions.models import Case

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 1, 20, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def cached(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "dashboard-cache-tests"}}
    settings.DASHBOARD_CACHE_SECONDS = 60
    from django.core.cache import cache

    cache.clear()
    return settings


def overdue_case(world, body, title):
    return Case.objects.create(kind="special_work_report", title=title, lead_body=body, status="in_progress",
                               issued_date=date(2025, 10, 1), due_date=date(2026, 1, 5),
                               supervising_committee=world.caijing)


def overdue_figure(client, query="") -> tuple[int, str]:
    html = client.get(f"/cases/dashboard/{query}").content.decode()
    counts = {unescape(href): int(n) for href, n in re.findall(r'<a [^>]*href="([^"]+)"[^>]*data-count="(\d+)"', html)}
    as_of = re.search(r"截至 (\d{4}-\d\d-\d\d \d\d:\d\d)", html).group(1)
    return counts[f"/cases/?{query.lstrip('?')}{'&' if query else ''}overdue=true"], as_of


def test_a_change_shows_on_the_dashboard_within_a_minute_and_the_page_says_how_old_its_figures_are(
        client, world, cached):
    overdue_case(world, world.gov, "first")
    client.force_login(world.leader)
    with time_machine.travel(NOW, tick=False) as clock:
        assert overdue_figure(client) == (1, "2026-01-20 09:00")
        overdue_case(world, world.court, "second")
        clock.shift(timedelta(seconds=59))
        assert overdue_figure(client) == (1, "2026-01-20 09:00")  # kept: computed 59 s ago, and says so
        clock.shift(timedelta(seconds=2))
        assert overdue_figure(client) == (2, "2026-01-20 09:01")


def test_liaisons_of_different_bodies_never_share_figures(client, world, cached):
    overdue_case(world, world.gov, "the government's")
    overdue_case(world, world.gov, "the government's too")
    overdue_case(world, world.court, "the court's")
    with time_machine.travel(NOW, tick=False):
        client.force_login(world.liaison)
        assert overdue_figure(client)[0] == 2
        client.force_login(world.court_liaison)
        assert overdue_figure(client)[0] == 1
        page = client.get("/cases/dashboard/").content.decode()
        assert "the court&#x27;s" in page
        assert "the government" not in page
        client.force_login(world.leader)
        assert overdue_figure(client)[0] == 3


def test_each_set_of_filters_has_figures_of_its_own(client, world, cached):
    overdue_case(world, world.gov, "gov")
    overdue_case(world, world.court, "court")
    client.force_login(world.leader)
    with time_machine.travel(NOW, tick=False):
        assert overdue_figure(client)[0] == 2
        assert overdue_figure(client, f"?lead_body={world.court.pk}")[0] == 1
