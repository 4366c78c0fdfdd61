"""What the benchmarks share: each works in a database of its own (PostgreSQL, or for those that allow it a SQLite
file in the temporary directory), so it never touches real data."""

import os
import sys
import tempfile
from pathlib import Path


def use_bench_database(name: str = "npc_bench", *, fresh: bool = True, sqlite: bool = False) -> str:
    """Point DATABASE_URL at database `name` on the server DATABASE_URL names (connecting first to the database it
    names, or to `postgres` if that one does not exist), dropped and re-created when `fresh` (else created only if
    missing, to measure again a dataset that took minutes to generate). Call before
    django.setup(). With `sqlite` and no DATABASE_URL, the database is the file `name`.sqlite3 in the temporary
    directory instead (the embedded default's engine, never its db.sqlite3)."""
    url = os.environ.get("DATABASE_URL", "")
    if sqlite and not url:
        return _use_sqlite(name, fresh=fresh)
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server: the benchmark is about PostgreSQL."
                 + (" Or leave it unset for the embedded SQLite." if sqlite else ""))
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    server = {"user": config["USER"], "password": config["PASSWORD"], "host": config["HOST"],
              "port": config["PORT"] or 5432}
    try:
        admin = psycopg2.connect(dbname=config["NAME"], **server)
    except psycopg2.OperationalError:  # the URL names a database that does not exist (yet): the server's own
        admin = psycopg2.connect(dbname="postgres", **server)
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


def _use_sqlite(name: str, *, fresh: bool) -> str:
    path = Path(tempfile.gettempdir()) / f"{name}.sqlite3"
    if fresh:
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return os.environ["DATABASE_URL"]


def open_bench_database(name: str = "npc_bench", *, fresh: bool = True, sqlite: bool = False) -> str:
    """What a benchmark starts with: its own database (use_bench_database), Django set up on it, migrated."""
    url = use_bench_database(name, fresh=fresh, sqlite=sqlite)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npc_tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


class Counted:
    """Counts the queries without keeping them (Django's capture keeps at most 9,000): as
    `connection.execute_wrapper(counted)`, then `counted.n`."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)
