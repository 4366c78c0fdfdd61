"""Malformed input is a 400 (or a 404 for an id that names nothing), never a 500 — on every page, for staff and for a
liaison, on SQLite and on PostgreSQL (whose bigint overflows differently).

The walker is generic: it takes every route of the URL resolver (a route without arguments here fails the test),
opens each page, finds every form and every link with a query string on it, and sends each field and parameter
again with each bad value, the rest of the form as rendered. Each request runs in a savepoint that is rolled back,
so every request starts from the same data.
"""

import re
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from knox.models import get_token_model

from notifications import channels
from opinions import services
from opinions.models import AuditArea, AuditImport, AuditProblem, CaseItem
from opinions.selectors import today
from opinions.services import meetings
from opinions.services.attachments import attachment_add
from public.services import publication_publish
from tests import cases
from tests.files import PDF

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # past a bigint: PostgreSQL and SQLite both overflow on it
BAD_VALUES = ["abc", "1.5", "-1", HUGE, "", "\x00"]
# Routes left to their owners: Django's admin, the API (fuzzed against its schema, tests/api), the language switch.
NOT_WALKED = ("admin/", "api/", "i18n/")
# Free text takes "abc" and numbers as they are, and an empty field is what people send every day: only a NUL is
# odd there (PostgreSQL refuses it in text). A select of fixed choices has no number to get wrong.
TEXT_VALUES = ["\x00"]
CHOICE_VALUES = ["abc", "\x00"]
# Hidden fields that take any text: the query string to return to after a bulk action, the page after a login.
FREE_TEXT = {"back", "next"}
# Values a typed field rightly takes (by the field's last name part): an order may be any integer; Django ignores
# the formset's minimum and maximum counts; an amount has cents.
ACCEPTED = {"ORDER": {"-1", HUGE}, "MIN_NUM_FORMS": {"-1", HUGE}, "MAX_NUM_FORMS": {"-1", HUGE},
            "amount": {"1.5"}, "rectified_amount": {"1.5"},
            **{way: {"1.5"} for way in ("paid_to_treasury", "disbursed", "accounts_adjusted", "returned_to_source",
                                        "losses_recovered")}}
# Inputs a view reads that no page renders as a field (the inbox marks one message read by its id).
NOT_RENDERED = {("post", "/inbox/read/"): {"id": ("typed", [])}}
# Query parameters the pages read from links that the test world may not show (a second page, a sort order).
QUERY_NAMES = {"page", "sort", "league_sort", "report"}


