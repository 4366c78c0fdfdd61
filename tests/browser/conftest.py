"""A real Chromium (Debian's, never a downloaded one) driving the app on a live server.

Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set up data are plain
synchronous calls that Django would otherwise refuse to make while a loop runs.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
PASSWORD = "pw-12345-x"


def browser_env() -> dict:
    # Under faketime (the moved-clock pass) Chromium never finishes loading a page; it reads the real clock instead.
    return {name: value for name, value in os.environ.items()
            if name != "LD_PRELOAD" and not name.startswith("FAKETIME")}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = "Debian's Chromium is missing: apt-get install chromium fonts-wqy-microhei"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, env=browser_env(),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


class Session:
    """One person's browser window: logs in through the login page, takes numbered screenshots."""

    def __init__(self, browser, base_url: str, username: str, shots: Path):
        self.context = browser.new_context(locale="zh-CN", base_url=base_url, viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.username = username
        self.shots = shots
        self.page.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("button[type=submit].primary")
        self.page.wait_for_url(re.compile(r".*/cases/(dashboard/)?$"))  # leaders start on the dashboard

    def shot(self, name: str) -> Path:
        self.shots.mkdir(parents=True, exist_ok=True)
        path = self.shots / f"{len(list(self.shots.iterdir())) + 1:02d}-{self.username}-{name}.png"
        self.page.screenshot(path=path, full_page=True)
        return path

    def act(self, slug: str, fields: dict | None = None, *, scope: str = ".actions-panel", files=None):
        """Open an action on the case page, fill it in, send it, and wait for the page that follows."""
        action = self.page.locator(f"{scope} details[data-action='{slug}']")
        action.locator("summary").click()
        for name, value in (fields or {}).items():
            field = action.locator(f"[name$='-{name}']")
            if field.first.get_attribute("type") == "radio":
                action.locator(f"[name$='-{name}'][value='{value}']").check()
            elif field.first.evaluate("e => e.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        if files:
            action.locator("input[type=file]").set_input_files(files)
        with self.page.expect_navigation():
            action.locator("button[type=submit]").click()
        errors = self.page.locator(f"details[data-action='{slug}'][open] .errorlist")
        assert errors.count() == 0, errors.first.inner_text()

    def close(self):
        self.context.close()


@pytest.fixture
def open_session(browser, live_server, seeded, request):
    sessions = []
    shots = ARTIFACTS / request.node.name
    shutil.rmtree(shots, ignore_errors=True)  # only this run's screenshots

    def open_as(username: str) -> Session:
        session = Session(browser, live_server.url, username, shots)
        sessions.append(session)
        return session

    yield open_as
    for session in sessions:
        session.close()
