"""The Celery app. Settings come from Django (CELERY_* names); tasks are discovered per app."""

import os

from celery import Celery
from celery.signals import beat_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npc_tracker.settings")

app = Celery("npc_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The reminder ladder's tasks live beside it, in a package of the opinions app.
app.autodiscover_tasks(["opinions.reminders"])


@worker_ready.connect
@beat_init.connect
def heartbeat_at_start(**kwargs):
    # A fresh compose reports healthy as soon as its worker can run tasks, not a schedule interval later.
    app.send_task("npc_tracker.tasks.heartbeat")
