"""The embedded default's scheduler: runs CELERY_BEAT_SCHEDULE in a thread of the web process.

With REDIS_URL set, real `celery beat` and workers do this instead; here tasks run in-process (always eager),
so a fresh machine needs no broker. Celery's own schedule objects decide when an entry is due, so the embedded
schedule and the production beat can never disagree.
"""

import logging
import threading

from celery.schedules import maybe_schedule
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)


class InProcessScheduler(threading.Thread):
    def __init__(self, app, schedule=None, *, tick_seconds: float = 5.0):
        super().__init__(name="npc-scheduler", daemon=True)
        # Autodiscovery is lazy and only a worker triggers it; the web process must import the task modules itself.
        app.loader.import_default_modules()
        self.app = app
        self.entries = {
            name: (entry["task"], maybe_schedule(entry["schedule"]), tuple(entry.get("args", ())))
            for name, entry in (schedule if schedule is not None else settings.CELERY_BEAT_SCHEDULE).items()
        }
        # As celery beat does: an entry first runs when its schedule says so, counted from start-up — a daily
        # 08:00 digest must not go out because the server happened to start at night.
        started = timezone.now()
        self.last_run = dict.fromkeys(self.entries, started)
        self.tick_seconds = tick_seconds
        self.stopped = threading.Event()

    def run_due(self):
        """Run every entry that is due now; returns the names that ran. One failing task never stops the rest."""
        ran = []
        for name, (task_name, schedule, args) in self.entries.items():
            if not schedule.is_due(self.last_run[name]).is_due:
                continue
            self.last_run[name] = timezone.now()
            close_old_connections()
            try:
                self.app.tasks[task_name].apply(args=args).get(propagate=True)
                ran.append(name)
            except Exception:
                logger.exception("scheduled task %s failed", task_name)
            finally:
                close_old_connections()
        return ran

    def run(self):
        logger.info("in-process scheduler started with %d entries", len(self.entries))
        while not self.stopped.is_set():
            self.run_due()
            self.stopped.wait(self.tick_seconds)

    def stop(self):
        self.stopped.set()
