"""Threads that hit the database at the same moment (PostgreSQL pass): row locks, SKIP LOCKED, unique claims."""

import threading
from collections.abc import Callable

from django.db import connections


def run_together(*targets: Callable[[Callable[[], None]], None], timeout: float = 60) -> list[Exception]:
    """Run each target in its own thread (so on its own database connection). A target is given `together()` and
    calls it right before the step that must overlap with the others'. Returns what the threads raised: a thread's
    exception would otherwise vanish."""
    barrier, errors = threading.Barrier(len(targets)), []

    def run(target):
        try:
            target(lambda: barrier.wait(timeout=10))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return errors
