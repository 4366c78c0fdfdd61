"""The demo's public site is not empty: the closed demo cases go out, once, and nothing still open does."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from opinions.demo.loader import DemoLoader
from opinions.models import Case
from public.models import Publication

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo(db):
    with time_machine.travel(datetime.combine(TODAY, time(10), tzinfo=ZoneInfo("Asia/Shanghai"))):
        DemoLoader(today=TODAY).load()
        yield


def test_the_demos_closed_cases_are_published_once_and_shown_to_anyone(demo, client):
    call_command("publish_demo")
    closed = set(Case.objects.filter(status="closed").exclude(kind="audit_rectification").values_list("pk", flat=True))
    assert closed
    assert set(Publication.objects.live().values_list("case_id", flat=True)) == closed
    call_command("publish_demo")
    assert Publication.objects.count() == len(closed)
    page = client.get("/public/").content.decode()
    for title in Case.objects.filter(pk__in=closed).values_list("title", flat=True):
        assert title in page
    open_case = Case.objects.exclude(status="closed").first()
    assert open_case.title not in page