@pytest.fixture
def site(world, received_case, make_case, settings, tmp_path):
    """One of everything a page can name: a case with a report, items (one with money), files, a draft, a meeting
    with a heard report, an inbox message, a channel and an API token per user."""
    settings.MEDIA_ROOT = tmp_path
    services.calendar_enter_year(year=today().year + 1, actor=None, rest_days={}, make_up_workdays={})
    case = received_case
    item = case.items.first()
    services.report_submit(case=case, actor=world.liaison, kind="interim", title="阶段报告", text="进展")
    revised = services.report_submit(case=case, actor=world.liaison, kind="interim", title="阶段报告（二）",
                                     text="进展，续")
    attachment = attachment_add(case=case, actor=world.liaison, file=SimpleUploadedFile("证据.pdf", PDF))
    draft = make_case(title="草稿", items=[{"heading": "一、审计问题", "text": "正文", "kind": "audit_problem",
                                            "amount": Decimal("100.00")}])
    meeting = meetings.meeting_create(actor=world.staff, kind="sc_meeting", term=14, session=15,
                                      start_date=date(2020, 8, 27), end_date=date(2020, 8, 28))
    meetings.heard_report_add(meeting=meeting, actor=world.staff, title="关于计划执行情况的报告", body=world.gov,
                              committee=world.caijing)
    endpoints, tokens = {}, {}
    for user in (world.staff, world.liaison):
        endpoints[user.pk] = channels.endpoint_add(user=user, channel="email", target=f"{user.username}@example.cn")
        tokens[user.pk] = get_token_model().objects.create(user=user, expiry=timedelta(days=30), name="大屏")[0]

    class Site:
        pass

    s = Site()
    s.case, s.item, s.draft, s.meeting, s.attachment = case, item, draft, meeting, attachment
    s.endpoints, s.tokens, s.revised_report = endpoints, tokens, revised
    s.audit_case = make_case(kind="audit_rectification", title="审计查出问题整改", items=[], co_bodies=[])
    # An import refused for its rows, one per user: an import's page is its author's.
    s.imports = {user.pk: AuditImport.objects.create(case=case, created_by=user, original_name="清单.xlsx",
                                                     file="imports/清单.xlsx", state="refused",
                                                     errors=[{"row": 2, "column": "问题领域", "message": "未知"}])
                 for user in (world.staff, world.liaison)}
    s.audit_problem = AuditProblem.objects.create(item=case.items.last(), reference="SJ2025-01-001", audit_year=2025,
                                                  area=AuditArea.objects.first(), problem_type="违规拨付资金",
                                                  rectification_type="immediate")
    # An earlier year's problem of the same unit and type, so the ledger offers the staff to confirm a repeat.
    AuditProblem.objects.create(item=draft.items.first(), reference="SJ2024-01-001", audit_year=2024,
                                area=AuditArea.objects.first(), problem_type="违规拨付资金",
                                rectification_type="immediate")
    CaseItem.objects.filter(pk__in=[case.items.last().pk, draft.items.first().pk]).update(
        responsible_body=world.fgw)
    # A case on the public site, with a file chosen to go out. The walk sends hundreds of requests from one address:
    # the public site's rate limit is off here (tests/public test it).
    settings.PUBLIC_RATE_LIMIT = ""
    published = cases.accepted(services.case_issue(case=make_case(title="已公布的审议意见"), actor=world.staff,
                                                   issued_date=date(2020, 9, 3)), world)
    public_file = attachment_add(case=published, actor=world.staff, file=SimpleUploadedFile("公开.pdf", PDF))
    s.publication = publication_publish(case=published, actor=world.staff, attachments=[public_file])
    return s


# Valid arguments of each route, for the user walking it. A new route needs a line here.
ROUTE_ARGS = {
    "home": lambda s, u: {},
    "healthz": lambda s, u: {},
    "login": lambda s, u: {},
    "logout": lambda s, u: {},
    "password_change": lambda s, u: {},
    "password_change_done": lambda s, u: {},
    "token_list": lambda s, u: {},
    "token_revoke": lambda s, u: {"token_key": s.tokens[u.pk].token_key},
    "opinions:case_list": lambda s, u: {},
    "opinions:case_create": lambda s, u: {},
    "opinions:deadline_preview": lambda s, u: {},
    "opinions:case_export": lambda s, u: {},
    "opinions:case_export_xlsx": lambda s, u: {},
    "opinions:case_bulk_issue": lambda s, u: {},
    "opinions:case_detail": lambda s, u: {"pk": s.case.pk},
    "opinions:case_edit": lambda s, u: {"pk": s.draft.pk},
    "opinions:case_action": lambda s, u: {"pk": s.case.pk, "action": "submit-interim-report"},
    "opinions:item_action": lambda s, u: {"pk": s.case.pk, "item_pk": s.item.pk, "action": "report-progress"},
    "opinions:attachment_upload": lambda s, u: {"pk": s.case.pk},
    "opinions:report_compare": lambda s, u: {"pk": s.case.pk, "report_pk": s.revised_report.pk},
    "opinions:attachment_download": lambda s, u: {"attachment_pk": s.attachment.pk},
    "opinions:document_download": lambda s, u: {"document_pk": s.case.documents.first().pk},
    "opinions:assignment_preview": lambda s, u: {"pk": s.draft.pk},
    "opinions:case_print": lambda s, u: {"pk": s.case.pk},
    "opinions:audit_ledger": lambda s, u: {},
    "opinions:audit_ledger_export": lambda s, u: {},
    "opinions:audit_import": lambda s, u: {},
    "opinions:audit_template": lambda s, u: {},
    "opinions:audit_import_job": lambda s, u: {"pk": s.imports[u.pk].pk},
    "opinions:audit_report": lambda s, u: {"pk": s.audit_case.pk},
    "opinions:audit_report_docx": lambda s, u: {"pk": s.audit_case.pk},
    "opinions:audit_confirm_repeat": lambda s, u: {"pk": s.audit_problem.pk},
    "opinions:dashboard": lambda s, u: {},
    "opinions:dashboard_print": lambda s, u: {},
    "opinions:dashboard_screen": lambda s, u: {},
    "opinions:annual_pick": lambda s, u: {},
    "opinions:annual": lambda s, u: {"year": today().year},
    "opinions:annual_docx": lambda s, u: {"year": today().year},
    "opinions:annual_xlsx": lambda s, u: {"year": today().year},
    "opinions:meeting_list": lambda s, u: {},
    "opinions:meeting_create": lambda s, u: {},
    "opinions:meeting_detail": lambda s, u: {"pk": s.meeting.pk},
    "opinions:meeting_edit": lambda s, u: {"pk": s.meeting.pk},
    "notifications:inbox": lambda s, u: {},
    "notifications:mark_read": lambda s, u: {},
    "notifications:channels": lambda s, u: {},
    "notifications:channel_action": lambda s, u: {"pk": s.endpoints[u.pk].pk, "action": "disable"},
    "public:list": lambda s, u: {},
    "public:feed": lambda s, u: {},
    "public:detail": lambda s, u: {"slug": s.publication.slug},
    "public:file": lambda s, u: {"slug": s.publication.slug, "token": s.publication.files.get().token},
}


