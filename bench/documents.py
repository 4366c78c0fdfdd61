"""Benchmark: what issuing costs now that it writes the 交办通知 (issue 16), at the item counts a case can have, and
how fast document numbers (文号) are given out. Prints figures; asserts nothing.

    .venv/bin/python bench/documents.py [--items 2,50,200,5000]          # the embedded SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/documents.py

Works in a database of its own (npc_bench_documents, dropped and re-created), so it never touches real data:
  1. services.case_issue of a draft with each number of items (the letter lists opinions.documents
     .MAX_ITEMS_IN_LETTER of them at most, and counts the rest): wall time, queries, file size;
  2. services.case_press on the issued case (a 催办通知: the same rendering without the items);
  3. services.doc_number_next, one transaction each, 1,000 times.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))




def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", default="2,50,200,5000", help="items per case, comma-separated")
    args = parser.parse_args()

    from bench._db import Counted, open_bench_database

    print("database:", open_bench_database("npc_bench_documents", sqlite=True))
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from agencies.models import Body, BodyKind, Committee, CommitteeKind, Membership, MembershipRole
    from opinions import services
    from opinions.models import RuleSet

    RuleSet.objects.update(signoff_by="none")  # the sign-off is two row updates; the letter is what is measured
    office = Committee.objects.create(name="办公室", kind=CommitteeKind.OFFICE)
    staff = get_user_model().objects.create_user(username="bench_staff")
    Membership.objects.create(user=staff, role=MembershipRole.STAFF, committee=office)
    gov = Body.objects.create(name="安阳市人民政府", kind=BodyKind.GOVERNMENT)
    rows = []
    for count in (int(n) for n in args.items.split(",")):
        items = [{"heading": f"{n}、基准事项", "text": "要进一步完善工作机制。\n要加强督促检查。"}
                 for n in range(1, count + 1)]
        case = services.case_create(actor=staff, kind="special_work_report", title=f"基准：{count} 项的审议意见",
                                    lead_body=gov, items=items)
        queries = Counted()
        with connection.execute_wrapper(queries):
            started = time.perf_counter()
            case = services.case_issue(case=case, actor=staff, issued_date=date(2026, 6, 10))
            seconds = time.perf_counter() - started
        rows.append((f"issue, {count} items", seconds, queries.n, case.documents.get().size))
        queries = Counted()
        with connection.execute_wrapper(queries):
            started = time.perf_counter()
            document = services.case_press(case=case, actor=staff)
            seconds = time.perf_counter() - started
        rows.append((f"催办通知, {count} items", seconds, queries.n, document.size))
    started = time.perf_counter()
    for _ in range(1000):
        with transaction.atomic():
            services.doc_number_next(year=2030)
    rows.append(("1,000 numbers, one transaction each", time.perf_counter() - started, None, None))

    print("\n| step | seconds | queries | file |\n|---|---:|---:|---:|")
    for label, seconds, queries, size in rows:
        print(f"| {label} | {seconds:.3f} | {queries if queries is not None else '—'} | "
              f"{f'{size / 1024:.0f} KiB' if size else '—'} |")


if __name__ == "__main__":
    main()
