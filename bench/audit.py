"""Benchmark: the audit office's list imported (the task's work) and the December report written, at the sizes the
code allows (issue 15). Prints figures; asserts nothing.

    .venv/bin/python bench/audit.py [--problems 5000]                      # the embedded SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/audit.py

Works in a database of its own (npc_bench_audit, dropped and re-created), so it never touches real data:
  1. opinions.audit_import.import_problems of a list of --problems rows (opinions.audit_import.MAX_ROWS at most per
     file) into a new audit case: wall time, queries, growth of the maximum resident set;
  2. the same file again (every row unchanged: the re-import compares and writes nothing);
  3. opinions.audit_report.build of that case (opinions.audit_report.MAX_PROBLEMS at most): wall time, file size.
"""

import argparse
import io
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--problems", type=int, default=5000)
    args = parser.parse_args()

    from bench._db import Counted, open_bench_database

    print("database:", open_bench_database("npc_bench_audit", sqlite=True))
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.db import connection
    from openpyxl import Workbook

    from agencies.models import Body, BodyKind, Committee, CommitteeKind, Membership, MembershipRole
    from opinions import audit_import, audit_report, services

    office = Committee.objects.create(name="办公室", kind=CommitteeKind.OFFICE)
    staff = get_user_model().objects.create_user(username="bench_staff")
    Membership.objects.create(user=staff, role=MembershipRole.STAFF, committee=office)
    gov = Body.objects.create(name="安阳市人民政府", kind=BodyKind.GOVERNMENT)
    units = [Body.objects.create(name=f"安阳市单位{n:02d}", kind=BodyKind.DEPARTMENT, parent=gov) for n in range(12)]
    case = services.case_create(actor=staff, kind="audit_rectification", title="基准：审计查出问题整改", lead_body=gov,
                                items=[])
    areas = ["预算执行", "部门预算", "重大政策落实", "专项资金", "国有资产"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([zh for _key, zh, _en, _required in audit_import.COLUMNS])
    for n in range(args.problems):
        sheet.append([f"SJ2025-{n:05d}", 2025, areas[n % 5], f"问题类型{n % 40}", units[n % 12].name,
                      f"第 {n} 个问题的概要", "审计发现……" * 10, round(100 + n * 1.37, 2), "立行立改"])
    data = io.BytesIO()
    workbook.save(data)
    print(f"file: {args.problems} rows, {len(data.getvalue()) / 1e6:.1f} MB")

    figures = []
    for label in ("import", "re-import (unchanged)"):
        data.seek(0)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        queries = Counted()
        with connection.execute_wrapper(queries):
            started = time.perf_counter()
            result = audit_import.import_problems(case=case, actor=staff, file=data)
            seconds = time.perf_counter() - started
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        assert not result.errors, result.errors[:3]
        figures.append((label, seconds, queries.n, f"+{grown:.0f} MiB max RSS", str(result.saved)))
    started = time.perf_counter()
    with audit_report.build(case, as_of=date(2025, 12, 1)) as report:
        size = len(report.read())
    figures.append(("December report", time.perf_counter() - started, None, f"{size / 1e6:.2f} MB file", ""))

    print("\n| step | seconds | queries | memory / size | result |\n|---|---:|---:|---|---|")
    for label, seconds, queries, memory, result in figures:
        print(f"| {label} | {seconds:.2f} | {queries if queries is not None else '—'} | {memory} | {result} |")


if __name__ == "__main__":
    main()
