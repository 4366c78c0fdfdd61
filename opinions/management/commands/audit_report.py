"""`manage.py audit_report 2023 --out 报告.docx` — the December audit-rectification report of an audit year, built
from the ledger as it stands (opinions.audit_report). The audit year names the case whose problems were found in it;
when two cases hold problems of that year, `--case` chooses one."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from npc_tracker.errors import DomainError
from opinions import audit_report
from opinions.models import AuditProblem, Case


class Command(BaseCommand):
    help = "Write the December audit-rectification report (Word) of an audit year: audit_report 2023 --out FILE.docx"

    def add_arguments(self, parser):
        parser.add_argument("audit_year", type=int, help="the fiscal year audited, e.g. 2023")
        parser.add_argument("--out", required=True, help="the .docx file to write")
        parser.add_argument("--case", type=int, help="the audit rectification case, when several hold that year")

    def handle(self, *args, audit_year, out, case=None, **options):
        cases = Case.objects.filter(pk__in=AuditProblem.objects.filter(audit_year=audit_year)
                                    .values("item__case")).order_by("pk")
        if case is not None:
            cases = cases.filter(pk=case)
        found = list(cases)
        if not found:
            raise CommandError(f"没有 {audit_year} 年度审计查出问题的整改件 / no case holds problems of {audit_year}"
                               + (f"（--case {case}）" if case else ""))
        if len(found) > 1:
            listed = "、".join(f"{c.pk}「{c.title}」" for c in found)
            raise CommandError(f"{audit_year} 年度的问题分属多件：{listed}；请用 --case 指定 / "
                               "several cases: choose one with --case")
        try:
            with audit_report.build(found[0], as_of=timezone.localdate()) as report, open(out, "wb") as target:
                target.write(report.read())
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"无法写入 {out}：{exc.strerror} / cannot write {out}") from exc
        self.stdout.write(f"已写入 {out}：{audit_report.report_title(audit_year)}")
