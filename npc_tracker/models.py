"""Infrastructure records of the product itself (not of the domain)."""

from django.db import models


class Heartbeat(models.Model):
    """When the background machinery last did work: beat scheduled a task, a worker ran it, the database took it.

    `/healthz` reads it, so a compose whose worker cannot start (or whose beat died) is reported unhealthy instead
    of silently sending no reminders. One row per source; the row is overwritten, never accumulated.
    """

    source = models.CharField(max_length=40, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self):
        return f"{self.source} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
