"""`scripts/run` is the product: it serves as production does, never Django's debug pages."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture(scope="module")
def running_product(tmp_path_factory):
    """The run command on a fresh embedded database, as a new user starts it (DEBUG and SECRET_KEY unset)."""
    folder = tmp_path_factory.mktemp("run")
    port = free_port()
    env = {key: value for key, value in os.environ.items()
           if key not in {"DEBUG", "SECRET_KEY", "REDIS_URL", "DATABASE_URL", "SECURE_COOKIES"}}
    env.update(ADDRPORT=f"127.0.0.1:{port}", DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
               MEDIA_ROOT=str(folder / "media"))  # static files: the checkout's, collected once, as a user's
    log = (folder / "run.log").open("w")
    process = subprocess.Popen(["bash", "scripts/run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    try:
        while True:
            try:
                if fetch(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("scripts/run did not come up:\n" + (folder / "run.log").read_text()[-3000:])
            time.sleep(1)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def test_a_missing_page_is_the_products_chinese_404_not_a_debug_page(running_product):
    status, _, html = fetch(f"{running_product}/no-such-page/")
    assert status == 404
    assert "页面不存在" in html
    assert "URLconf" not in html
    assert "DEBUG = True" not in html


def test_static_files_are_fingerprinted_and_served_by_the_app(running_product):
    _, _, login_page = fetch(f"{running_product}/accounts/login/")
    stylesheet = next(part.split('"')[0] for part in login_page.split('href="') if part.startswith("/static/npc/app."))
    assert stylesheet != "/static/npc/app.css"  # the manifest's hashed name: collected as in production
    status, headers, _ = fetch(running_product + stylesheet)
    assert status == 200
    assert "immutable" in headers["Cache-Control"]


def test_the_health_check_of_the_run_command_sees_the_in_process_scheduler(running_product):
    status, _, body = fetch(f"{running_product}/healthz")
    assert status == 200
    assert '"worker": "ok"' in body
