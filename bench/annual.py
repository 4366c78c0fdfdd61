"""Benchmark: the year's statistics (issue 16 §3) at a few sizes: the figures, the page, the Word report and the Excel
workbook. Prints figures; asserts nothing.

    .venv/bin/python bench/annual.py [--sizes 2000,10000,40000] [--runs 5]          # the embedded SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/annual.py

Works in a database of its own (npc_bench_annual: on the PostgreSQL server DATABASE_URL names, or without DATABASE_URL a
SQLite file in the temporary directory), dropped and re-created unless --reuse, so it never touches real data. At each
size, `manage.py generate_dataset` grows the cases to it in a child process (ten years of meetings and cases of every
kind and status, items, co-handling bodies, evaluations; not measured), and this script adds in bulk what the generator
does not make (not measured either): an extension request for one case in eight, half of them approved and a quarter
refused; a final report returned for revision for one in ten; an audit problem for every item of the audit rectification
cases, a third of them verified (销号). Then, for the busiest year (the most cases issued), as a leader:
  1. opinions.annual.figures: median wall time over --runs, queries;
  2. the page /cases/stats/<year>/ through django.test.Client in this process: median, queries;
  3. the Word report (opinions.annual_report.build) and the Excel workbook (opinions.annual_exports.workbook):
     median, file size.
A markdown table ends the output.
"""

import argparse
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = "2026-06-10"  # the generator's today: cases still open and overdue in the last years


def grow(size: int, seed: int) -> None:
    from opinions.management.commands.generate_dataset import generated_cases

    missing = size - generated_cases().count()
    if missing > 0:
        subprocess.run([sys.executable, "manage.py", "generate_dataset", "--cases", str(missing), "--seed", str(seed),
                        "--items-per-case", "3", "--years", "10", "--today", TODAY], cwd=ROOT, check=True)


def add_events(seed: int) -> None:
    """Extension requests, returned reports and audit problems for the cases that have none yet, in bulk."""
    from django.db import connection, transaction

    from opinions.choices import ExtensionDecision, ItemKind, ReportKind, ReviewOutcome
    from opinions.models import AuditArea, AuditProblem, Case, CaseItem, Extension, Report
    from opinions.workflow import ItemStatus

    rng = random.Random(seed)
    areas = list(AuditArea.objects.all())
    with transaction.atomic():
        has_extension = set(Extension.objects.values_list("case", flat=True))
        has_report = set(Report.objects.values_list("case", flat=True))
        extensions, reports = [], []
        for pk, issued, due in Case.objects.filter(issued_date__isnull=False).values_list("pk", "issued_date",
                                                                                           "due_date"):
            moment = datetime.combine(issued + timedelta(days=30), datetime.min.time(), tzinfo=SHANGHAI)
            if pk % 8 == 0 and pk not in has_extension and due is not None:
                decision = rng.choice([ExtensionDecision.APPROVED] * 2 + [ExtensionDecision.REFUSED,
                                                                          ExtensionDecision.PENDING])
                extensions.append(Extension(case_id=pk, requested_date=due + timedelta(days=30), reason="基准",
                                            requested_at=moment, previous_due_date=due, decision=decision))
            if pk % 10 == 0 and pk not in has_report:
                reports.append(Report(case_id=pk, kind=ReportKind.FINAL, title="办理情况报告", text="基准",
                                       submitted_at=moment, review_outcome=ReviewOutcome.RETURNED,
                                       reviewed_at=moment + timedelta(days=5)))
        Extension.objects.bulk_create(extensions, batch_size=2000)
        Report.objects.bulk_create(reports, batch_size=2000)
        items = (CaseItem.objects.filter(case__kind="audit_rectification", audit__isnull=True)
                 .values_list("pk", "case__issued_date"))
        problems, verified = [], []
        for pk, issued in items:
            year = (issued.year - 1) if issued else 2020
            problems.append(AuditProblem(item_id=pk, reference=f"BENCH-{pk}", audit_year=year,
                                         area=areas[pk % len(areas)], problem_type=f"问题类型{pk % 30}",
                                         rectification_type="immediate"))
            if pk % 3 == 0:
                verified.append(pk)
        AuditProblem.objects.bulk_create(problems, batch_size=2000)
        # The generator's items of audit cases become problems; a third verified (a bench-only shortcut).
        CaseItem.objects.filter(pk__in=verified).update(status=ItemStatus.CLOSED, kind=ItemKind.AUDIT_PROBLEM)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"  + {len(extensions):,} extension requests, {len(reports):,} returned reports, "
          f"{len(problems):,} audit problems")


