"""The project's Celery app with one test double: the e-mail transport, replaced through the channel registry
when the worker starts. Everything else — broker, database, worker — is real.

`celery -A tests.integration.fault_worker worker`: e-mail to BROKEN raises as a crashing gateway client would;
e-mail to SLOW stays "on the wire" until the file named by FAULT_RELEASE_FILE exists (at most a minute)."""

import os
import time
from pathlib import Path

from celery import signals

from npc_tracker.celery import app

__all__ = ["app"]

BROKEN = "broken@gov.example"
SLOW = "slow@gov.example"


class FaultyGateway:
    def send(self, notification):
        if notification.address == BROKEN:
            raise RuntimeError("the gateway client crashed on this address")
        if notification.address == SLOW:
            release = Path(os.environ["FAULT_RELEASE_FILE"])
            deadline = time.monotonic() + 60
            while not release.exists() and time.monotonic() < deadline:
                time.sleep(0.05)


@signals.worker_init.connect
def use_the_faulty_gateway(**_kwargs):
    from notifications.transports import TRANSPORTS  # once the worker has set Django up

    TRANSPORTS["email"] = FaultyGateway()
