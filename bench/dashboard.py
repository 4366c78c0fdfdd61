"""Benchmark: leadership's figures, the case list and the Excel ledger at 10,000 and 100,000 cases (issue 6).
Prints figures; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/dashboard.py [--runs 15]

Works in its own database (npc_bench_dashboard, dropped and re-created unless --reuse), so it never touches real
data. At each size, after `manage.py generate_dataset` has grown the dataset to it and VACUUM ANALYZE (what
autovacuum does after a bulk load):
  1. every public selector of opinions.dashboard (those taking the cases and today): median time over --runs,
     query count, and the same aggregates written by hand in raw SQL on the same database, with the ratio;
     for a staff member (all cases) and for the liaison of the busiest body (scoped by SQL);
  2. the case list, 50 rows: /cases/ (HTML) and /api/v1/cases/, and the whole dashboard (/cases/dashboard/ and
     /api/v1/dashboard/): median time and query count, same users, through django.test.Client in this process;
  3. at the first size, the Excel ledger of every case (/cases/export.xlsx): time, and peak memory (tracemalloc's
     peak of Python allocations, and growth of the process's maximum resident set).
A markdown table of everything ends the output.
"""

import argparse
import functools
import inspect
import itertools
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OWED = ("issued", "in_progress", "in_consultation")
OPEN = ("issued", "in_progress", "in_consultation", "submitted", "accepted")
ALL_SCOPE = "TRUE"
# As an expert would write it on PostgreSQL (and as cases_visible_to does): ANY(ARRAY(...)) lets the OR use both
# indexes, where IN (subquery) makes PostgreSQL scan every case.
LIAISON_SCOPE = ("(c.lead_body_id = ANY(%(bodies)s) OR c.id = ANY(ARRAY(SELECT case_id FROM opinions_case_co_bodies "
                 "WHERE body_id = ANY(%(bodies)s)))) AND c.status NOT IN ('draft', 'withdrawn')")

# The dashboard's aggregates as one would write them by hand: one pass over the cases, one over their items.
RAW_SQL = {
    "figures": [
        """SELECT count(*) FILTER (WHERE status = ANY(%(open)s)),
                  count(*) FILTER (WHERE status = ANY(%(owed)s) AND due_date < %(today)s),
                  count(*) FILTER (WHERE status = ANY(%(owed)s) AND due_date BETWEEN %(today)s AND %(today)s + 7),
                  count(*) FILTER (WHERE status = ANY(%(owed)s) AND due_date BETWEEN %(today)s AND %(today)s + 30),
                  count(*) FILTER (WHERE status = ANY(%(owed)s) AND due_date BETWEEN %(today)s AND %(today)s + 14),
                  count(*) FILTER (WHERE status = ANY(%(owed)s) AND due_date IS NOT NULL),
                  count(*) FILTER (WHERE status = 'closed' AND closed_date >= %(year_start)s
                                   AND closed_date < %(next_year)s),
                  count(*) FILTER (WHERE submitted_date <= due_date
                                   AND NOT (status = ANY(%(owed)s) AND due_date < %(today)s)),
                  count(*) FILTER (WHERE submitted_date > due_date OR (status = ANY(%(owed)s)
                                   AND due_date < %(today)s)),
                  count(*) FILTER (WHERE c.id IN (SELECT case_id FROM opinions_evaluation
                                                  WHERE result = 'dissatisfied'))
           FROM opinions_case c WHERE {scope}""",
        """SELECT count(*), count(*) FILTER (WHERE i.status = 'closed')
           FROM opinions_caseitem i JOIN opinions_case c ON c.id = i.case_id WHERE {scope}""",
    ],
    "league_table": [
        """SELECT c.lead_body_id, b.name, count(*),
                  count(*) FILTER (WHERE status = ANY(%(owed)s) AND due_date < %(today)s),
                  count(*) FILTER (WHERE submitted_date <= due_date
                                   AND NOT (status = ANY(%(owed)s) AND due_date < %(today)s)),
                  count(*) FILTER (WHERE submitted_date > due_date OR (status = ANY(%(owed)s)
                                   AND due_date < %(today)s)),
                  avg(CASE WHEN status = ANY(%(owed)s) AND due_date < %(today)s THEN %(today)s - due_date
                           WHEN submitted_date > due_date THEN submitted_date - due_date END)
           FROM opinions_case c JOIN agencies_body b ON b.id = c.lead_body_id WHERE {scope}
           GROUP BY c.lead_body_id, b.name""",
        """SELECT c.lead_body_id, count(*) FROM opinions_evaluation e JOIN opinions_case c ON c.id = e.case_id
           WHERE e.result = 'dissatisfied' AND {scope} GROUP BY c.lead_body_id""",
    ],
    "monthly_trend": [
        """SELECT date_trunc('month', issued_date), count(*) FROM opinions_case c
           WHERE {scope} AND issued_date >= %(since)s GROUP BY 1""",
        """SELECT date_trunc('month', closed_date), count(*) FROM opinions_case c
           WHERE {scope} AND status = 'closed' AND closed_date >= %(since)s GROUP BY 1""",
        """SELECT date_trunc('month', due_date), count(*) FROM opinions_case c
           WHERE {scope} AND due_date >= %(since)s AND due_date < %(today)s
             AND (submitted_date > due_date OR status = ANY(%(owed)s)) GROUP BY 1""",
    ],
}
BREAKDOWN_SQL = """SELECT {key}, count(*), count(*) FILTER (WHERE status = ANY(%(open)s)),
                          count(*) FILTER (WHERE status = ANY(%(owed)s) AND due_date < %(today)s),
                          count(*) FILTER (WHERE status = 'closed'),
                          count(*) FILTER (WHERE submitted_date <= due_date
                                           AND NOT (status = ANY(%(owed)s) AND due_date < %(today)s)),
                          count(*) FILTER (WHERE submitted_date > due_date OR (status = ANY(%(owed)s)
                                           AND due_date < %(today)s))
                   FROM opinions_case c {join} WHERE {{scope}} GROUP BY {group}"""
