"""The case page costs the same number of queries however long the case's history is (issue 11 §7): the
timeline reads each history table once, its many-to-many values (co-handling bodies) once, and each related
object it names once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from opinions import services
from opinions.selectors import case_timeline


def edit(case, world, times: int):
    for number in range(times):
        services.case_update_draft(case=case, actor=world.office_staff, title=f"第 {number} 稿",
                                   co_bodies=[world.court] if number % 2 == 0 else [world.fgw, world.court],
                                   supervising_committee=world.yusuan if number % 2 == 0 else world.caijing)


def page_queries(client, case) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/cases/{case.pk}/").status_code == 200
    return len(queries)


def test_the_case_page_makes_as_many_queries_for_twelve_edits_as_for_two(client, world, make_case):
    client.force_login(world.office_staff)
    case = make_case()
    edit(case, world, 2)
    few = page_queries(client, case)
    edit(case, world, 10)
    assert page_queries(client, case) == few


def test_the_timeline_names_the_co_handling_bodies_and_committees_each_edit_changed(world, make_case):
    case = make_case()  # co-handled by 市发改委
    edit(case, world, 2)
    changes = [(change.field, change.old, change.new)
               for entry in reversed(case_timeline(case)) for change in entry.changes if change.field != "标题"]
    assert changes == [("协办单位", "—", "市发改委"),
                       ("督办机构", "财经工委", "预算工委"), ("协办单位", "市发改委", "—"), ("协办单位", "—", "市中院"),
                       ("督办机构", "预算工委", "财经工委"), ("协办单位", "市中院", "市中院, 市发改委")]
