"""A form posted twice does its work once (issue 11 §4, double submits): the page's one-time token is claimed with
the action, a repeat is sent where the first went; a refused post leaves the token for the corrected one."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from npc_tracker.models import Submission
from npc_tracker.submissions import KEPT
from opinions.models import Meeting, Report
from tests.concurrency import run_together

INTERIM = "submit-interim-report"


def interim_report(token, text="第一阶段进展"):
    data = {f"{INTERIM}-title": "阶段性报告", f"{INTERIM}-text": text}
    return {**data, "submission_token": str(token)} if token else data


def post_report(client, case, data):
    return client.post(reverse("opinions:case_action", args=[case.pk, INTERIM]), data)


@pytest.mark.django_db
def test_the_interim_report_posted_twice_makes_one_report_and_one_history_row(client, world, received_case):
    client.force_login(world.liaison)
    token = uuid.uuid4()
    first = post_report(client, received_case, interim_report(token))
    second = post_report(client, received_case, interim_report(token))
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert Report.objects.filter(case=received_case).count() == 1
    assert Report.history.filter(case=received_case).count() == 1
    page = client.get(second.url).content.decode()
    assert "此表单已提交，未重复处理。" in page


@pytest.mark.django_db
def test_each_rendered_form_carries_its_own_token_so_two_reports_on_purpose_are_two(client, world, received_case):
    client.force_login(world.liaison)
    tokens = set()
    for _report in range(2):
        page = client.get(reverse("opinions:case_detail", args=[received_case.pk])).content.decode()
        token = page.split(f'action="/cases/{received_case.pk}/act/{INTERIM}/"')[1].split(
            'name="submission_token" value="')[1][:36]
        tokens.add(token)
        assert post_report(client, received_case, interim_report(token)).status_code == 302
    assert len(tokens) == 2
    assert Report.objects.filter(case=received_case).count() == 2


@pytest.mark.django_db
def test_a_refused_post_does_not_use_up_its_token(client, world, received_case):
    client.force_login(world.liaison)
    token = uuid.uuid4()
    assert post_report(client, received_case, interim_report(token, text="")).status_code == 400
    assert not Submission.objects.exists()
    assert post_report(client, received_case, interim_report(token)).status_code == 302
    assert Report.objects.filter(case=received_case).count() == 1


@pytest.mark.django_db
def test_a_token_is_the_posting_users_own(client, world, received_case):
    token = uuid.uuid4()
    client.force_login(world.staff)
    client.post(reverse("opinions:meeting_create"), {"kind": "sc_meeting", "term": "14", "session": "15",
                                                     "start_date": "2020-08-27", "submission_token": str(token)})
    client.force_login(world.liaison)
    assert post_report(client, received_case, interim_report(token)).status_code == 302
    assert Report.objects.filter(case=received_case).count() == 1


@pytest.mark.django_db
def test_a_meeting_registered_twice_by_a_double_click_is_one_meeting(client, world):
    client.force_login(world.staff)
    data = {"kind": "sc_meeting", "term": "14", "session": "15", "start_date": "2020-08-27",
            "submission_token": str(uuid.uuid4())}
    first = client.post(reverse("opinions:meeting_create"), data)
    second = client.post(reverse("opinions:meeting_create"), data)
    assert (first.status_code, second.status_code, second.url) == (302, 302, first.url)
    assert Meeting.objects.count() == 1


@pytest.mark.django_db
def test_a_post_without_a_token_is_still_processed(client, world, received_case):
    """Pages always send one (checked for every form of every page in test_malformed_input); a page rendered before
    an upgrade does not, and is served as before rather than refused."""
    client.force_login(world.liaison)
    assert post_report(client, received_case, interim_report(None)).status_code == 302
    assert Report.objects.filter(case=received_case).count() == 1


@pytest.mark.django_db
def test_a_malformed_token_is_a_400_that_says_to_reload(client, world, received_case):
    client.force_login(world.liaison)
    response = post_report(client, received_case, interim_report("abc"))
    assert response.status_code == 400
    assert "表单已过期，请刷新页面后重新提交。" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_claims_older_than_a_week_are_cleared_by_the_users_next_post(client, world):
    client.force_login(world.staff)
    start = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(start, tick=False):
        client.post(reverse("token_list"), {"name": "大屏", "days": "90", "submission_token": str(uuid.uuid4())})
    with time_machine.travel(start + KEPT - timedelta(minutes=1), tick=False):
        client.post(reverse("token_list"), {"name": "督办系统", "days": "90", "submission_token": str(uuid.uuid4())})
        assert Submission.objects.filter(user=world.staff).count() == 2
    with time_machine.travel(start + KEPT + timedelta(minutes=1), tick=False):
        client.post(reverse("token_list"), {"name": "报表", "days": "90", "submission_token": str(uuid.uuid4())})
        assert Submission.objects.filter(user=world.staff).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_once_make_one_report(seeded, world, received_case):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; runs in the PostgreSQL pass")
    token, responses = uuid.uuid4(), []

    def submit(together):
        client = Client()
        client.force_login(world.liaison)
        together()
        responses.append(post_report(client, received_case, interim_report(token)))

    assert run_together(submit, submit) == []
    assert [response.status_code for response in responses] == [302, 302]
    assert responses[0].url == responses[1].url
    assert Report.objects.filter(case=received_case).count() == 1
    assert Report.history.filter(case=received_case).count() == 1


@pytest.mark.django_db
def test_an_upload_refused_with_a_message_gives_its_token_back_for_the_corrected_file(client, world, received_case,
                                                                                     settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.files import PDF

    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.liaison)
    url, token = reverse("opinions:attachment_upload", args=[received_case.pk]), str(uuid.uuid4())
    refused = client.post(url, {"file": SimpleUploadedFile("setup.pdf", b"MZ\x90\x00 not a pdf"),
                                "submission_token": token})
    assert refused.status_code == 302  # back to the page, with the reason as a message
    assert received_case.attachments.count() == 0
    client.post(url, {"file": SimpleUploadedFile("整改台账.pdf", PDF), "submission_token": token})
    assert received_case.attachments.count() == 1
