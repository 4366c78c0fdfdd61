"""Benchmark: the ledgers (台账) as Excel and CSV, and the workbook writer alone (issue 15 §6). Prints figures;
asserts nothing. The target: every Excel export writes 10,000 cases (with ~5 items each), or 50,000 rows of
another ledger, in 5 s or less, in bounded memory.

    .venv/bin/python bench/exports.py [--cases 10000] [--runs 3]             # the embedded SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/exports.py

Works in a database of its own (npc_bench_exports: on the PostgreSQL server DATABASE_URL names, or without
DATABASE_URL a SQLite file in the temporary directory, with the embedded default's settings), dropped and re-created
unless --reuse, so it never touches real data. `manage.py generate_dataset --cases N --items-per-case 5` fills it in
a child process (cases of every kind and status, items with audit amounts, co-handling bodies, evaluations, history
rows; not measured), then:
  1. opinions.exports.ledger_workbook of every case, queried as the export view does for a staff member (the case
     list, most urgent first): wall time and CPU time of this process (best of --runs after a warm-up), queries,
     file size; the warm-up's growth of the process's maximum resident set; then one more run under tracemalloc
     for the peak of Python allocations;
  2. opinions.exports.ledger_csv, the same (the CSV is read to its end, as the streaming response does);
  3. npc_tracker.spreadsheets.write_workbook alone: --rows synthetic rows of 15 columns (text, Chinese text,
     numbers, decimals, dates, date-times, empty cells), as another ledger would write them;
  4. opinions.audit_exports.ledger_workbook, the audit-problem ledger (审计查出问题整改台账) of --problems problems
     (five audit years of audit rectification cases, inserted in bulk in a child process, not measured: units,
     areas, amounts, money by way, counts, some verified (销号) and some repeats), queried as the export view does
     for a staff member (every row visible, no filter): the sheet of problems and the two sheets of rates.
CPU time leaves out the database server's share (PostgreSQL), and also the waiting when other work shares the
machine: the load average is printed. A markdown table ends the output.
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 5.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--items-per-case", type=int, default=5)
    parser.add_argument("--rows", type=int, default=50_000, help="rows of the synthetic sheet (step 3)")
    parser.add_argument("--problems", type=int, default=50_000, help="audit problems of the audit ledger (step 4)")
    parser.add_argument("--grow-audit", type=int, default=None, help=argparse.SUPPRESS)  # the child of step 4
    parser.add_argument("--runs", type=int, default=3, help="timed runs per measurement (after one warm-up)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="npc_bench_exports", help="name of the benchmark's own database")
    parser.add_argument("--reuse", action="store_true", help="keep the benchmark database if it exists")
    args = parser.parse_args()
    if args.grow_audit is not None:  # the child process that fills the audit ledger (DATABASE_URL inherited)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npc_tracker.settings")
        import django

        django.setup()
        grow_audit_problems(args.grow_audit, args.seed)
        return
    from bench._db import open_bench_database

    print(f"database: {open_bench_database(args.database, fresh=not args.reuse, sqlite=True)}")
    from django.utils import translation

    translation.activate("zh-hans")  # the product's language: headers and labels as users get them
    grow(args)
    results = []
    cases = every_case()
    from opinions import exports

    results.append(measure("ledger_workbook", lambda: file_size(exports.ledger_workbook(cases)), args.runs))
    results.append(measure("ledger_csv", lambda: sum(len(line.encode()) for line in exports.ledger_csv(cases)),
                           args.runs))
    results.append(measure(f"write_workbook, {args.rows:,} rows × 15", lambda: synthetic_workbook(args.rows),
                           args.runs))
    problems = every_audit_problem(args)
    from opinions import audit_exports

    results.append(measure(f"audit ledger_workbook, {problems.count():,} problems",
                           lambda: file_size(audit_exports.ledger_workbook(problems)), args.runs))
    print(f"\nload average {' '.join(f'{n:.2f}' for n in os.getloadavg())} on {os.cpu_count()} cores")
    print(f"\n| {args.cases:,} cases, {engine()} | best wall s | best CPU s | queries | size | peak Python memory "
          "| max RSS growth |\n|---|---:|---:|---:|---:|---:|---:|")
    for name, wall, cpu, queries, size, peak, rss in results:
        verdict = "" if wall <= TARGET_SECONDS else " (over the target)"
        print(f"| {name} | {wall:.2f}{verdict} | {cpu:.2f} | {queries} | {size / 1e6:.1f} MB | {peak / 2**20:.1f} MiB "
              f"| {rss / 1024:.1f} MiB |")


def grow(args) -> None:
    """Generate in a child process: the dataset's objects never count in this process's memory figures."""
    from opinions.management.commands.generate_dataset import generated_cases

    missing = args.cases - generated_cases().count()
    if missing > 0:
        subprocess.run([sys.executable, "manage.py", "generate_dataset", "--cases", str(missing), "--seed",
                        str(args.seed), "--items-per-case", str(args.items_per_case)], cwd=ROOT, check=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def every_case():
    """Every case, as the export view queries them for a staff member who sees all: the list's filters left
    empty, most urgent first."""
    from agencies.models import Membership, MembershipRole
    from opinions import selectors
    from opinions.models import CaseItem

    staff = Membership.objects.filter(role=MembershipRole.STAFF, is_active=True).order_by("pk").first().user
    cases = selectors.by_urgency(selectors.case_list(staff))
    print(f"{cases.count():,} cases, {CaseItem.objects.count():,} items; as staff member {staff.username}")
    return cases


AUDIT_REF = "BENCH-AUDIT-"  # the benchmark's audit rectification cases, one per audit year
AUDIT_YEARS = 5


def every_audit_problem(args):
    """The audit ledger of --problems problems (grown in a child process if missing), as the export view reads it
    for a staff member who sees all: AuditProblemFilterSet with no filter over audit_problems_visible_to."""
    from agencies.models import Membership, MembershipRole
    from opinions import selectors
    from opinions.filtersets import AuditProblemFilterSet
    from opinions.models import AuditProblem

    if AuditProblem.objects.count() < args.problems:
        subprocess.run([sys.executable, __file__, "--grow-audit", str(args.problems - AuditProblem.objects.count()),
                        "--seed", str(args.seed)], cwd=ROOT, check=True)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    staff = Membership.objects.filter(role=MembershipRole.STAFF, is_active=True).order_by("pk").first().user
    problems = AuditProblemFilterSet({}, queryset=selectors.audit_problems_visible_to(staff)).qs
    print(f"{problems.count():,} audit problems; as staff member {staff.username}")
    return problems


def grow_audit_problems(count: int, seed: int) -> None:
    """`count` more audit problems, spread over AUDIT_YEARS audit rectification cases (an item's number is a
    small integer: at most 32,767 a case), inserted in bulk: the items, then the problems; about one in eight
    verified, one in twenty a repeat of the same unit's problem of the year before."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from agencies.models import Body, BodyKind, Committee
    from opinions.models import AuditArea, AuditProblem, Case, CaseItem

    rng = random.Random(seed)
    government = Body.objects.filter(kind=BodyKind.GOVERNMENT).order_by("pk").first()
    units = list(Body.objects.filter(kind=BodyKind.DEPARTMENT).order_by("pk")[:30]) or [government]
    committee = Committee.objects.order_by("pk").first()
    areas = list(AuditArea.objects.all())
    verifier = get_user_model().objects.order_by("pk").first()
    kinds = ["未及时上缴非税收入", "专项资金闲置", "违规发放津贴补贴", "政府采购不规范", "国有资产出租收入未上缴",
             "项目建设进度滞后", "预算编制不细化", "绩效目标设置不合理"]
    per_year = -(-count // AUDIT_YEARS)
    moment = timezone.now()
    previous = {}  # (unit, kind) -> a problem of the year before
    made = 0
    for offset in range(AUDIT_YEARS):
        year = 2019 + offset
        title = f"关于 {year} 年度市本级预算执行和其他财政收支审计查出问题的整改"
        case, _ = Case.objects.get_or_create(external_ref=f"{AUDIT_REF}{year}", defaults={
            "kind": "audit_rectification", "title": title, "lead_body": government,
            "supervising_committee": committee, "status": "in_progress"})
        start = (case.items.aggregate(n=Max("number"))["n"] or 0) + 1
        size = min(per_year, count - made, 32_767 - start + 1)
        current = {}
        for chunk_start in range(0, size, 2000):
            with transaction.atomic():
                rows = []
                for n in range(start + chunk_start, start + min(chunk_start + 2000, size)):
                    unit, kind = rng.choice(units), rng.choice(kinds)
                    amount = Decimal(rng.randrange(0, 10**7)) / 100 if n % 5 else None
                    status = rng.choice(["not_started", "in_progress", "in_progress", "done", "closed",
                                         "carried_over", "in_progress", "closed"])
                    ways = [None] * 5
                    if amount and status != "not_started":
                        ways[rng.randrange(5)] = (amount * rng.choice([Decimal("0.5"), 1])).quantize(Decimal("0.01"))
                    rows.append((CaseItem(case=case, number=n, kind="audit_problem", heading=f"{kind}（{n}）",
                                          text=f"审计发现：{kind}。" * 3, responsible_body=unit, status=status,
                                          amount=amount, rectified_amount=sum(w for w in ways if w) or None,
                                          progress_note="已制定整改方案，正在推进。" if status != "not_started"
                                          else ""), kind, ways))
                items = CaseItem.objects.bulk_create([item for item, _kind, _ways in rows])
                problems = []
                for item, (_item, kind, ways) in zip(items, rows, strict=True):
                    closed = item.status == "closed"
                    earlier = previous.get((item.responsible_body_id, kind)) if item.number % 20 == 0 else None
                    problems.append(AuditProblem(
                        item=item, reference=f"SJ{year}-{item.number:05d}", audit_year=year, area=rng.choice(areas),
                        problem_type=kind, rectification_type=rng.choice(["immediate", "phased", "continuing"]),
                        paid_to_treasury=ways[0], disbursed=ways[1], accounts_adjusted=ways[2],
                        returned_to_source=ways[3], losses_recovered=ways[4], rules_made=rng.randrange(3),
                        people_dealt_with=rng.randrange(2), matters_referred=rng.randrange(2), repeat_of=earlier,
                        verified_by=verifier if closed else None, verified_at=moment if closed else None))
                    current.setdefault((item.responsible_body_id, kind), problems[-1])
                AuditProblem.objects.bulk_create(problems)
        previous = current
        made += size
        if made >= count:
            break
    print(f"{made:,} audit problems made", flush=True)


def engine() -> str:
    from django.db import connection

    return {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(connection.vendor, connection.vendor)


def measure(name: str, call, runs: int):
    """Best wall and CPU time over the runs after a warm-up (whose growth of the maximum resident set is kept),
    the most queries a run made, the output's size, and the peak of Python allocations in one more run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = call()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    walls, cpus, queries = [], [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            call()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        queries = max(queries, len(captured))
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{name}: best {min(walls):.2f} s wall ({', '.join(f'{t:.2f}' for t in walls)}), {min(cpus):.2f} s CPU, "
          f"{queries} queries, {size / 1e6:.1f} MB; peak Python memory {peak / 2**20:.1f} MiB (tracemalloc), "
          f"max RSS grew {rss_growth / 1024:.1f} MiB")
    return name, min(walls), min(cpus), queries, size, peak, rss_growth


def file_size(output) -> int:
    with output:
        output.seek(0, os.SEEK_END)
        return output.tell()


COLUMNS = ["序号", "问题编号", "问题类型", "问题描述", "责任单位", "涉及金额（万元）", "已整改金额（万元）", "整改期限",
           "状态", "整改措施", "最新进展", "发现日期", "最后更新", "天数", "备注"]
PHRASES = ["违规发放津贴补贴", "专项资金闲置", "政府采购程序不规范", "国有资产出租收入未及时上缴", "项目建设进度滞后",
           "=SUM(A1:A9)", "已追回 80 万元，剩余部分正在追缴"]


def synthetic_rows(count: int):
    """Rows of an audit-problem ledger: every cell type the writer handles, some text that looks like a formula."""
    rng = random.Random(1)
    start, moment = date(2024, 1, 1), datetime(2026, 6, 1, 9, 30)
    for n in range(1, count + 1):
        amount = Decimal(rng.randrange(0, 10**7)) / 100
        yield [n, f"SJ-2025-{n:06d}", rng.choice(["资金管理", "项目管理", "资产管理"]),
               rng.choice(PHRASES) * rng.randint(1, 4), f"安阳市{rng.choice(['财政局', '教育局', '交通运输局'])}",
               amount, amount / 2 if n % 3 else None, start + timedelta(days=n % 700),
               rng.choice(["整改中", "已整改", "持续整改"]), rng.choice(PHRASES) * 3,
               rng.choice(PHRASES) if n % 2 else None,
               start + timedelta(days=n % 365), moment + timedelta(minutes=n), rng.randint(-90, 300), None]


def synthetic_workbook(count: int) -> int:
    from npc_tracker.spreadsheets import Sheet, write_workbook

    widths = [8, 16, 12, 48, 24, 12, 12, 12, 10, 48, 40, 12, 17, 8, 20]
    sheet = Sheet("审计查出问题", COLUMNS, synthetic_rows(count), widths=widths)
    return file_size(write_workbook([sheet], heading="审计查出问题整改台账", as_of="截至 2026-06-10"))


if __name__ == "__main__":
    main()
