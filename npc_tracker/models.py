"""Infrastructure records of the product itself (not of the domain)."""

from django.conf import settings
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


class Submission(models.Model):
    """A form post claimed once (design.md rule 1 keeps writes in services; this only stops a double submit).

    Every page form carries a one-time token; the first post with it claims this row in the same transaction as
    its action, a repeat finds it and is sent where the first one went."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    created_at = models.DateTimeField()
    redirect_to = models.CharField(max_length=2000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="one_claim_per_submission")]
        indexes = [models.Index(fields=["user", "created_at"], name="submission_user_age")]

    def __str__(self):
        return f"{self.user_id}:{self.token}"
