"""The permission matrix of /api/v1/, generated from the router: every route × every method × every role × two
cases (one the role's own, one foreign to it). The expected answer of each cell is derived from the rules (the
workflow table, who sees what), never listed by hand; a route without a rule here fails the test.

Each request runs in a savepoint that is rolled back, so every cell starts from the same data.
"""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from openpyxl import Workbook
from rest_framework.test import APIClient

from agencies.models import Membership, MembershipRole
from npc_tracker.api_urls import router
from opinions import services
from opinions.actions import CASE_ACTIONS, ITEM_ACTIONS
from opinions.api.examples import CASE_EXAMPLES, ITEM_EXAMPLES
from opinions.api.serializers import CASE_LISTS as CASE_LIST_SERIALIZERS
from opinions.models import AuditArea, AuditProblem, CalendarDay, CaseItem, Meeting, RuleSet
from opinions.selectors import today
from opinions.services.attachments import attachment_add
from opinions.workflow import (
    CaseStatus,
    ItemStatus,
    Role,
    available_actions,
    available_item_actions,
    ever_allowed,
    item_action_ever_allowed,
)
from tests.files import PDF

pytestmark = pytest.mark.django_db

METHODS = ["get", "post", "put", "patch", "delete"]

# The documented examples are the input: an allowed call is then judged on permission and status alone.
CASE_PAYLOADS = {**CASE_EXAMPLES, "issue": {}, "acknowledge": {}}  # today, not the example's date
ITEM_PAYLOADS = ITEM_EXAMPLES
CASE_SPECS = {spec.slug: spec for spec in CASE_ACTIONS}
ITEM_SPECS = {spec.slug: spec for spec in ITEM_ACTIONS}
REFERENCE = {"body", "committee", "meeting", "ruleset", "calendarday"}
CASE_LISTS = {f"{name}_list" for name in CASE_LIST_SERIALIZERS}


class World:
    """Case A: 市人民政府 leads, 市发改委 co-handles item 2, 财经工委 supervises. Case B: 市中院 leads, 预算工委
    supervises. Both received today (in progress, due date ahead). Roles are relative to each case."""

    def __init__(self, w):
        from django.contrib.auth import get_user_model

        services.calendar_enter_year(year=today().year + 1, actor=None, rest_days={}, make_up_workdays={})
        admin = get_user_model().objects.create_user(username="admin_member", password="x")
        Membership.objects.create(user=admin, role=MembershipRole.ADMIN)
        meeting = Meeting.objects.create(term=14, session=15, start_date=date(2020, 8, 27))
        self.a = self._case(w, w.gov, [w.fgw], w.caijing, w.liaison, "甲")
        self.b = self._case(w, w.court, [], w.yusuan, w.court_liaison, "乙")
        # Each case's 交办通知, kept when it was issued.
        self.documents = {"a": self.a.documents.get().pk, "b": self.b.documents.get().pk}
        self.files = {key: attachment_add(case=case, actor=liaison, file=SimpleUploadedFile("证据.pdf", PDF)).pk
                      for key, case, liaison in (("a", self.a, w.liaison), ("b", self.b, w.court_liaison))}
        self.users = {"staff_supervising": w.staff, "staff_other_committee": w.other_staff,
                      "liaison_lead": w.liaison, "liaison_co": w.fgw_liaison, "liaison_unrelated": w.court_liaison,
                      "leader": w.leader, "admin": admin, "anonymous": None}
        # Roles each user holds on each case; None: the case is not visible to them.
        self.roles = {
            ("staff_supervising", "a"): {Role.STAFF}, ("staff_supervising", "b"): set(),
            ("staff_other_committee", "a"): set(), ("staff_other_committee", "b"): {Role.STAFF},
            ("liaison_lead", "a"): {Role.LIAISON}, ("liaison_lead", "b"): None,
            ("liaison_co", "a"): {Role.CO_LIAISON}, ("liaison_co", "b"): None,
            ("liaison_unrelated", "a"): None, ("liaison_unrelated", "b"): {Role.LIAISON},
            ("leader", "a"): {Role.LEADER}, ("leader", "b"): {Role.LEADER},
            ("admin", "a"): set(), ("admin", "b"): set(),
        }
        self.reference = {"body": (w.gov.pk, w.court.pk), "committee": (w.caijing.pk, w.yusuan.pk),
                          "meeting": (meeting.pk, meeting.pk),
                          "ruleset": tuple(RuleSet.objects.values_list("pk", flat=True)[:2]),
                          "calendarday": tuple(CalendarDay.objects.values_list("pk", flat=True)[:2])}
        # Inbox: each case's issue notice belongs to its lead liaison.
        self.notifications = {key: case.notifications.get(recipient=owner, channel="inbox").pk
                              for key, case, owner in (("a", self.a, w.liaison), ("b", self.b, w.court_liaison))}
        self.notification_owner = {"a": "liaison_lead", "b": "liaison_unrelated"}
        self.people = {"a": w.liaison.pk, "b": w.court_liaison.pk}
        # An audit problem on item 2 of each case (unit: 市发改委 on A, none on B, so 市中院 on B leads it), with
        # money involved: the report-audit example reports some of it rectified.
        area = AuditArea.objects.first()
        CaseItem.objects.filter(case__in=[self.a, self.b], number=2).update(amount=Decimal("500.00"))
        self.problems = {key: AuditProblem.objects.create(
            item=case.items.get(number=2), reference=f"SJ-{key}", audit_year=2025, area=area, problem_type="t",
            rectification_type="immediate").pk for key, case in (("a", self.a), ("b", self.b))}

    @staticmethod
    def _case(w, body, co_bodies, committee, liaison, title):
        case = services.case_create(actor=w.office_staff, kind="special_work_report", title=title, lead_body=body,
                                    supervising_committee=committee, co_bodies=co_bodies,
                                    items=[{"heading": "一"}, {"heading": "二", "responsible_body": (co_bodies or
                                                                                                    [None])[0]}])
        case = services.case_issue(case=case, actor=w.office_staff, issued_date=today())
        return services.case_acknowledge(case=case, actor=liaison, received_date=today())

    def item_roles(self, role, key):
        roles = self.roles[(role, key)]
        if roles is None:
            return None
        case = self.a if key == "a" else self.b
        item = case.items.get(number=2)
        if Role.CO_LIAISON in roles and item.responsible_body is None:
            return roles - {Role.CO_LIAISON}
        return roles


