"""Seed the Henan rule sets (domain.md §4) and the working-day calendar for the years chinese-calendar knows."""

from django.db import migrations

HENAN_RULES = [
    # case kind, deadline rule, anchor, consultation, legal basis
    ("special_work_report", "months:3", "receipt", False, "河南省实施监督法办法第十一条：收到审议意见后三个月内"),
    ("plan_execution", "months:3", "receipt", False, "河南省实施监督法办法第二十条"),
    ("budget_execution", "months:2", "receipt", True, "河南省实施监督法办法第三十条：两个月内，先征求预算工作委员会意见"),
    ("law_enforcement_inspection", "months:3", "receipt", False, "河南省实施监督法办法第四十四条"),
    ("special_inquiry", "", "receipt", False, "监督法第五十条：及时研究处理，期限按个案确定"),
    ("work_appraisal", "", "issue", False, "按评议工作方案确定期限"),
    ("audit_rectification", "year_end", "meeting", False, "河南省实施监督法办法第三十条：当年 12 月向常委会报告整改情况"),
    ("motion", "", "issue", False, "议案办理，多年度，经常委会表决结案"),
    ("decision", "", "issue", False, "决议、决定执行情况定期报告"),
]


def seed(apps, schema_editor):
    from opinions.calendar_seed import calendar_rows, known_years

    RuleSet = apps.get_model("opinions", "RuleSet")
    for kind, rule, anchor, consult, basis in HENAN_RULES:
        RuleSet.objects.update_or_create(
            jurisdiction="河南省", case_kind=kind,
            defaults={"deadline_rule": rule, "anchor_event": anchor, "roll_forward": True,
                      "extension_approver": "leader", "consultation_required": consult, "handover_days": 10,
                      "legal_basis": basis},
        )
    CalendarDay = apps.get_model("opinions", "CalendarDay")
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    rows = [
        CalendarDay(date=day, is_workday=is_workday, note=note, source="chinese-calendar")
        for year in known_years() for day, is_workday, note in calendar_rows(year) if day not in existing
    ]
    CalendarDay.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("opinions", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
