"""The load mix of bench/load.py, for locust (run by it; not on its own).

Every simulated user reuses the sessions bench/load.py opened through the login page before the run (a liaison's
of its own, the leader's shared) and, with no think time unless LOAD_WAIT says otherwise, picks each request by
weight: the liaison's case
list 30, one of their cases 25, the leader's dashboard 15, the API case list with the liaison's token 20, and a
progress note on one of their items through the API 10. Every response time is written to LOAD_SAMPLES when the
run ends, with the notes that were stored (HTTP 200), for bench/load.py to measure and check in the database.
"""

import itertools
import json
import os
import random
import time
import uuid
from pathlib import Path

from locust import HttpUser, constant, events, task
from locust.clients import HttpSession

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
SAMPLES: list[tuple[str, float, float, bool]] = []  # name, started (epoch s), milliseconds, ok
WRITTEN: list[str] = []
_next_user = itertools.count()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, start_time=None, **kwargs):
    SAMPLES.append((name, start_time or time.time(), response_time, exception is None))


@events.quitting.add_listener
def _dump(environment, **kwargs):
    with open(os.environ["LOAD_SAMPLES"], "w", encoding="utf-8") as out:
        json.dump({"samples": SAMPLES, "written": WRITTEN}, out)


class Person(HttpUser):
    wait_time = constant(float(os.environ.get("LOAD_WAIT", "0")))

    def on_start(self):
        number = next(_next_user)
        self.liaison = PLAN["users"][number % len(PLAN["users"])]
        self.random = random.Random(number)
        self.client.cookies.update(self.liaison["cookies"])
        self.leader = HttpSession(base_url=self.host, request_event=self.environment.events.request, user=self)
        self.leader.cookies.update(PLAN["leader_cookies"])
        self.token = {"Authorization": f"Token {self.liaison['token']}"}

    @task(30)
    def case_list(self):
        self.client.get("/cases/", name="liaison case list")

    @task(25)
    def case_page(self):
        self.client.get(f"/cases/{self.random.choice(self.liaison['cases'])}/", name="case page")

    @task(15)
    def dashboard(self):
        self.leader.get("/cases/dashboard/", name="leader dashboard")

    @task(20)
    def api_list(self):
        self.client.get("/api/v1/cases/", headers=self.token, name="API case list (token)")

    @task(10)
    def write(self):
        case, item = self.random.choice(self.liaison["items"])
        note = f"{PLAN['marker']} {uuid.uuid4().hex}"
        with self.client.post(f"/api/v1/cases/{case}/items/{item}/report-progress/", json={"progress_note": note},
                              headers=self.token, name="write: progress note (API)", catch_response=True) as response:
            if response.status_code == 200 and response.json().get("progress_note") == note:
                WRITTEN.append(note)
            else:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
