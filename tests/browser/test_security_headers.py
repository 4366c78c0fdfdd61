"""The Content-Security-Policy in Debian's Chromium: the pages people use and the API documentation run under
`script-src 'self'` with no violation, and ask nothing of any other host (issue 11 §4)."""

from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def watch(page, live_server_url):
    """Everything the browser refused under the policy, and every request to another host."""
    own = urlparse(live_server_url).netloc
    seen = {"violations": [], "foreign": [], "errors": []}
    page.on("console", lambda message: "Content Security Policy" in message.text
            and seen["violations"].append(message.text))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("request", lambda request: urlparse(request.url).scheme in ("http", "https")
            and urlparse(request.url).netloc != own and seen["foreign"].append(request.url))
    return seen


def test_the_pages_and_the_api_documentation_run_under_the_policy(open_session, issued_case, live_server):
    liaison = open_session("liaison")
    page = liaison.page
    seen = watch(page, live_server.url)
    page.goto("/cases/dashboard/")
    page.wait_for_selector("#chart-trend svg")
    page.goto("/cases/dashboard/screen/")
    page.wait_for_selector("#chart-trend svg")
    page.goto(f"/cases/{issued_case.pk}/")
    page.locator("details[data-action]").first.locator("summary").click()
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock")  # drawn by the start-up script the split view serves
    liaison.shot("swagger")
    page.goto("/api/redoc/")
    page.wait_for_selector("[role=search] input, .menu-content")  # ReDoc drew its menu
    page.wait_for_selector("h2:has-text('cases')", state="attached")  # the operations are drawn
    assert seen == {"violations": [], "foreign": [], "errors": []}


def test_the_language_switch_works_without_an_inline_handler(open_session, world, live_server):
    liaison = open_session("liaison")
    page = liaison.page
    seen = watch(page, live_server.url)
    with page.expect_navigation():
        page.select_option("#language", "en")
    assert page.locator("nav a[href='/cases/']").inner_text() == "Cases"
    assert seen["violations"] == []


def test_the_admin_runs_under_the_policy(open_session, world, live_server):
    from django.contrib.auth import get_user_model

    from tests.browser.conftest import PASSWORD

    get_user_model().objects.create_superuser("root", password=PASSWORD)
    admin = open_session("root")
    page = admin.page
    seen = watch(page, live_server.url)
    page.goto("/admin/")
    page.goto("/admin/auth/user/")
    page.goto(f"/admin/auth/user/{world.liaison.pk}/change/")
    page.click("#id_last_login_0 ~ .datetimeshortcuts a")  # "today": the admin's calendar widget script runs
    assert page.input_value("#id_last_login_0")
    page.goto("/admin/agencies/membership/add/")
    page.goto("/admin/axes/accessattempt/")
    assert seen == {"violations": [], "foreign": [], "errors": []}
