"""Benchmark: throughput of the whole product under a mixed load (issue 11 §7). Prints figures; asserts nothing
but the writes, which must all be in the database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python bench/load.py [--users 50] [--duration 60] [--stop-worker 20]

Works in its own database (npc_load, dropped and re-created unless --reuse) and flushes the Redis database that
REDIS_URL names, so give it one nothing else uses. It migrates, loads the demo data and grows them with
`manage.py generate_dataset --cases N` (2,000 by default: a city's ten years of cases; every generated body gets
a liaison, so the 50 simulated users are many people, not eight), VACUUM ANALYZEs, collects the static files
into a temporary STATIC_ROOT and starts, on loopback only, gunicorn with 3 sync workers and DEBUG=0, and a Celery
worker with beat on REDIS_URL — as production runs them. Then locust (headless, bench/load_locustfile.py) runs the
mix with no think time: each user reuses a session opened through the login page before the run (its liaison's;
the leader's is shared); requests are the liaison's case list 30 %, one of their cases 25 %, the leader's
dashboard 15 %, the API case list with the liaison's token 20 %, and a progress note on one of their items through
the API 10 %.
--stop-worker S stops the Celery worker for S seconds in the middle of the run and starts it again.

Printed: requests/s, p50/p95/p99 overall and per request type, errors, and the writes checked back in the
database (every note locust saw stored must be an item history row, and no other note of the run may be).
"""

import argparse
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--wait", type=float, default=0, help="think time of each user between requests, seconds")
    parser.add_argument("--generate", type=int, default=2000, help="generated cases added to the demo")
    parser.add_argument("--stop-worker", type=int, default=0, metavar="SECONDS",
                        help="stop the Celery worker for this long in the middle of the run")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--reuse", action="store_true", help="keep the benchmark database if it has the data")
    parser.add_argument("--profile", type=int, default=0, metavar="RUNS",
                        help="instead of the load: each request type RUNS times in this process (Django's test "
                             "client), median CPU and wall time and query count")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL", "").startswith("redis"):
        sys.exit("Set REDIS_URL to a Redis database the benchmark may flush: it runs a real Celery worker.")
    from bench._db import use_bench_database

    print(f"database: {use_bench_database('npc_load', fresh=not args.reuse)}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npc_tracker.settings")
    if args.profile:  # as the server runs
        os.environ.update(DEBUG="0", SECRET_KEY="bench-load-profile", ALLOWED_HOSTS="testserver",
                          STATIC_ROOT=tempfile.mkdtemp(prefix="npc-load-static-"))
    import django

    django.setup()
    prepare_data(args)
    plan = make_plan()
    if args.profile:
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        profile(plan, args.profile)
        return
    with tempfile.TemporaryDirectory(prefix="npc-load-") as tmp:
        tmp = Path(tmp)
        env = server_env(tmp)
        flush_redis()
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                       check=True)
        port = free_port()
        server = Processes(env)
        try:
            server.start_worker(tmp)
            server.start("web", [str(BIN / "gunicorn"), "npc_tracker.wsgi:application", "--workers",
                                 str(args.workers), "--bind", f"127.0.0.1:{port}", "--timeout", "30"])
            base = f"http://127.0.0.1:{port}"
            wait_until_up(f"{base}/accounts/login/")
            log_in_everyone(base, plan, args.users)
            (tmp / "plan.json").write_text(json.dumps(plan))
            if args.stop_worker:
                stopper = threading.Timer(max(0, args.duration / 2 - args.stop_worker / 2), server.pause_worker,
                                          [args.stop_worker, tmp])
                stopper.daemon = True
                stopper.start()
            started, web_cpu, locust_cpu = time.time(), server.cpu_seconds("web"), children_cpu_seconds()
            database_cpu = database_cpu_seconds()
            subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "bench" / "load_locustfile.py"), "--headless",
                            "--only-summary", "--host", f"http://127.0.0.1:{port}", "--users", str(args.users),
                            "--spawn-rate", str(args.users), "--run-time", f"{args.duration}s",
                            "--stop-timeout", "30", "--loglevel", "WARNING"],
                           cwd=ROOT, check=False, stdout=subprocess.DEVNULL,
                           env={**os.environ, "LOAD_PLAN": str(tmp / "plan.json"),
                                "LOAD_SAMPLES": str(tmp / "samples.json"), "LOAD_WAIT": str(args.wait)})
            print(f"locust ran {time.time() - started:.0f} s")
            cpu = {"web": server.cpu_seconds("web") - web_cpu, "locust": children_cpu_seconds() - locust_cpu,
                   "database": sum(seconds - database_cpu.get(pid, 0)
                                   for pid, seconds in database_cpu_seconds().items())}
            queue_left = drain_queue()
        finally:
            server.stop()
        results = json.loads((tmp / "samples.json").read_text())
    print_conditions(args)
    print_figures(results["samples"])
    print(f"\nCPU used during the run: gunicorn (master and workers) {cpu['web']:.1f} s, "
          f"{1000 * cpu['web'] / len(results['samples']):.1f} ms per request; PostgreSQL backends of npc_load "
          f"{cpu['database']:.1f} s, {1000 * cpu['database'] / len(results['samples']):.1f} ms per request; "
          f"locust {cpu['locust']:.1f} s, {1000 * cpu['locust'] / len(results['samples']):.1f} ms per request")
    ok = check_writes(plan["marker"], results["written"])
    print(f"Celery queue after the run: {queue_left} task(s) waiting")
    sys.exit(0 if ok else 1)


