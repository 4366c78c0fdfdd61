"""Event notifications go to the people who must act, never to the actor, once per event."""

from datetime import date

import pytest

from notifications.models import Channel, Endpoint, Notification
from opinions import services

pytestmark = pytest.mark.django_db


def events_of(user):
    return list(Notification.objects.filter(recipient=user, channel=Channel.INBOX).values_list("event", flat=True))


def test_issuing_tells_the_lead_and_co_handling_bodies_but_not_the_issuer(issued_case, world):
    assert events_of(world.liaison) == ["case_issued"]
    assert events_of(world.fgw_liaison) == ["case_issued"]
    assert events_of(world.court_liaison) == []
    assert events_of(world.staff) == []


def test_a_submitted_report_tells_the_supervising_committee(received_case, world):
    services.report_submit(case=received_case, actor=world.liaison, kind="final", title="报告", text="正文")
    assert "report_submitted" in events_of(world.staff)
    assert "report_submitted" not in events_of(world.liaison)


def test_a_consultation_draft_goes_to_the_consulted_committee(make_case, world):
    case = make_case(consulted_committee=world.yusuan)
    services.case_issue(case=case, actor=world.staff, issued_date=date(2020, 9, 3))
    services.case_acknowledge(case=case, actor=world.liaison, received_date=date(2020, 9, 5))
    services.report_submit(case=case, actor=world.liaison, kind="consultation_draft", title="征求意见稿", text="稿")
    assert "consultation_draft" in events_of(world.other_staff)
    assert "consultation_draft" not in events_of(world.staff)


def test_extension_requests_go_to_the_approver_and_decisions_back_to_the_body(received_case, world):
    from tests.moments import local

    extension = services.extension_request(case=received_case, actor=world.liaison,
                                           requested_date=date(2021, 1, 15), reason="协调",
                                           at=local(2020, 11, 30, 10))
    assert "extension_requested" in events_of(world.leader)
    services.extension_decide(extension=extension, actor=world.leader, approve=False, comment="理由不足")
    assert "extension_decided" in events_of(world.liaison)


def test_a_users_email_channel_gets_a_copy_written_before_it_is_sent(make_case, world, mailoutbox,
                                                                     django_capture_on_commit_callbacks):
    from notifications.tasks import send_notifications

    Endpoint.objects.create(user=world.liaison, channel="email", target="liaison@gov.example")
    draft = make_case()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = services.case_issue(case=draft, actor=world.staff, issued_date=date(2020, 9, 3))
    email = Notification.objects.get(case=case, channel=Channel.EMAIL, recipient=world.liaison)
    assert email.state == "pending"  # written in the case's transaction, sent only after it commits
    assert len(callbacks) == 1
    assert send_notifications.apply(args=[[email.pk]]).get() == {"sent": 1}
    email.refresh_from_db()
    assert email.state == "sent"
    assert email.attempts == 1
    assert [m.to for m in mailoutbox] == [["liaison@gov.example"]]
    assert case.title in mailoutbox[0].subject