def timed(runs: int, work) -> tuple[float, int, object]:
    """Median seconds over `runs` after a warm-up, the queries of one run, and its result."""
    from django.db import connection

    from bench._db import Counted

    work()
    counted = Counted()
    with connection.execute_wrapper(counted):
        result = work()
    seconds = []
    for _run in range(runs):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), counted.n, result


def size_of(output) -> int:
    with output:
        return len(output.read())


def measure(client, year: int, today, runs: int) -> list[tuple]:
    """(step, median seconds, queries, size) of each step, for one year."""
    from opinions import annual, annual_exports, annual_report

    rows = []
    seconds, queries, _figures = timed(runs, lambda: annual.figures(year, today))
    rows.append(("opinions.annual.figures", seconds, queries, ""))
    url = f"/cases/stats/{year}/"
    seconds, queries, response = timed(runs, lambda: client.get(url))
    assert response.status_code == 200, response.status_code
    rows.append((f"page {url}", seconds, queries, f"{len(response.content) / 1e3:.0f} kB"))
    seconds, queries, size = timed(runs, lambda: size_of(annual_report.build(year, today=today)))
    rows.append(("Word report", seconds, queries, f"{size / 1e3:.0f} kB"))
    seconds, queries, size = timed(runs, lambda: size_of(annual_exports.workbook(annual.figures(year, today))))
    rows.append(("Excel workbook", seconds, queries, f"{size / 1e3:.0f} kB"))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,10000,40000", help="numbers of cases, comma-separated, growing")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run and grow it")
    args = parser.parse_args()

    from bench._db import open_bench_database

    print("database:", open_bench_database("npc_bench_annual", fresh=not args.reuse, sqlite=True))
    from datetime import date

    import time_machine
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.db.models.functions import ExtractYear
    from django.test import Client

    from agencies.models import Membership, MembershipRole
    from opinions.models import Case

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    today = date.fromisoformat(TODAY)
    leader, created = get_user_model().objects.get_or_create(username="bench_leader")
    if created:
        Membership.objects.create(user=leader, role=MembershipRole.LEADER)
    client = Client()
    client.force_login(leader)
    rows = []
    for size in (int(n) for n in args.sizes.split(",")):
        grow(size, args.seed)
        add_events(args.seed)
        busiest = (Case.objects.filter(issued_date__isnull=False).annotate(year=ExtractYear("issued_date"))
                   .values("year").annotate(n=Count("pk")).order_by("-n").first())
        year, in_year = busiest["year"], busiest["n"]
        total = Case.objects.count()
        print(f"{total:,} cases; {year}: {in_year:,} issued")
        with time_machine.travel(datetime.fromisoformat(f"{TODAY}T10:00:00+08:00"), tick=True):
            rows += [(total, year, in_year, *row) for row in measure(client, year, today, args.runs)]

    print("\n| cases | year | issued in it | step | median s | queries | size |\n|---:|---:|---:|---|---:|---:|---:|")
    for total, year, in_year, step, seconds, queries, size in rows:
        print(f"| {total:,} | {year} | {in_year:,} | {step} | {seconds:.3f} | {queries} | {size} |")


if __name__ == "__main__":
    main()