def prepare_data(args) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from opinions.demo.loader import DEMO_PASSWORD
    from opinions.management.commands.generate_dataset import generated_cases

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115 (closed at exit)
    missing = args.generate - generated_cases().count()
    if missing > 0:
        subprocess.run([sys.executable, "manage.py", "generate_dataset", "--cases", str(missing), "--force"],
                       cwd=ROOT, check=True)
    # Generated people have no password: they share the demo's (the same hash, so no key stretching per user).
    User = get_user_model()
    demo_hash = User.objects.get(username="leader").password
    User.objects.filter(username__startswith="gen_").update(password=demo_hash)
    assert User.objects.get(username="leader").check_password(DEMO_PASSWORD)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def make_plan() -> dict:
    """Who the simulated users are: liaisons with items they may report progress on, their cases, their tokens."""
    from django.contrib.auth import get_user_model

    from agencies.models import Membership, MembershipRole
    from agencies.tokens import token_create
    from opinions.demo.loader import DEMO_PASSWORD
    from opinions.models import CaseItem
    from opinions.selectors import cases_visible_to
    from opinions.workflow import BODY_ITEM_CASE_STATUSES, ItemStatus

    liaisons = []
    for membership in (Membership.objects.filter(role=MembershipRole.LIAISON, is_active=True)
                       .select_related("user").order_by("pk")):
        user = membership.user
        items = list(CaseItem.objects.filter(
            case__lead_body=membership.body_id, case__status__in=BODY_ITEM_CASE_STATUSES,
            status__in=(ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS)).order_by("pk").values_list("case", "pk"))
        if not items or any(known["username"] == user.username for known in liaisons):
            continue
        cases = list(cases_visible_to(user).order_by("-pk").values_list("pk", flat=True)[:200])
        _token, key = token_create(user=user, name="bench/load.py", days=30)
        liaisons.append({"username": user.username, "cases": cases, "items": items[:50], "token": key})
    leader = get_user_model().objects.get(username="leader")
    print(f"{len(liaisons)} liaisons with items to report on; the dashboard as {leader.username}")
    return {"liaisons": liaisons, "leader": leader.username, "password": DEMO_PASSWORD,
            "marker": f"load-{uuid.uuid4().hex[:12]}"}