RAW_SQL["breakdown(by=kind)"] = [BREAKDOWN_SQL.format(key="c.kind", join="", group="c.kind")]
RAW_SQL["breakdown(by=committee)"] = [BREAKDOWN_SQL.format(
    key="c.supervising_committee_id, m.short_name, m.name",
    join="LEFT JOIN agencies_committee m ON m.id = c.supervising_committee_id", group="1, 2, 3")]
RAW_SQL["breakdown(by=year)"] = [BREAKDOWN_SQL.format(
    key="coalesce(extract(year FROM m.start_date), extract(year FROM c.issued_date))",
    join="LEFT JOIN opinions_meeting m ON m.id = c.meeting_id", group="1")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of cases")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per measurement (after one warm-up)")
    parser.add_argument("--items-per-case", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep the benchmark database if it exists")
    args = parser.parse_args()
    from bench._db import open_bench_database

    print(f"database: {open_bench_database('npc_bench_dashboard', fresh=not args.reuse)}")
    bench = Bench(runs=args.runs)
    sizes = [int(size) for size in args.sizes.split(",")]
    for size in sizes:
        grow(size, args)
        bench.measure_size(size, export=size == sizes[0])
    bench.print_table()


def grow(size: int, args) -> None:
    """Generate in a child process: the dataset's objects never count in this process's memory figures."""
    from django.db import connection

    from opinions.management.commands.generate_dataset import generated_cases

    missing = size - generated_cases().count()
    if missing > 0:
        subprocess.run([sys.executable, "manage.py", "generate_dataset", "--cases", str(missing), "--seed",
                        str(args.seed), "--items-per-case", str(args.items_per_case)], cwd=ROOT, check=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")


class Bench:
    def __init__(self, *, runs: int):
        self.runs = runs
        self.rows = []

    def time(self, call) -> tuple[float, int]:
        """Median milliseconds over the runs after one warm-up, and the most queries any run made."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        call()
        times, counts = [], []
        for _ in range(self.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                call()
                times.append(1000 * (time.perf_counter() - started))
            counts.append(len(queries))
        return statistics.median(times), max(counts)

    def users(self):
        from django.contrib.auth import get_user_model
        from django.db.models import Count

        from agencies.models import Body, Membership, MembershipRole
        from opinions.models import Case

        User = get_user_model()
        staff = Membership.objects.filter(role=MembershipRole.STAFF, is_active=True).order_by("pk").first().user
        by_size = list(Case.objects.order_by().values_list("lead_body").annotate(n=Count("pk"))
                       .order_by("-n", "lead_body"))
        users = [("staff: all", User.objects.get(pk=staff.pk), ALL_SCOPE, {})]
        # The city government leads a third of the cases; a department, the median body, a few percent.
        for label, (body, n) in (("liaison: busiest body", by_size[0]),
                                 ("liaison: median body", by_size[len(by_size) // 2])):
            liaison = (Membership.objects.filter(role=MembershipRole.LIAISON, body_id=body, is_active=True)
                       .order_by("pk").first().user)
            print(f"{label}: {Body.objects.get(pk=body)}, lead body of {n:,} cases")
            users.append((label, User.objects.get(pk=liaison.pk), LIAISON_SCOPE, {"bodies": [body]}))
        return users

    def measure_size(self, size: int, *, export: bool) -> None:
        from opinions.selectors import cases_visible_to, today

        as_of = today()
        print(f"\n## {size:,} cases (today {as_of})\n")
        print(f"{'measurement':<44}{'user':<26}{'median ms':>10}{'queries':>9}{'raw SQL ms':>12}{'ratio':>7}")
        users = self.users()
        for label, user, scope, scope_params in users:
            visible = cases_visible_to(user)
            for title, selector in dashboard_selectors(as_of):
                took, queries = self.time(lambda selector=selector, visible=visible: force(selector(visible)))
                raw = None
                if title in RAW_SQL:
                    raw, _ = self.time(lambda title=title, scope=scope, params=scope_params:
                                       run_raw(RAW_SQL[title], scope, params, as_of))
                self.record(size, f"dashboard.{title}", label, took, queries, raw)
            for page, url in (("case list HTML /cases/", "/cases/"),
                              ("case list API /api/v1/cases/", "/api/v1/cases/"),
                              ("dashboard HTML /cases/dashboard/", "/cases/dashboard/"),
                              ("dashboard API /api/v1/dashboard/", "/api/v1/dashboard/")):
                client = logged_in(user)
                took, queries = self.time(lambda client=client, url=url: get(client, url))
                self.record(size, page, label, took, queries, None)
        if export:
            self.measure_export(size, users[0][1])

    def measure_export(self, size: int, user) -> None:
        client = logged_in(user)
        started = time.perf_counter()
        length = get(client, "/cases/export.xlsx")
        took = time.perf_counter() - started
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        get(client, "/cases/export.xlsx")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
        self.export = (size, took, length, peak, rss_growth)
        print(f"\nExcel ledger of {size:,} cases: {took:.1f} s, {length / 1e6:.1f} MB; peak Python memory "
              f"{peak / 2**20:.1f} MiB (tracemalloc); max RSS grew {rss_growth / 1024:.1f} MiB")

    def record(self, size, what, user, took, queries, raw):
        self.rows.append((size, what, user, took, queries, raw))
        raw_text = f"{raw:>12.1f}{took / raw:>7.2f}" if raw else f"{'—':>12}{'—':>7}"
        print(f"{what:<44}{user:<26}{took:>10.1f}{queries:>9}{raw_text}")

    def print_table(self):
        print("\n| cases | measurement | user | median ms | queries | raw SQL ms | ratio |")
        print("|---:|---|---|---:|---:|---:|---:|")
        for size, what, user, took, queries, raw in self.rows:
            raw_cells = f"{raw:.1f} | {took / raw:.2f}" if raw else "— | —"
            print(f"| {size:,} | {what} | {user} | {took:.1f} | {queries} | {raw_cells} |")
        by_key = {(what, user): {} for _, what, user, *_ in self.rows}
        for size, what, user, took, *_ in self.rows:
            by_key[(what, user)][size] = took
        sizes = sorted({row[0] for row in self.rows})
        if len(sizes) > 1:
            first, last = sizes[0], sizes[-1]
            print(f"\n| measurement | user | {last:,} / {first:,} |")
            print("|---|---|---:|")
            for (what, user), times in by_key.items():
                print(f"| {what} | {user} | {times[last] / times[first]:.2f}× |")
        if getattr(self, "export", None):
            size, took, length, peak, rss_growth = self.export
            print(f"\n| Excel ledger | time | size | peak Python memory | max RSS growth |\n|---|---:|---:|---:|---:|\n"
                  f"| {size:,} cases | {took:.1f} s | {length / 1e6:.1f} MB | {peak / 2**20:.1f} MiB | "
                  f"{rss_growth / 1024:.1f} MiB |")


def dashboard_selectors(as_of):
    """The public functions of opinions.dashboard that take the cases (figures, league table, and any added
    since), each with its arguments: today, the due-soon setting, and every breakdown they offer."""
    from opinions import dashboard, selectors

    values = {"today": [as_of], "soon": [selectors.due_soon()], "due_soon": [selectors.due_soon()],
              "by": ["committee", "kind", "year"]}
    for name, function in inspect.getmembers(dashboard, inspect.isfunction):
        if function.__module__ != dashboard.__name__ or name.startswith("_"):
            continue
        parameters = list(inspect.signature(function).parameters.values())
        if not parameters or parameters[0].name != "cases":
            continue
        required = [p.name for p in parameters[1:] if p.default is inspect.Parameter.empty]
        if any(p not in values for p in required):
            print(f"(skipped dashboard.{name}: no value known for {', '.join(p for p in required if p not in values)})")
            continue
        for combination in itertools.product(*(values[p] for p in required)):
            arguments = dict(zip(required, combination, strict=True))
            shown = ", ".join(f"{k}={v}" for k, v in arguments.items() if k == "by")
            yield f"{name}({shown})" if shown else name, functools.partial(function, **arguments)


def force(result):
    """Selectors may answer a lazy queryset; evaluate it so its query counts."""
    from django.db.models import QuerySet

    return list(result) if isinstance(result, QuerySet) else result


def run_raw(statements, scope, scope_params, as_of):
    from datetime import date

    from django.db import connection

    from opinions.dashboard import months_back

    params = {"open": list(OPEN), "owed": list(OWED), "today": as_of, "year_start": date(as_of.year, 1, 1),
              "next_year": date(as_of.year + 1, 1, 1), "since": months_back(as_of, 12)[0], **scope_params}
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.format(scope=scope), params)
            cursor.fetchall()


def logged_in(user):
    from django.test import Client

    client = Client(SERVER_NAME="localhost")  # an allowed host without setup_test_environment()'s instrumentation
    client.force_login(user)
    return client


def get(client, url) -> int:
    """GET and read the whole body (streamed or not); returns its length."""
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    if response.streaming:
        length = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
        return length
    return len(response.content)


if __name__ == "__main__":
    main()
