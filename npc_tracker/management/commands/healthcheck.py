"""`manage.py healthcheck`: what /healthz answers, for containers and scripts without an HTTP client.

Exit status 0 when healthy, 1 otherwise; the checks are printed as JSON either way."""

import json

from django.core.management.base import BaseCommand, CommandError

from npc_tracker import health


class Command(BaseCommand):
    help = "Check the database, the broker and the background work's heartbeat (exit 1 when unhealthy)."

    def handle(self, *args, **options):
        healthy, checks = health.report()
        self.stdout.write(json.dumps(checks, ensure_ascii=False))
        if not healthy:
            raise CommandError("unhealthy: " + "; ".join(f"{k}: {v}" for k, v in checks.items()
                                                         if v not in ("ok", "in-process")))
