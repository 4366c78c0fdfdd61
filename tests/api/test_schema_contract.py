"""What generated clients are built from (issue 13 §3): the schema's names are explicit and stable, it reads the
same in every language, it generates without a warning, and every error code the server can send is in it."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework import exceptions

from npc_tracker.api_schema import ERROR_CODES

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
COMPONENTS = Path(__file__).with_name("schema_components.txt")


def served_schema(client, **extra) -> dict:
    return client.get("/api/schema/", {"format": "json", **extra.pop("query", {})}, **extra).json()


def test_component_names_do_not_change_unnoticed(client):
    names = sorted(served_schema(client)["components"]["schemas"])
    # Generated clients name classes and files after these: renaming one breaks every integrator's code. If the
    # change is meant, write the new list to schema_components.txt and say so in the release notes.
    assert names == COMPONENTS.read_text().split()


def test_no_name_carries_a_hash_of_its_labels(client):
    assert [name for name in served_schema(client)["components"]["schemas"]
            if re.search(r"[0-9a-f]{3}Enum$", name)] == []


def test_the_schema_is_the_same_in_every_language(client):
    english = served_schema(client, HTTP_ACCEPT_LANGUAGE="en")
    assert served_schema(client, HTTP_ACCEPT_LANGUAGE="zh-hans") == english
    assert served_schema(client, query={"lang": "zh-hans"}) == english
    assert "Draft" in str(english["components"]["schemas"]["CaseStatus"])  # labels, as descriptions


def test_the_schema_generates_without_a_warning_and_validates(tmp_path):
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml"))


def test_every_error_answer_has_the_documented_shape(client):
    schema = served_schema(client)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    expected = "ValidationError" if status == "400" else "Error"
                    assert ref == f"#/components/schemas/{expected}", (method, path, status)
    assert sorted(schema["components"]["schemas"]["ErrorCode"]["enum"]) == sorted(ERROR_CODES)


def codes_in_the_source() -> set[str]:
    found = set()
    for path in [*ROOT.glob("agencies/**/*.py"), *ROOT.glob("opinions/**/*.py"), *ROOT.glob("notifications/**/*.py"),
                 *ROOT.glob("npc_tracker/**/*.py")]:
        if "migrations" in path.parts:
            continue
        text = path.read_text()
        found |= set(re.findall(r'\bcode\s*=\s*"([a-z_]+)"', text))
        found |= set(re.findall(r'"code":\s*"([a-z_]+)"', text))
        found |= set(re.findall(r'(?:_case_refusal|TransitionRefused)\(\s*"([a-z_]+)"', text))
        found |= set(re.findall(r'^\s+"(wrong_status|wrong_role|items_open)",$', text, re.M))
    return found


def test_every_code_the_server_can_send_is_documented():
    drf = {cls.default_code for cls in (exceptions.ParseError, exceptions.AuthenticationFailed,
                                         exceptions.NotAuthenticated, exceptions.PermissionDenied,
                                         exceptions.NotFound, exceptions.MethodNotAllowed, exceptions.NotAcceptable,
                                         exceptions.UnsupportedMediaType, exceptions.Throttled)}
    assert (codes_in_the_source() | drf) - set(ERROR_CODES) == set()
