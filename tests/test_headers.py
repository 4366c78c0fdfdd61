"""Response headers: the Content-Security-Policy, no-store on private answers, HTTPS switches (issue 11 §4)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.mark.django_db
def test_every_page_forbids_inline_and_foreign_scripts(client, world):
    client.force_login(world.staff)
    for url in ["/cases/", "/cases/dashboard/", "/accounts/login/", "/api/docs/", "/admin/login/"]:
        policy = directives(client.get(url, follow=True))
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["default-src"] == ["'self'"], url


def test_no_template_of_ours_has_an_inline_script_or_event_handler():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:", re.IGNORECASE)
    offenders = [f"{path.relative_to(ROOT)}: {match.group(0)}" for path in (ROOT / "templates").rglob("*.html")
                 for match in inline.finditer(path.read_text())]
    assert offenders == []


@pytest.mark.django_db
def test_the_api_documentation_pages_have_no_inline_script_and_no_outside_request(client, world):
    client.force_login(world.staff)
    for url in [reverse("api-docs"), reverse("api-redoc")]:
        page = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert not re.search(r"<style", page), url
        assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page), url
    script = client.get(reverse("api-docs"), {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_only_the_redoc_page_allows_the_styles_redoc_writes(client, world):
    client.force_login(world.staff)
    assert "'unsafe-inline'" in directives(client.get(reverse("api-redoc")))["style-src"]
    assert "'unsafe-inline'" not in directives(client.get(reverse("api-docs")))["style-src"]


@pytest.mark.django_db
def test_private_answers_are_not_stored_but_public_ones_and_static_files_may_be(client, world):
    assert not client.get("/healthz").has_header("Cache-Control")
    assert client.get("/api/v1/cases/")["Cache-Control"] == "no-store"  # even the 401
    client.force_login(world.liaison)
    assert client.get("/cases/")["Cache-Control"] == "no-store"
    assert client.get("/api/v1/cases/")["Cache-Control"] == "no-store"
    export = client.get("/cases/export.csv")
    assert export.status_code == 200
    assert export["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_static_files_stay_cacheable_for_a_signed_in_person(world, settings):
    from django.test import Client

    settings.WHITENOISE_USE_FINDERS = True  # serve from the source folders, as without collectstatic
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()  # its handler builds WhiteNoise with the settings above
    client.force_login(world.liaison)
    static = client.get("/static/npc/app.css")
    assert static.status_code == 200
    assert "no-store" not in static["Cache-Control"]


def deploy_warnings(env_overrides: dict) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"DEBUG": "0", "SECRET_KEY": "x" * 64 + "-a-long-random-production-key", "ALLOWED_HOSTS":
                "npc.example.gov.cn", "DJANGO_SETTINGS_MODULE": "npc_tracker.settings", **env_overrides})
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    return result.stdout + result.stderr


def test_the_https_switches_quiet_the_deploy_check():
    before = deploy_warnings({})
    assert {"security.W004", "security.W008"} <= set(re.findall(r"security\.W\d+", before))  # HSTS, SSL redirect
    after = deploy_warnings({"SECURE_HSTS_SECONDS": "31536000", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
                             "SECURE_HSTS_PRELOAD": "1", "SECURE_SSL_REDIRECT": "1",
                             "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO"})
    assert re.findall(r"security\.W\d+", after) == []


def test_the_proxy_header_setting_names_the_header_and_https():
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    env = {**os.environ, "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
           "DJANGO_SETTINGS_MODULE": "npc_tracker.settings"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"
