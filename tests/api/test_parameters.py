"""Query parameters (issue 13 §5): typed as what they are, a bad value or an unknown name is a 400 naming it, and
the schema lists exactly what the server accepts."""

import pytest
from rest_framework.test import APIClient

from tests.api.test_contract import client_for

pytestmark = pytest.mark.django_db


def refused(response, name, code=None):
    assert response.status_code == 400, response.content
    body = response.json()
    assert name in body["fields"], body
    if code:
        assert body["code"] == code, body
    return body


@pytest.mark.parametrize(("url", "query", "name"), [
    ("cases", "overdue=maybe", "overdue"),
    ("cases", "rehandled=perhaps", "rehandled"),
    ("cases", "kind=bogus", "kind"),
    ("cases", "rag=purple", "rag"),
    ("cases", "year=twenty", "year"),
    ("cases", "year=2020.5", "year"),
    ("cases", "due_within=-1", "due_within"),
    ("cases", "body=abc", "body"),
    ("cases", "body=999999", "body"),
    ("cases", "committee=x", "committee"),
    ("cases", "due_after=yesterday", "due_after"),
    ("cases", "ordering=colour", "ordering"),
    ("cases", "ordering=due_date,title", "ordering"),
    ("cases", "page_size=abc", "page_size"),
    ("cases", "page_size=0", "page_size"),
    ("cases", "page_size=201", "page_size"),
    ("cases", "page=abc", "page"),
    ("cases", "page=0", "page"),
    ("bodies", "ordering=leader_email", "ordering"),
    ("rule-sets", "ordering=deadline_rule", "ordering"),
    ("inbox", "read_at__isnull=sometimes", "read_at__isnull"),
    ("meetings", "term=0.5", "term"),
    ("meetings", "session=x", "session"),
    ("dashboard", "league_sort=colour", "league_sort"),
    ("dashboard", "overdue=maybe", "overdue"),
    # An empty value is "no filter" on the pages' forms; to the API it is a value the schema does not allow.
    ("cases", "due_after=", "due_after"),
    ("cases", "status=", "status"),
    ("cases", "ordering=", "ordering"),
    ("cases", "page_size=", "page_size"),
    ("calendar", "date__lte=", "date__lte"),
    ("dashboard", "league_sort=", "league_sort"),
])
def test_a_bad_value_is_a_400_naming_the_parameter(world, url, query, name):
    refused(client_for(world.staff).get(f"/api/v1/{url}/?{query}"), name)


@pytest.mark.parametrize("url", ["cases", "bodies", "committees", "meetings", "rule-sets", "calendar", "inbox",
                                 "dashboard"])
def test_an_unknown_parameter_is_a_400_naming_it(world, url):
    body = refused(client_for(world.staff).get(f"/api/v1/{url}/?overdu=true&status=issued"), "overdu",
                   "unknown_field")
    assert ("status" in body["fields"]) is (url not in ("cases", "dashboard"))


def test_a_misspelt_filter_does_not_answer_with_every_case(world, make_case):
    make_case()
    response = client_for(world.staff).get("/api/v1/cases/?kindd=appraisal")
    assert response.status_code == 400
    assert "kindd" in response.json()["fields"]


def test_an_empty_search_is_a_search_for_anything(world, make_case):
    make_case()
    assert client_for(world.staff).get("/api/v1/cases/?q=").json()["count"] == 1


def test_rag_takes_the_none_it_gives(world, make_case, issued_case):
    make_case(title="仍是草稿")  # a draft is owed by nobody: no colour
    api = client_for(world.staff)
    rows = api.get("/api/v1/cases/?rag=none&page_size=200").json()["results"]
    assert rows
    assert {row["rag"] for row in rows} == {"none"}
    coloured = api.get("/api/v1/cases/").json()["results"]
    assert {row["id"] for row in coloured if row["rag"] == "none"} == {row["id"] for row in rows}


def test_ordering_is_one_listed_field_either_way_with_ties_broken_by_id(world, make_case):
    for title in ["乙", "甲", "乙"]:
        make_case(title=title)
    api = client_for(world.staff)
    ascending = [(row["title"], row["id"]) for row in api.get("/api/v1/cases/?ordering=title").json()["results"]]
    assert ascending == sorted(ascending)
    descending = [row["title"] for row in api.get("/api/v1/cases/?ordering=-title").json()["results"]]
    assert descending == sorted(descending, reverse=True)


def test_search_on_bodies_and_committees_finds_by_name(world):
    api = client_for(world.staff)
    assert [row["id"] for row in api.get("/api/v1/bodies/?search=发改").json()["results"]] == [world.fgw.pk]
    assert [row["id"] for row in api.get("/api/v1/committees/?search=预算").json()["results"]] == [world.yusuan.pk]


def test_page_size_pages_and_a_page_past_the_last_is_404(world, make_case):
    for n in range(3):
        make_case(title=f"第{n}件")
    api = client_for(world.staff)
    first = api.get("/api/v1/cases/?page_size=2&ordering=id").json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    second = api.get("/api/v1/cases/?page_size=2&ordering=id&page=2").json()
    assert {row["id"] for row in first["results"]}.isdisjoint(row["id"] for row in second["results"])
    past = api.get("/api/v1/cases/?page_size=2&page=3")
    assert past.status_code == 404
    assert past.json()["code"] == "not_found"


def test_the_schema_types_every_parameter_as_the_server_reads_it(world):
    schema = APIClient().get("/api/schema/?format=json").json()
    cases = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert cases["ordering"]["enum"] == ["due_date", "-due_date", "title", "-title", "status", "-status",
                                         "issued_date", "-issued_date", "id", "-id"]
    assert "none" in cases["rag"]["enum"]
    for name in ("body", "committee", "lead_body", "meeting", "year", "due_within"):
        assert cases[name]["type"] == "integer", name
    assert cases["overdue"]["type"] == "boolean"
    assert cases["page_size"] == {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}
    assert cases["page"]["minimum"] == 1
    bodies = {p["name"] for p in schema["paths"]["/api/v1/bodies/"]["get"]["parameters"]}
    assert {"search", "ordering"} <= bodies
    rule_sets = {p["name"] for p in schema["paths"]["/api/v1/rule-sets/"]["get"]["parameters"]}
    assert "ordering" not in rule_sets
    assert "search" not in rule_sets


def test_every_parameter_the_schema_lists_is_known_to_the_server(world, make_case):
    """The other half of the contract: nothing the schema offers is refused as unknown."""
    schema = APIClient().get("/api/schema/?format=json").json()
    api = client_for(world.staff)
    sample = {"integer": "1", "boolean": "true", "string": "2026-01-01"}
    checked = 0
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if "{" in path or not get:
            continue
        for parameter in (p for p in get.get("parameters", []) if p["in"] == "query"):
            spec = parameter["schema"]
            spec = spec.get("items", spec)
            value = spec["enum"][0] if "enum" in spec else sample[spec["type"]]
            response = api.get(path, {parameter["name"]: value})
            assert response.status_code != 400 or response.json()["code"] != "unknown_field", (path, parameter)
            checked += 1
    assert checked > 50