def routes():
    """(basename, url template, {method: view action}) for every route the router serves."""
    found = []
    for _prefix, viewset, basename in router.registry:
        for route in router.get_routes(viewset):
            mapping = {method: view_action for method, view_action in router.get_method_map(viewset, route.mapping)
                       .items() if method in viewset.http_method_names}
            if not mapping:
                continue
            url = route.url.replace("{prefix}", _prefix).replace("{trailing_slash}", "/").strip("^$")
            found.append((basename, url, mapping))
    return found


ROUTES = routes()


def expected(world, basename, view_action, method, role, key):
    """The answer the rules call for."""
    if role == "anonymous":
        return 401
    if method is None:
        return 405
    if basename in REFERENCE:
        if view_action == "partial_update":  # rule sets and the calendar: administrators correct them
            return 200 if role == "admin" else 403
        if view_action == "years":  # a whole year, entered by administrators (2030: no year there yet)
            return 201 if role == "admin" else 403
        return 200
    if basename == "dashboard":
        return 200  # everyone's own figures: scoped by what they see (test_dashboard checks the scoping)
    if basename == "person":  # a: 市人民政府's liaison, b: 市中院's; a liaison sees only their own body's
        if view_action == "retrieve" and role.startswith("liaison"):
            return 200 if (role, key) in {("liaison_lead", "a"), ("liaison_unrelated", "b")} else 404
        return 200
    if basename == "audit-problem":
        return expected_audit(world, view_action, role, key)
    if basename in ("audit-report", "audit-import"):  # A and B are not audit cases: no report, no import
        return 200 if view_action == "list" else 404
    if basename == "inbox":
        if view_action == "retrieve":
            return 200 if world.notification_owner[key] == role else 404
        return 200
    roles = world.roles[(role, key)]
    if view_action == "list":
        return 200
    if view_action == "create":
        return 201 if role.startswith("staff") else 403
    if roles is None:
        return 404
    if view_action in ("retrieve", "timeline", "attachment_download", "document_download") or view_action in CASE_LISTS:
        return 200
    if view_action == "partial_update":
        return 409 if Role.STAFF in roles else 403  # staff may edit drafts; these cases are issued
    if view_action == "attachments":
        return 201 if roles & {Role.STAFF, Role.LIAISON} else 403
    if view_action.startswith("item_"):
        item_roles = world.item_roles(role, key)
        spec = ITEM_SPECS[view_action.removeprefix("item_").replace("_", "-")]
        if not any(item_action_ever_allowed(a, item_roles) for a in spec.allowed_by):
            return 403
        now = available_item_actions(ItemStatus.NOT_STARTED, CaseStatus.IN_PROGRESS, item_roles)
        return 200 if spec.allowed_by & set(now) else 409
    spec = CASE_SPECS[view_action.replace("_", "-")]
    if not any(ever_allowed(a, roles) for a in spec.allowed_by):
        return 403
    case = world.a if key == "a" else world.b
    now = available_actions(CaseStatus.IN_PROGRESS, roles)
    return 200 if spec.allowed_by & set(now) and spec.shown_if(case) else 409


