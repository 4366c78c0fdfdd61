"""One writer of the SQLite concurrency test, run as its own process through the project's settings:
`python -m tests.sqlite_writer <name> <rounds> <start-flag>` waits for the start flag, then makes <rounds>
transactions that read before they write, as the services do."""

import sys
import time
from pathlib import Path

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

name, rounds, start = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
connection.ensure_connection()
print("ready", flush=True)
while not start.exists():  # every writer starts at once, so their transactions overlap
    time.sleep(0.01)
for _ in range(rounds):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM tally WHERE writer = %s", [name])
        (count,) = cursor.fetchone()
        time.sleep(0.001)  # work between the read and the write, where another writer can get in
        cursor.execute("INSERT INTO tally (writer, n) VALUES (%s, %s)", [name, count])
print("done", flush=True)