def html_routes(resolver=None, prefix="", namespace=""):
    """(name, pattern) of every route of the pages, walked through the includes."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(NOT_WALKED):
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from html_routes(entry, route, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def test_every_route_of_the_pages_has_arguments_to_walk_with():
    assert {name for name, _pattern in html_routes()} == set(ROUTE_ARGS)


def request(client, method, url, data=None):
    """One request in a savepoint rolled back afterwards; a server error comes back as a 500, not raised."""
    with transaction.atomic():
        response = getattr(client, method)(url, data if data is not None else {})
        transaction.set_rollback(True)
    return response


def forms_on(response, url):
    """(method, action, fields) of each form of a page; fields as the browser would send them, with their kind."""
    document = lxml.html.fromstring(response.content.decode())
    found = []
    for form in document.forms:
        action = urlsplit(form.action or url).path
        if action.lstrip("/").startswith(NOT_WALKED) or action == reverse("logout"):
            continue
        fields = {}
        # Inputs outside the form element that name it (the case list's checkboxes) are sent with it.
        outside = document.xpath("//*[@form=$id]", id=form.get("id")) if form.get("id") else []
        for element in [*form.inputs, *outside]:
            name = element.get("name")
            if (not name or name == "csrfmiddlewaretoken" or "__prefix__" in name  # the JS template of a new row
                    or element.get("type") in ("submit", "button", "file")):
                continue
            fields[name] = (_kind(element), _value(element))
        found.append(((form.method or "get").lower(), action, fields))
    return found


def _kind(element) -> str:
    """Typed fields take no free text: a bad value there must be refused, not merely survived."""
    if element.tag == "select":
        values = [option.get("value", option.text) for option in element.xpath(".//option")]
        return "typed" if any(value.isdigit() for value in values) else "choice"
    kind = element.get("type", "text")
    if kind in ("number", "date", "hidden") or (kind in ("checkbox", "radio") and element.get("value", "on") != "on"):
        return "text" if element.get("name") in FREE_TEXT else "typed"
    return "text"


def _value(element):
    if element.tag == "select":
        return [option.get("value", option.text) for option in element.xpath(".//option[@selected]")]
    if element.get("type") in ("checkbox", "radio"):
        return [element.get("value", "on")] if element.checked else []
    if element.tag == "textarea":
        return [element.text or ""]
    return [element.get("value", "")]


def links_on(response):
    """(path, parameter names) of each internal link that carries a query string."""
    document = lxml.html.fromstring(response.content.decode())
    for href in document.xpath("//a/@href"):
        parts = urlsplit(href)
        if parts.query and not parts.netloc and parts.path.startswith("/") and not parts.path.startswith(
                tuple("/" + prefix for prefix in NOT_WALKED)):
            yield parts.path, {name for name, _value in parse_qsl(parts.query, keep_blank_values=True)}


def expected(name: str, kind: str, value: str) -> set[int]:
    """A typed field refuses every bad value but the empty one (an optional select's "none") and the ones it rightly
    takes; free text may be refused or taken, but never answered with a server error."""
    if kind != "text" and value != "" and value not in ACCEPTED.get(name.rpartition("-")[2], ()):
        return {400, 404}
    return {200, 302, 400, 403, 404, 409}


def crawl(client, site, user):
    """The pages the user can open, the forms on them by (method, action) and the query names of their links."""
    pages, forms, links = [], {}, {}
    for name, _pattern in html_routes():
        url = reverse(name, kwargs=ROUTE_ARGS[name](site, user))
        response = request(client, "get", url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(url)
            for method, action, fields in forms_on(response, url):
                forms.setdefault((method, action), fields)
            for path, names in links_on(response):
                links.setdefault(path, set()).update(names)
    return pages, forms, links


# Django's own account forms, where a repeat is refused anyway: a second login just signs in again, a second
# password change fails on the old password.
REPEATABLE = {"login", "password_change"}


@pytest.mark.parametrize("who", ["staff", "liaison"])
def test_every_form_that_posts_is_done_once_however_often_it_is_sent(client, world, site, who):
    """Each posting form carries the one-time token and posts to a view that claims it (npc_tracker.submissions)."""
    user = getattr(world, who)
    client.force_login(user)
    _pages, forms, _links = crawl(client, site, user)
    posting = {action for method, action in forms if method == "post"}
    assert len(posting) >= 8
    unguarded = []
    for action in sorted(posting):
        match = resolve(action)
        if match.url_name in REPEATABLE:
            continue
        if "submission_token" not in forms["post", action] or not getattr(match.func, "once_per_submission", False):
            unguarded.append(action)
    assert unguarded == []


@pytest.mark.parametrize("who", ["staff", "liaison"])
def test_no_page_answers_a_malformed_value_with_a_server_error(client, world, site, who):
    user = getattr(world, who)
    client.force_login(user)
    client.raise_request_exception = False
    wrong, sent = [], 0

    def check(method, url, data, allowed, what):
        nonlocal sent
        sent += 1
        response = request(client, method, url, data)
        if response.status_code not in allowed:
            wrong.append(f"{method.upper()} {url} {what}: {response.status_code}, expected one of {sorted(allowed)}")

    pages, forms, links = crawl(client, site, user)
    for name, _pattern in html_routes():
        kwargs = ROUTE_ARGS[name](site, user)
        url = reverse(name, kwargs=kwargs)
        # An id past any row, or one no route takes (negative), names nothing: a 404 whoever asks.
        for key, value in kwargs.items():
            if isinstance(value, int):
                for bad in (HUGE, "-1", "abc"):
                    bad_url = url.replace(f"/{value}/", f"/{bad}/", 1)
                    for method in ("get", "post"):
                        check(method, bad_url, {}, {403, 404, 405}, f"with {key}={bad!r}")
    assert len(pages) >= 12

    for (method, action), fields in forms.items():
        fields = {**fields, **NOT_RENDERED.get((method, action), {})}
        rows_seen = set()
        for name, (kind, _value) in fields.items():
            row_field = re.sub(r"-\d+-", "-N-", name)  # the rows of a formset are the same form: walk one
            if row_field in rows_seen:
                continue
            rows_seen.add(row_field)
            for bad in {"typed": BAD_VALUES, "choice": CHOICE_VALUES, "text": TEXT_VALUES}[kind]:
                data = {field: value for field, (_kind, value) in fields.items()}
                data[name] = [bad]
                url = action if method == "post" else f"{action}?{_encode(data)}"
                check(method, url, data if method == "post" else None, expected(name, kind, bad),
                      f"{name}={bad!r}")
    for path in pages:
        links.setdefault(path, set()).update(QUERY_NAMES)
    for path, names in links.items():
        for name in names:
            for bad in BAD_VALUES:
                check("get", f"{path}?{_encode({name: [bad]})}", None, {200, 400, 404}, f"?{name}={bad!r}")
    print(f"{who}: {sent} malformed requests over {len(pages)} pages, {len(forms)} forms")
    assert wrong == [], "\n".join(wrong)


def _encode(data) -> str:
    return urlencode([(name, value) for name, values in data.items() for value in values])


# ---------------------------------------------------------------- the API, walked from its own schema

API_IDS = {"cases": "case", "bodies": "body", "committees": "committee", "meetings": "meeting", "inbox": "message",
           "rule-sets": "rule_set", "calendar": "day", "item_pk": "item", "attachment_pk": "attachment",
           "document_pk": "document",
           "people": "person", "audit-problems": "audit_problem",
           "audit-reports": "case", "audit-imports": "case"}
TYPED = {"integer", "number", "boolean"}


def api_ids(site, world, user):
    from notifications.models import Notification
    from opinions.models import CalendarDay, RuleSet

    return {"case": site.case.pk, "body": world.gov.pk, "committee": world.caijing.pk, "meeting": site.meeting.pk,
            "message": Notification.objects.filter(recipient=user, channel="inbox").values_list("pk", flat=True)
            .first() or 1, "rule_set": RuleSet.objects.values_list("pk", flat=True).first(),
            "day": CalendarDay.objects.values_list("pk", flat=True).first(), "item": site.item.pk,
            "attachment": site.attachment.pk, "document": site.case.documents.first().pk, "person": user.pk,
            "audit_problem": site.audit_problem.pk}


def _typed(schema: dict) -> bool:
    return schema.get("type") in TYPED or schema.get("format") in ("date", "date-time") or "enum" in schema or (
        schema.get("type") == "array" and _typed(schema.get("items", {})))


@pytest.mark.parametrize("who", ["staff", "liaison"])
def test_no_api_operation_answers_a_malformed_id_or_number_with_a_server_error(world, site, who):
    """Every path id with each bad value, every typed query parameter and every typed field of a request body: a
    400 (or 403/404/409 where the call is refused before its input is read), never a 500."""
    from rest_framework.test import APIClient

    user = getattr(world, who)
    client = APIClient()
    client.force_authenticate(user)
    client.raise_request_exception = False
    schema = client.get("/api/schema/?format=json").json()
    ids = api_ids(site, world, user)
    wrong, sent = [], 0
    for template, operations in schema["paths"].items():
        segments = template.strip("/").split("/")
        resource = segments[2]
        params = {name.strip("{}"): ids[API_IDS[resource if name == "{id}" else name.strip("{}")]]
                  for name in segments if name.startswith("{")}
        for method, operation in operations.items():
            if method not in ("get", "post", "patch"):
                continue
            refused = {400, 403, 404, 405, 409}
            calls = []
            for name in params:
                for bad in BAD_VALUES:
                    if bad:
                        calls.append(({**params, name: bad}, {}, None, refused, f"{name}={bad!r}"))
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and _typed(parameter.get("schema", {})):
                    for bad in BAD_VALUES:
                        calls.append((params, {parameter["name"]: bad}, None, {200, 400, 404},
                                      f"?{parameter['name']}={bad!r}"))
            body = operation.get("requestBody", {}).get("content", {})
            multipart = "application/json" not in body and "multipart/form-data" in body
            form = body.get("multipart/form-data" if multipart else "application/json") or {}
            properties = _resolve(schema, form.get("schema", {})).get("properties", {})
            for field, field_schema in properties.items():
                if not _typed(_resolve(schema, field_schema)):
                    continue
                for bad in BAD_VALUES:
                    if bad and bad not in ACCEPTED.get(field, ()):
                        value = [bad] if field_schema.get("type") == "array" else bad
                        calls.append((params, {}, {field: value}, refused, f"body {field}={bad!r}"))
            for path_params, query, data, allowed, what in calls:
                url = template.format(**{name: quote(str(value), safe="") for name, value in path_params.items()})
                sent += 1
                with transaction.atomic():
                    if method == "get":
                        response = client.get(url, query)
                    elif multipart:
                        response = client.post(url, {**(data or {}), "file": SimpleUploadedFile("证据.pdf", PDF)},
                                               format="multipart")
                    else:
                        response = getattr(client, method)(url, data or {}, format="json")
                    transaction.set_rollback(True)
                if response.status_code not in allowed:
                    wrong.append(f"{method.upper()} {url} {what}: {response.status_code}")
    print(f"{who}: {sent} malformed API requests")
    assert sent > 300
    assert wrong == [], "\n".join(wrong)


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rpartition("/")[2]]
    return node
