"""`manage.py serve`: the whole product in one command — migrate, demo data, scheduler/worker, web server.

`scripts/run` calls it with DEBUG off, so users see the product's own error pages, never Django's debug pages.

Embedded default (no REDIS_URL): tasks run in-process and an in-process scheduler runs the beat schedule.
With REDIS_URL: a real Celery worker with embedded beat is started beside the web server.
"""

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand

from npc_tracker import health
from npc_tracker.celery import app as celery_app
from npc_tracker.scheduler import InProcessScheduler


class Command(BaseCommand):
    help = "Migrate, load the demo data, start the scheduler/worker and the web server."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true", help="do not load the demo data")

    def collect_static(self):
        """Collect (and compress) the static files, but only when they changed since the last start: compressing
        them takes most of a minute of CPU, and a restart should be quick."""
        digest = hashlib.sha256()
        for finder in finders.get_finders():
            for path, storage in sorted(finder.list([]), key=lambda found: found[0]):
                stat = os.stat(storage.path(path))
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        stamp = Path(settings.STATIC_ROOT) / ".npc-collected"
        if stamp.exists() and stamp.read_text() == digest.hexdigest():
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp.write_text(digest.hexdigest())

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("数据库已迁移 / database migrated"))
        if not settings.DEBUG:  # WhiteNoise serves the collected, fingerprinted files, as in production
            self.collect_static()
        if not options["no_demo"]:
            call_command("load_demo", stdout=self.stdout)
            call_command("publish_demo", stdout=self.stdout)
        worker = None
        if settings.REDIS_URL:
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "npc_tracker", "worker", "--beat", "--loglevel=INFO",
                 "--concurrency=2", f"--schedule={tempfile.gettempdir()}/npc-tracker-celerybeat-schedule"],
                env=os.environ.copy(),
            )
            self.stdout.write(f"Celery worker + beat started (pid {worker.pid}) on {settings.CELERY_BROKER_URL}")
        else:
            health.record_heartbeat()  # the scheduler's first heartbeat would otherwise come a minute later
            InProcessScheduler(celery_app).start()
            self.stdout.write("任务在进程内执行，调度器已启动 / tasks run in-process, scheduler started (no Redis)")
        self.stdout.write(self.style.SUCCESS(f"打开 / open: http://{options['addrport']}/"))
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)