def expected_audit(world, view_action, role, key):
    roles = world.roles[(role, key)]
    if view_action in ("list", "template"):
        return 200
    if view_action == "import_list":  # case A and B are not audit cases: their staff are refused for the kind
        if roles is None:
            return 400  # the case named in the body is not one you see
        return 409 if Role.STAFF in roles else 403
    if roles is None:
        return 404
    if view_action in ("retrieve", "suggested_repeats"):
        return 200
    if view_action == "report":
        return 200 if world.item_roles(role, key) & {Role.LIAISON, Role.CO_LIAISON} else 403
    return 200 if Role.STAFF in roles else 403  # confirm_repeat


def xlsx_file():
    workbook = Workbook()
    workbook.active.append(["问题编号", "审计年度", "问题领域", "问题类型", "责任单位", "问题概要", "整改类型"])
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile("list.xlsx", output.getvalue())


def request_for(world, basename, url, view_action, key):
    case = world.a if key == "a" else world.b
    pk = {"case": case.pk, "inbox": world.notifications[key], "person": world.people[key],
          "audit-problem": world.problems[key], "audit-report": case.pk, "audit-import": case.pk}.get(basename)
    if basename in REFERENCE:
        pk = world.reference[basename][0 if key == "a" else 1]
    url = url.replace("{lookup}", str(pk)).replace("(?P<pk>[^/.]+)", str(pk))
    url = url.replace("(?P<item_pk>[0-9]+)", str(case.items.get(number=2).pk))
    url = url.replace("(?P<attachment_pk>[0-9]+)", str(world.files[key]))
    url = url.replace("(?P<document_pk>[0-9]+)", str(world.documents[key]))
    if view_action == "create":
        data = {"kind": "plan_execution", "title": "新草稿", "lead_body": case.lead_body_id}
    elif view_action == "partial_update":
        data = {"case": {"title": "改标题"}, "ruleset": {"legal_basis": "改依据"},
                "calendarday": {"is_workday": False, "note": "改"}}[basename]
    elif view_action == "attachments":
        return "/api/v1/" + url, {"file": SimpleUploadedFile("a.pdf", PDF)}, "multipart"
    elif view_action == "import_list":
        return "/api/v1/" + url, {"case": case.pk, "file": xlsx_file()}, "multipart"
    elif view_action == "report":
        data = {"progress_note": "推进中"}
    elif view_action == "confirm_repeat":
        data = {"repeat_of": None}
    elif view_action == "update":
        data = {"introduction": "导语", "measures": "做法", "next_steps": "下一步"}
    elif view_action == "years":
        data = {"year": 2030, "provisional": True}
    elif view_action == "mark_read":
        data = {}
    elif view_action.startswith("item_"):
        data = ITEM_PAYLOADS[view_action.removeprefix("item_").replace("_", "-")]
    else:
        data = CASE_PAYLOADS.get(view_action.replace("_", "-"), {})
    return "/api/v1/" + url, data, "json"


def test_every_route_has_a_rule_and_every_action_a_payload():
    actions = {view_action for _b, _u, mapping in ROUTES for view_action in mapping.values()}
    known = {"list", "retrieve", "create", "partial_update", "timeline", "attachments", "attachment_download",
             "document_download",
             "mark_read", "unread_count", "years", "import_list", "template", "report", "confirm_repeat",
             "suggested_repeats", "update", "download", "issue", *CASE_LISTS}
    case_actions = {slug.replace("-", "_") for slug in CASE_PAYLOADS}
    item_actions = {"item_" + slug.replace("-", "_") for slug in ITEM_PAYLOADS}
    assert actions - known - case_actions - item_actions == set(), "a new route needs a rule in expected()"
    assert set(CASE_PAYLOADS) == set(CASE_SPECS)
    assert set(ITEM_PAYLOADS) == set(ITEM_SPECS)


@pytest.mark.parametrize(("basename", "url", "mapping"), ROUTES, ids=[url for _b, url, _m in ROUTES])
def test_permission_matrix(world, basename, url, mapping, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    matrix = World(world)
    mismatches, cells = [], 0
    for role, user in matrix.users.items():
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        for key in ("a", "b"):
            for method in METHODS:
                view_action = mapping.get(method)
                path, data, fmt = request_for(matrix, basename, url, view_action or next(iter(mapping.values())),
                                              key)
                want = expected(matrix, basename, view_action, method if view_action else None, role, key)
                with transaction.atomic():
                    # A GET sends no body; its data would become query parameters.
                    response = getattr(client, method)(path, {} if method == "get" else data, format=fmt)
                    transaction.set_rollback(True)
                cells += 1
                if response.status_code != want:
                    mismatches.append(f"{role:22} {key} {method.upper():6} {path}: {response.status_code}, "
                                      f"expected {want} {getattr(response, 'data', '')!s:.160}")
    assert not mismatches, "\n".join(mismatches)
    with capsys.disabled():
        print(f" [{cells} cells]", end="")