def profile(plan: dict, runs: int) -> None:
    """Server cost per request type, without the noise of the shared machine: this process's CPU time (Python:
    views, templates, serializers; the database's own CPU is not in it), wall time and queries."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    User = get_user_model()
    person = max(plan["liaisons"], key=lambda liaison: len(liaison["cases"]))  # the busiest body's liaison
    liaison, leader = Client(), Client()
    liaison.force_login(User.objects.get(username=person["username"]))
    leader.force_login(User.objects.get(username=plan["leader"]))
    token = f"Token {person['token']}"
    notes = iter(range(10**9))
    cases = iter(person["cases"] * runs * 2)
    items = iter(person["items"] * runs * 2)

    def write():
        case, item = next(items)
        return liaison.post(f"/api/v1/cases/{case}/items/{item}/report-progress/",
                            {"progress_note": f"{plan['marker']} profile {next(notes)}"},
                            content_type="application/json", HTTP_AUTHORIZATION=token)

    requests = {
        "liaison case list": lambda: liaison.get("/cases/"),
        "case page": lambda: liaison.get(f"/cases/{next(cases)}/"),
        "leader dashboard": lambda: leader.get("/cases/dashboard/"),
        "API case list (token)": lambda: liaison.get("/api/v1/cases/", HTTP_AUTHORIZATION=token),
        "write: progress note (API)": write,
    }
    print(f"\nper request, median of {runs} after a warm-up; liaison {person['username']} "
          f"({len(person['cases'])} cases seen)\n")
    print(f"{'request':<30}{'CPU ms':>8}{'wall ms':>9}{'queries':>9}")
    for name, call in requests.items():
        assert call().status_code == 200, name
        cpu, wall, queries = [], [], []
        for _run in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = call()
                cpu.append(1000 * (time.process_time() - started_cpu))
                wall.append(1000 * (time.perf_counter() - started))
            assert response.status_code == 200, name
            queries.append(len(captured))
        print(f"{name:<30}{statistics.median(cpu):>8.1f}{statistics.median(wall):>9.1f}{max(queries):>9}")


def server_env(tmp: Path) -> dict:
    return {**os.environ, "DEBUG": "0", "SECRET_KEY": "bench-load-" + uuid.uuid4().hex,
            "STATIC_ROOT": str(tmp / "static"), "MEDIA_ROOT": str(tmp / "media"),
            "SECURE_COOKIES": "0",  # plain HTTP on loopback
            "API_THROTTLE_USER": "1000000/hour",  # the bench measures the pages, not the throttle
            "LOG_LEVEL": "WARNING"}


class Processes:
    def __init__(self, env: dict):
        self.env = env
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str]) -> None:
        self.running[name] = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)

    def start_worker(self, tmp: Path) -> None:
        self.start("worker", [sys.executable, "-m", "celery", "-A", "npc_tracker", "worker", "--beat",
                              "--loglevel=WARNING", f"--schedule={tmp / 'celerybeat-schedule'}"])

    def pause_worker(self, seconds: int, tmp: Path) -> None:
        print(f"stopping the Celery worker for {seconds} s")
        self.terminate("worker")
        time.sleep(seconds)
        self.start_worker(tmp)
        print("Celery worker started again")

    def cpu_seconds(self, name: str) -> float:
        """CPU time used so far by the process and its children (gunicorn's workers), user and system."""
        import psutil

        process = psutil.Process(self.running[name].pid)
        total = 0.0
        for each in [process, *process.children(recursive=True)]:
            times = each.cpu_times()
            total += times.user + times.system
        return total

    def terminate(self, name: str) -> None:
        process = self.running.pop(name)
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop(self) -> None:
        for name in list(self.running):
            self.terminate(name)


def log_in_everyone(base: str, plan: dict, users: int) -> None:
    """Each simulated user's liaison session, and one leader session for all, opened through the login page before
    the run: logging in costs a deliberate key stretching (PBKDF2) that is no part of the pages measured."""
    import requests

    def log_in(username: str) -> dict:
        with requests.Session() as session:
            session.get(f"{base}/accounts/login/", timeout=120)
            response = session.post(f"{base}/accounts/login/", allow_redirects=False, timeout=120, data={
                "username": username, "password": plan["password"],
                "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")})
            if response.status_code != 302:
                raise RuntimeError(f"{username} could not log in: HTTP {response.status_code}")
            return session.cookies.get_dict()

    started = time.time()
    people = [plan["liaisons"][number % len(plan["liaisons"])] for number in range(users)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        cookies = list(pool.map(log_in, [plan["leader"], *(person["username"] for person in people)]))
    plan["leader_cookies"] = cookies[0]
    plan["users"] = [{**person, "cookies": jar} for person, jar in zip(people, cookies[1:], strict=True)]
    print(f"{len(cookies)} logins through the login page in {time.time() - started:.0f} s")


def children_cpu_seconds() -> float:
    """CPU time of this process's finished children (locust, once it has ended)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def database_cpu_seconds() -> dict[int, float]:
    """CPU time used so far by each PostgreSQL backend serving the benchmark's database (by its process title)."""
    import psutil

    used = {}
    for process in psutil.process_iter(["cmdline", "cpu_times"]):
        if " npc_load " in " ".join(process.info["cmdline"] or []) and process.info["cpu_times"]:
            used[process.pid] = process.info["cpu_times"].user + process.info["cpu_times"].system
    return used


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.5)


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()


def drain_queue(timeout: float = 60) -> int:
    """Wait for the worker to take every task the run queued; what is still waiting after the timeout."""
    import redis

    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    deadline = time.time() + timeout
    while (waiting := broker.llen("celery")) and time.time() < deadline:
        time.sleep(1)
    return waiting


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def print_conditions(args) -> None:
    load = os.getloadavg()
    print(f"\n{args.users} users, {args.duration} s, think time {args.wait} s, gunicorn {args.workers} sync "
          f"workers, DEBUG=0, {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
          + (f", worker stopped for {args.stop_worker} s mid-run" if args.stop_worker else ""))


def print_figures(samples: list) -> None:
    mix = samples
    window = max(start + ms / 1000 for _name, start, ms, _ok in mix) - min(start for _n, start, _ms, _ok in mix)
    print()
    print(f"{'request':<30}{'count':>7}{'share':>7}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>8}")
    by_name: dict[str, list] = {}
    for sample in mix:
        by_name.setdefault(sample[0], []).append(sample)
    for name, rows in [*sorted(by_name.items()), ("all", mix)]:
        times = [ms for _n, _s, ms, _ok in rows]
        print(f"{name:<30}{len(rows):>7}{len(rows) / len(mix):>7.0%}{len(rows) / window:>8.1f}"
              f"{percentile(times, 50):>8.0f}{percentile(times, 95):>8.0f}{percentile(times, 99):>8.0f}"
              f"{sum(not ok for *_rest, ok in rows):>8}")


def check_writes(marker: str, written: list[str]) -> bool:
    from opinions.models import CaseItem

    stored = list(CaseItem.history.filter(history_change_reason__startswith=marker)
                  .values_list("history_change_reason", flat=True))
    current = CaseItem.objects.filter(progress_note__startswith=marker).count()
    ok = sorted(stored) == sorted(written)
    print(f"\nwrites: {len(written)} stored according to locust, {len(stored)} history rows in the database "
          f"({len(set(stored) - set(written))} unexpected, {len(set(written) - set(stored))} missing); "
          f"{current} items show one of them as their latest note — {'OK' if ok else 'MISMATCH'}")
    return ok


if __name__ == "__main__":
    main()
