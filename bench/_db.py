"""What the benchmarks share: each works in a PostgreSQL database of its own, so it never touches real data."""

import os
import sys


def use_bench_database(name: str = "npc_bench", *, fresh: bool = True) -> str:
    """Point DATABASE_URL at database `name` on the server DATABASE_URL names, dropped and re-created when `fresh`
    (else created only if missing, to measure again a dataset that took minutes to generate). Call before
    django.setup()."""
    import dj_database_url
    import psycopg2

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server: the benchmark is about PostgreSQL.")
    config = dj_database_url.parse(url)
    admin = psycopg2.connect(dbname=config["NAME"], user=config["USER"], password=config["PASSWORD"],
                             host=config["HOST"], port=config["PORT"] or 5432)
    admin.autocommit = True
    with admin.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    bench_url = url.rsplit("/", 1)[0] + "/" + name
    os.environ["DATABASE_URL"] = bench_url
    return bench_url


def open_bench_database(name: str = "npc_bench", *, fresh: bool = True) -> str:
    """What a benchmark starts with: its own database (use_bench_database), Django set up on it, migrated."""
    url = use_bench_database(name, fresh=fresh)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npc_tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url
