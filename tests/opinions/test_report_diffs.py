"""Report diffs are computed once, at submission, bounded, and only read when the case page is shown (issue 11)."""

import importlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.urls import reverse

from opinions import services, textdiff
from opinions.models import Report
from opinions.textdiff import INSERTED, Diff, Segment

SHANGHAI = ZoneInfo("Asia/Shanghai")


def submit(case, world, text, *, title="阶段报告", at=None):
    return services.report_submit(case=case, actor=world.liaison, kind="interim", title=title, text=text, at=at)


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_diff_against_the_previous_report_is_stored_at_submission(world, received_case):
    old, new = "一、总体情况。\n二、正在推进。", "一、总体情况。\n二、已全部完成。"
    first, second = submit(received_case, world, old), submit(received_case, world, new)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.changes is None
    assert second.changes == textdiff.diff(old, new).to_json()


def test_the_diff_is_kept_out_of_the_reports_history(world, received_case):
    submit(received_case, world, "甲")
    report = submit(received_case, world, "乙")
    assert not hasattr(report.history.get(), "changes")


def test_a_report_recorded_with_an_earlier_date_becomes_the_base_of_the_one_after_it(world, received_case):
    submit(received_case, world, "一稿", at=datetime(2020, 10, 1, 9, tzinfo=SHANGHAI))
    third = submit(received_case, world, "三稿", at=datetime(2020, 11, 1, 9, tzinfo=SHANGHAI))
    second = submit(received_case, world, "二稿", at=datetime(2020, 10, 15, 9, tzinfo=SHANGHAI))
    third.refresh_from_db()
    second.refresh_from_db()
    assert second.changes == textdiff.diff("一稿", "二稿").to_json()
    assert third.changes == textdiff.diff("二稿", "三稿").to_json()


def test_reports_of_one_moment_follow_the_order_they_were_written_in(world, received_case):
    # One order of a case's reports (Report.objects.in_order): what "the report before" means everywhere.
    moment, later = datetime(2020, 10, 1, 9, tzinfo=SHANGHAI), datetime(2020, 10, 2, 9, tzinfo=SHANGHAI)
    first, second = submit(received_case, world, "甲", at=moment), submit(received_case, world, "乙", at=moment)
    last = submit(received_case, world, "丙", at=later)
    reports = received_case.reports.all()
    assert list(reports.in_order()) == [first, second, last]
    assert (reports.before(first), reports.before(second), reports.after(second)) == (None, first, last)
    about_to_be = Report(case=received_case, submitted_at=moment)  # not yet saved: the last of its moment
    assert (reports.before(about_to_be), reports.after(about_to_be)) == (second, last)
    second.refresh_from_db()
    assert second.changes == textdiff.diff("甲", "乙").to_json()


def test_the_case_page_shows_the_stored_diff_and_does_not_diff_again(client, world, received_case):
    submit(received_case, world, "一、正在推进。")
    report = submit(received_case, world, "一、已全部完成。")
    Report.objects.filter(pk=report.pk).update(changes=Diff((Segment(INSERTED, "只存在于存储的差异里"),)).to_json())
    html = page(client, world.staff, reverse("opinions:case_detail", args=[received_case.pk])).content.decode()
    assert "<ins>只存在于存储的差异里</ins>" in html
    assert "<del>正在推进</del>" not in html


def test_a_resubmitted_identical_text_says_so_instead_of_an_empty_diff(client, world, received_case):
    submit(received_case, world, "相同的正文。", title="第一稿")
    submit(received_case, world, "相同的正文。", title="第二稿")
    html = page(client, world.staff, reverse("opinions:case_detail", args=[received_case.pk])).content.decode()
    assert "第 2 稿正文与第 1 稿《第一稿》相同。" in html


def test_a_pair_too_large_to_diff_is_capped_and_the_page_links_to_side_by_side(client, world, received_case):
    half = textdiff.MAX_CHARS // 2 + 1
    submit(received_case, world, "甲" * half)
    report = submit(received_case, world, "乙" * half)
    assert report.changes["too_large"]
    assert report.changes["segments"] == []
    html = page(client, world.staff, reverse("opinions:case_detail", args=[received_case.pk])).content.decode()
    compare = reverse("opinions:report_compare", args=[received_case.pk, report.pk])
    assert 'data-testid="diff-too-large"' in html
    assert f'href="{compare}"' in html
    assert '<details class="diff">' not in html


def test_side_by_side_shows_both_versions_paragraph_by_paragraph(client, world, received_case):
    submit(received_case, world, "一、总体情况。\n二、正在推进。\n", title="第一稿")
    report = submit(received_case, world, "一、总体情况。\n二、已全部完成。\n", title="第二稿")
    response = page(client, world.liaison, reverse("opinions:report_compare", args=[received_case.pk, report.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<tr class="para-equal"><td>一、总体情况。<br></td><td>一、总体情况。<br></td></tr>' in html
    assert '<tr class="para-replace"><td><del>二、正在推进。</del></td><td><ins>二、已全部完成。</ins></td></tr>' \
        in html


def test_another_bodys_liaison_cannot_see_the_side_by_side_page(client, world, received_case):
    submit(received_case, world, "甲")
    report = submit(received_case, world, "乙")
    url = reverse("opinions:report_compare", args=[received_case.pk, report.pk])
    assert page(client, world.court_liaison, url).status_code == 404
    assert page(client, world.liaison, url).status_code == 200


@pytest.mark.parametrize("which", ["first report", "report of another case"])
def test_side_by_side_is_404_without_two_versions_of_the_case(client, world, received_case, make_case, which):
    first = submit(received_case, world, "甲")
    if which == "first report":
        url = reverse("opinions:report_compare", args=[received_case.pk, first.pk])
    else:
        other = make_case(title="另一件")
        url = reverse("opinions:report_compare", args=[other.pk, submit(received_case, world, "乙").pk])
    assert page(client, world.staff, url).status_code == 404


def test_the_migration_stores_the_diffs_of_existing_reports(world, received_case, make_case):
    first = submit(received_case, world, "一稿")
    second = submit(received_case, world, "二稿")
    other_case = services.case_acknowledge(
        case=services.case_issue(case=make_case(title="另一件"), actor=world.staff), actor=world.liaison)
    first_of_other = submit(other_case, world, "另一件的一稿")  # written after "二稿", but of another case
    Report.objects.update(changes=None)  # as the new column is before the migration fills it
    importlib.import_module("opinions.migrations.0011_report_changes").store_changes(apps, None)
    assert Report.objects.get(pk=second.pk).changes == textdiff.diff("一稿", "二稿").to_json()
    assert Report.objects.get(pk=first.pk).changes is None  # nothing before it
    assert Report.objects.get(pk=first_of_other.pk).changes is None  # not a diff against the other case's report


def test_versions_are_numbered_and_the_diff_heading_names_both(client, world, received_case):
    submit(received_case, world, "一、总体情况。", title="初稿")
    submit(received_case, world, "一、总体情况。\n二、补充数据。", title="修改稿")
    html = page(client, world.staff, reverse("opinions:case_detail", args=[received_case.pk])).content.decode()
    assert html.count('data-testid="report-version"') == 2
    assert "第 1 稿" in html
    assert "第 2 稿与第 1 稿《初稿》相比的修改" in html
