"""Imported at start-up by every Python process of the moved-clock pass: scripts/test puts this directory on
PYTHONPATH, so the test processes and the processes they start (a worker, a command) all get it.

That pass keeps monotonic clocks real (faked, every wait on a lock with a timeout hangs), and Debian's libfaketime
0.9.10 then answers EINVAL to the absolute monotonic clock_nanosleep() behind time.sleep(). A select() timeout is
relative and passes through unchanged.
"""

import os
import select
import time

if "faketime" in os.environ.get("LD_PRELOAD", ""):

    def _sleep(seconds: float) -> None:
        select.select([], [], [], seconds)

    time.sleep = _sleep
