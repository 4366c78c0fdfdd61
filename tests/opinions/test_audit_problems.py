"""The audit-problem ledger (issue 15): the import from the audit office's Excel list, the units' rectification
reports, 销号, 屡审屡犯 and 整改率 on one basis."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from npc_tracker.errors import DomainError, InvalidInput, NotAllowed
from opinions import audit_figures, audit_import, dashboard, services
from opinions.models import AuditArea, AuditProblem, Case, CaseItem
from opinions.selectors import DueSoon
from tests.audit_lists import HEADER, row, xlsx
from tests.files import PDF

pytestmark = pytest.mark.django_db

def imported(case, world, rows, **kwargs):
    return audit_import.import_problems(case=case, actor=world.staff, file=xlsx(rows, **kwargs))


# --- import -------------------------------------------------------------------------------------------------------


def test_a_list_is_imported_one_item_per_problem_and_each_unit_joins_the_case(audit_case, world, finance):
    result = imported(audit_case, world, [row("SJ2023-01-001"), row("SJ2023-01-002", unit="市发改委", amount=None,
                                                                     how="分阶段整改", area="专项资金")])
    assert result.errors == []
    assert (result.saved.created, result.saved.updated, result.saved.unchanged) == (2, 0, 0)
    first, second = AuditProblem.objects.order_by("reference").select_related("item", "area")
    assert (first.item.number, first.item.kind, first.item.heading, first.item.amount) == (
        1, "audit_problem", "非税收入未及时上缴", Decimal("100.00"))
    assert (first.item.responsible_body, first.area.name, first.rectification_type) == (finance, "预算执行",
                                                                                         "immediate")
    assert (second.item.responsible_body, second.item.amount, second.rectification_type) == (world.fgw, None,
                                                                                             "phased")
    assert set(audit_case.co_bodies.all()) == {finance, world.fgw}
    assert first.history.latest().history_change_reason == "从审计机关问题清单导入"


def test_a_reimport_updates_and_never_duplicates(audit_case, world):
    imported(audit_case, world, [row("SJ2023-01-001"), row("SJ2023-01-002")])
    result = imported(audit_case, world, [row("SJ2023-01-001", amount=150), row("SJ2023-01-002"),
                                          row("SJ2023-01-003")])
    assert (result.saved.created, result.saved.updated, result.saved.unchanged) == (1, 1, 1)
    assert AuditProblem.objects.count() == 3
    assert AuditProblem.objects.get(reference="SJ2023-01-001").item.amount == Decimal("150.00")
    assert sorted(audit_case.items.values_list("number", flat=True)) == [1, 2, 3]


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_imported(audit_case, world):
    result = imported(audit_case, world, [
        row("SJ2023-01-001"),
        row("SJ2023-01-002", area="不存在的领域", unit="安阳市不存在局"),
        row("SJ2023-01-003", amount="一百", year="二〇二三"),
        row("SJ2023-01-001", how="马上改"),
        row("", heading="", amount=-5),
    ])
    errors = [(e.row, e.column, e.message) for e in result.errors]
    assert errors == [
        (3, "问题领域", "未知的问题领域“不存在的领域”，请使用：预算执行、部门预算、重大政策落实、专项资金、国有资产。"),
        (3, "责任单位", "没有名为“安阳市不存在局”的单位。"),
        (4, "审计年度", "请填写年份，如 2023。"),
        (4, "涉及金额（万元）", "请填写不小于 0 的数字（万元），如 1234.56。"),
        (5, "整改类型", "请填写立行立改、分阶段整改或持续整改。"),
        (5, "问题编号", "与第 2 行的问题编号相同。"),
        (6, "问题编号", "必填。"),
        (6, "问题概要", "必填。"),
        (6, "涉及金额（万元）", "请填写不小于 0 的数字（万元），如 1234.56。"),
    ]
    assert result.saved is None
    assert not AuditProblem.objects.exists()
    assert not audit_case.items.exists()


def test_a_file_that_is_not_a_workbook_or_lacks_a_column_is_refused_whole(audit_case, world):
    result = audit_import.import_problems(case=audit_case, actor=world.staff, file=io.BytesIO(b"%PDF-1.4 not xlsx"))
    assert [e.message for e in result.errors] == ["文件不是 Excel 工作簿（.xlsx）：请下载模板填写。"]
    result = imported(audit_case, world, [row("SJ2023-01-001")[:4]], header=HEADER[:4])
    assert [(e.row, e.column) for e in result.errors] == [(1, "责任单位"), (1, "问题概要"), (1, "整改类型")]
    assert not AuditProblem.objects.exists()


def test_the_header_may_sit_under_a_title_and_english_headings_are_read(audit_case, world):
    english = ["Reference", "Audit year", "Area", "Problem type", "Unit responsible", "Summary", "Description",
               "Amount involved (10,000 yuan)", "Rectification type"]
    result = imported(audit_case, world, [row("SJ2023-01-001"), [None] * 9, row("SJ2023-01-002")],
                      header=english, title="2023 年度审计查出问题清单")
    assert result.errors == []
    assert result.saved.created == 2


def test_a_list_longer_than_the_limit_is_refused(audit_case, world, monkeypatch):
    monkeypatch.setattr(audit_import, "MAX_ROWS", 2)
    result = imported(audit_case, world, [row(f"SJ2023-01-00{n}") for n in range(1, 4)])
    assert [(e.row, e.message) for e in result.errors] == [(4, "每个文件最多 2 个问题，请拆分清单。")]


def test_only_the_cases_staff_import_into_an_audit_case_still_open(audit_case, world, make_case):
    with pytest.raises(NotAllowed):
        audit_import.import_problems(case=audit_case, actor=world.liaison, file=xlsx([row("SJ2023-01-001")]))
    with pytest.raises(NotAllowed):
        audit_import.import_problems(case=audit_case, actor=world.other_staff, file=xlsx([row("SJ2023-01-001")]))
    with pytest.raises(DomainError) as refused:
        imported(make_case(), world, [row("SJ2023-01-001")])
    assert refused.value.code == "wrong_kind"


def test_a_reference_on_another_case_is_a_row_error(audit_case, world, make_case):
    imported(audit_case, world, [row("SJ2023-01-001")])
    other = make_case(kind="audit_rectification", title="另一件审计整改", items=[], co_bodies=[])
    result = imported(other, world, [row("SJ2023-01-001")])
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "问题编号", "该年度的这个问题编号已在另一件中。")]


def test_the_template_opens_and_imports_as_it_is(audit_case, world):
    # Its example row names 安阳市财政局, which the fixture made.
    with translation.override("zh-hans"):
        sheet = load_workbook(audit_import.template_workbook()).active
    assert [cell.value for cell in sheet[1]] == HEADER
    workbook = Workbook()
    for values in sheet.iter_rows(values_only=True):
        workbook.active.append(values)
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    result = audit_import.import_problems(case=audit_case, actor=world.staff, file=output)
    assert result.errors == []
    assert result.saved.created == 1


# --- the units report, the staff verify ---------------------------------------------------------------------------


@pytest.fixture
def problem(audit_case, world):
    imported(audit_case, world, [row("SJ2023-01-001", amount=100), row("SJ2023-01-002", unit="市发改委")])
    return AuditProblem.objects.get(reference="SJ2023-01-001")


def test_a_unit_reports_the_money_rectified_by_way_and_the_sum_is_the_amount_rectified(problem, finance):
    reported = services.audit_problem_report(
        problem=problem, actor=finance.liaison, progress_note="已上缴国库 60 万元，调账 20 万元",
        ways={"paid_to_treasury": Decimal("60"), "accounts_adjusted": Decimal("20")}, rules_made=2,
        people_dealt_with=1, matters_referred=0)
    reported.item.refresh_from_db()
    assert (reported.item.status, reported.item.rectified_amount) == ("in_progress", Decimal("80.00"))
    assert (reported.rules_made, reported.people_dealt_with) == (2, 1)
    assert reported.history.latest().history_change_reason == "已上缴国库 60 万元，调账 20 万元"
    # Totals to date: a later report replaces a way's figure.
    again = services.audit_problem_report(problem=problem, actor=finance.liaison, progress_note="又上缴 20 万元",
                                          ways={"paid_to_treasury": Decimal("80")})
    again.item.refresh_from_db()
    assert again.item.rectified_amount == Decimal("100.00")


def test_more_than_the_amount_involved_is_refused_and_changes_nothing(problem, finance):
    with pytest.raises(InvalidInput) as refused:
        services.audit_problem_report(problem=problem, actor=finance.liaison, progress_note="多报",
                                      ways={"disbursed": Decimal("101")})
    assert refused.value.field == "rectified_amount"
    problem.refresh_from_db()
    assert problem.disbursed is None


def test_a_unit_reports_on_its_own_problems_only(problem, world, finance):
    other = AuditProblem.objects.get(reference="SJ2023-01-002")  # 市发改委's
    with pytest.raises(NotAllowed):
        services.audit_problem_report(problem=other, actor=finance.liaison, progress_note="代报", ways={})
    with pytest.raises(NotAllowed):
        services.audit_problem_report(problem=problem, actor=world.fgw_liaison, progress_note="代报", ways={})


def test_verifying_records_who_and_when(problem, world, finance):
    services.audit_problem_report(problem=problem, actor=finance.liaison, progress_note="已整改",
                                  ways={"paid_to_treasury": Decimal("100")})
    services.item_mark_done(item=problem.item, actor=finance.liaison, measures="全部上缴")
    services.item_verify(item=problem.item, actor=world.staff, note="经核实，同意销号")
    problem.refresh_from_db()
    assert problem.verified_by == world.staff
    assert problem.verified_at is not None
    assert problem.history.latest().history_user == world.staff


# --- 整改率 on one basis ----------------------------------------------------------------------------------------


def test_the_rates_count_audit_problems_only_overall_per_unit_and_per_area(problem, audit_case, world, finance,
                                                                          make_case):
    services.audit_problem_report(problem=problem, actor=finance.liaison, progress_note="已整改",
                                  ways={"paid_to_treasury": Decimal("100")})
    services.item_mark_done(item=problem.item, actor=finance.liaison, measures="全部上缴")
    services.item_verify(item=problem.item, actor=world.staff)
    # An opinion item closed elsewhere is not an audit problem: it must not move the rate.
    plain = services.case_acknowledge(case=services.case_issue(case=make_case(), actor=world.staff,
                                                               issued_date=date(2026, 6, 1)),
                                      actor=world.liaison, received_date=date(2026, 6, 2))
    item = plain.items.first()
    services.item_report_progress(item=item, actor=world.liaison, progress_note="推进")
    services.item_mark_done(item=item, actor=world.liaison, measures="完成")
    services.item_verify(item=item, actor=world.staff)

    overall = audit_figures.rectification(AuditProblem.objects.all())
    assert (overall.problems, overall.rectified, overall.rate) == (2, 1, 50.0)
    assert (overall.amount_involved, overall.amount_rectified, overall.rate_by_amount) == (
        Decimal("200.00"), Decimal("100.00"), 50.0)
    by_unit = {name: (r.problems, r.rectified, r.rate) for _pk, name, r in
               audit_figures.rectification_by(AuditProblem.objects.all(), "unit")}
    assert by_unit == {"安阳市财政局": (1, 1, 100.0), world.fgw.name: (1, 0, 0.0)}
    assert [(name, r.problems) for _pk, name, r in
            audit_figures.rectification_by(AuditProblem.objects.all(), "area")] == [("预算执行", 2)]
    figures = dashboard.figures(Case.objects.all(), date(2026, 6, 10), DueSoon({}, 14))
    assert (figures.audit_problems, figures.audit_problems_rectified, figures.rectification_rate,
            figures.rectification_rate_by_amount) == (2, 1, 50.0, 50.0)
    assert CaseItem.objects.filter(status="closed").count() == 2


# --- 屡审屡犯 -----------------------------------------------------------------------------------------------------


def test_earlier_problems_of_the_same_unit_and_type_are_suggested_and_confirmed_by_the_staff(audit_case, world,
                                                                                            finance, make_case):
    earlier_case = make_case(kind="audit_rectification", title="2022 年度审计整改", items=[], co_bodies=[])
    imported(earlier_case, world, [row("SJ2022-01-001", year=2022), row("SJ2022-01-002", year=2022,
                                                                          kind="资产闲置")])
    imported(audit_case, world, [row("SJ2023-01-001"), row("SJ2023-01-002", unit="市发改委")])
    earlier = AuditProblem.objects.get(reference="SJ2022-01-001")
    current = AuditProblem.objects.select_related("item").filter(audit_year=2023).order_by("reference")
    assert audit_figures.suggested_repeats(list(current)) == {current[0].pk: [earlier], current[1].pk: []}
    with pytest.raises(NotAllowed):
        services.audit_problem_confirm_repeat(problem=current[0], actor=finance.liaison, repeat_of=earlier)
    with pytest.raises(InvalidInput):  # another unit's
        services.audit_problem_confirm_repeat(problem=current[1], actor=world.staff, repeat_of=earlier)
    with pytest.raises(InvalidInput):  # not earlier
        services.audit_problem_confirm_repeat(problem=earlier, actor=world.staff, repeat_of=current[0])
    confirmed = services.audit_problem_confirm_repeat(problem=current[0], actor=world.staff, repeat_of=earlier)
    assert confirmed.repeat_of == earlier
    assert confirmed.history.latest().history_change_reason == "确认为屡审屡犯：SJ2022-01-001"
    assert audit_figures.suggested_repeats([confirmed]) == {}
    assert audit_figures.rectification(AuditProblem.objects.filter(audit_year=2023)).repeats == 1


def test_the_area_list_is_editable_and_starts_with_the_usual_areas():
    assert list(AuditArea.objects.values_list("name", flat=True)) == ["预算执行", "部门预算", "重大政策落实",
                                                                     "专项资金", "国有资产"]


def test_the_league_table_rates_each_unit_on_the_same_basis_and_adds_units_without_cases(problem, world, finance):
    services.audit_problem_report(problem=problem, actor=finance.liaison, progress_note="已整改",
                                  ways={"paid_to_treasury": Decimal("100")})
    services.item_mark_done(item=problem.item, actor=finance.liaison, measures="全部上缴")
    services.item_verify(item=problem.item, actor=world.staff)
    table = {row["body_name"]: row for row in dashboard.league_table(Case.objects.all(), date(2026, 6, 10),
                                                                      "rectification_rate")}
    # 市财政局 leads no case: it joins the table as the unit of its problems.
    assert (table["安阳市财政局"]["cases"], table["安阳市财政局"]["audit_problems"],
            table["安阳市财政局"]["rectification_rate"]) == (0, 1, 100.0)
    assert (table[world.fgw.name]["audit_problems"], table[world.fgw.name]["rectification_rate"]) == (1, 0.0)
    assert table[world.gov.name]["rectification_rate"] is None
    by_unit = {name: r.rate for _pk, name, r in audit_figures.rectification_by(AuditProblem.objects.all(), "unit")}
    assert by_unit == {"安阳市财政局": 100.0, world.fgw.name: 0.0}
    order = [row["body_name"] for row in dashboard.league_table(Case.objects.all(), date(2026, 6, 10),
                                                                "rectification_rate")]
    assert order.index(world.fgw.name) < order.index("安阳市财政局") < order.index(world.gov.name)


# --- the import as a task ---------------------------------------------------------------------------------------


def start(case, world, rows, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    queued = []
    job = audit_import.start(case=case, actor=world.staff, file=xlsx(rows), then=queued.append)
    return job, queued


def test_an_upload_is_kept_queued_and_run_once(audit_case, world, settings, tmp_path,
                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job, queued = start(audit_case, world, [row("SJ2023-01-001"), row("SJ2023-01-002")], settings, tmp_path)
    assert queued == [job.pk]  # handed to the task once committed
    assert (job.state, job.original_name) == ("queued", "审计查出问题清单.xlsx")
    done = audit_import.run(job.pk)
    assert (done.state, done.rows, done.created, done.finished_at is not None) == ("done", 2, 2, True)
    assert audit_import.run(job.pk) is None  # a second delivery finds it taken
    assert AuditProblem.objects.count() == 2
    assert audit_import.progress_of(done) == {"phase": "", "done": 0, "total": 0}  # cleared when finished


def test_the_import_tells_how_far_it_has_got(audit_case, world):
    calls = []
    rows = [row(f"SJ2023-01-{n:03d}") for n in range(1, 251)]
    result = audit_import.import_problems(case=audit_case, actor=world.staff, file=xlsx(rows),
                                          progress=lambda *call: calls.append(call))
    assert result.saved.created == 250
    assert calls == [("reading", 0, 0), ("checking", 0, 250), ("saving", 0, 250), ("saving", 100, 250),
                     ("saving", 200, 250)]


def test_a_running_import_shows_its_progress_from_the_cache(audit_case, world, settings, tmp_path, monkeypatch):
    job, _queued = start(audit_case, world, [row("SJ2023-01-001")], settings, tmp_path)
    seen = []
    real_save = audit_import.audit_problems_save

    def watching(**kwargs):
        kwargs["progress"]("saving", 0, 1)
        seen.append(audit_import.progress_of(job))
        return real_save(**kwargs)

    monkeypatch.setattr(audit_import, "audit_problems_save", watching)
    audit_import.run(job.pk)
    assert seen == [{"phase": "saving", "done": 0, "total": 1}]


def test_a_refused_list_keeps_its_errors_and_a_crash_fails_the_import_with_nothing_saved(audit_case, world,
                                                                                       settings, tmp_path,
                                                                                       monkeypatch):
    job, _queued = start(audit_case, world, [row("SJ2023-01-001", area="无此领域")], settings, tmp_path)
    refused = audit_import.run(job.pk)
    assert refused.state == "refused"
    assert [(e["row"], e["column"]) for e in refused.errors] == [(2, "问题领域")]
    assert refused.errors[0]["message"].startswith("未知的问题领域“无此领域”")
    job, _queued = start(audit_case, world, [row("SJ2023-01-001")], settings, tmp_path)

    def crash(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit_import, "audit_problems_save", crash)
    failed = audit_import.run(job.pk)
    assert failed.state == "failed"
    assert failed.errors[0]["message"].startswith("服务器导入失败")
    assert not AuditProblem.objects.exists()


def test_only_a_workbook_for_an_open_audit_case_by_its_staff_is_queued(audit_case, world, settings, tmp_path,
                                                                       make_case):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(NotAllowed):
        audit_import.start(case=audit_case, actor=world.liaison, file=xlsx([]), then=print)
    with pytest.raises(DomainError):
        audit_import.start(case=make_case(), actor=world.staff, file=xlsx([]), then=print)
    with pytest.raises(InvalidInput):
        audit_import.start(case=audit_case, actor=world.staff, file=SimpleUploadedFile("清单.pdf", PDF), then=print)
    assert not audit_import.AuditImport.objects.exists()
