"""The Celery app. Settings come from Django (CELERY_* names); tasks are discovered per app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npc_tracker.settings")

app = Celery("npc_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
