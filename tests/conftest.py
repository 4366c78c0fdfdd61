"""Shared fixtures: a fixed today, a small world of bodies, committees and people with each role."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from agencies.models import Body, BodyKind, Committee, CommitteeKind, Membership, MembershipRole

# A Wednesday morning in Shanghai, away from holidays, in the last year the seeded calendar knows (chinese-calendar
# 1.11: 2004–2026): a deadline counted from it, three or six months on, needs no year the tests did not enter. Tests
# must pass on any real date; those that need another today travel there themselves (time-machine nests).
TODAY = datetime(2026, 6, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def fixed_today():
    """Every test starts on TODAY, with the clock running (timeouts and token expiry still see time pass). It moves
    this process's clock only: a Celery worker or Chromium reads the real one, so what they compute must not depend
    on the date."""
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture(autouse=True)
def _files_in_the_tests_own_folder(settings, tmp_path):
    """Issuing a case keeps its 交办通知, and uploads keep their files: each test's go to its own folder, never the
    checkout's media/, and a fixture's files are still there when the test reads them."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _dashboard_computed_on_every_view(settings):
    """Tests change cases and read the figures again at once; the cache's own tests switch it on."""
    settings.DASHBOARD_CACHE_SECONDS = 0


def issue_without_signoff(request) -> None:
    """Most tests are about what follows the 交办, so they issue a draft without its sign-off (审签); the seeded
    rule sets ask for one, and the tests of the sign-off (marked `signoff`) keep them as seeded."""
    if request.node.get_closest_marker("signoff") is None:
        from opinions.models import RuleSet

        RuleSet.objects.update(signoff_by="none")


@pytest.fixture
def world(db, request):
    """Two bodies, two committees plus the office, and one person per role."""
    issue_without_signoff(request)
    User = get_user_model()

    class World:
        pass

    w = World()
    w.gov = Body.objects.create(name="安阳市人民政府", short_name="市人民政府", kind=BodyKind.GOVERNMENT)
    w.fgw = Body.objects.create(name="安阳市发展和改革委员会", short_name="市发改委", kind=BodyKind.DEPARTMENT,
                                parent=w.gov)
    w.court = Body.objects.create(name="安阳市中级人民法院", short_name="市中院", kind=BodyKind.COURT)
    w.caijing = Committee.objects.create(name="安阳市人大常委会财经工作委员会", short_name="财经工委",
                                         kind=CommitteeKind.WORKING)
    w.yusuan = Committee.objects.create(name="安阳市人大常委会预算工作委员会", short_name="预算工委",
                                        kind=CommitteeKind.WORKING)
    w.office = Committee.objects.create(name="安阳市人大常委会办公室", short_name="办公室", kind=CommitteeKind.OFFICE)

    def person(username, role, **scope):
        user = User.objects.create_user(username=username, password="pw-12345-x")
        Membership.objects.create(user=user, role=role, **scope)
        return user

    w.staff = person("staff", MembershipRole.STAFF, committee=w.caijing)
    w.other_staff = person("other_staff", MembershipRole.STAFF, committee=w.yusuan)
    w.office_staff = person("office", MembershipRole.STAFF, committee=w.office)
    w.liaison = person("liaison", MembershipRole.LIAISON, body=w.gov)
    w.fgw_liaison = person("fgw_liaison", MembershipRole.LIAISON, body=w.fgw)
    w.court_liaison = person("court_liaison", MembershipRole.LIAISON, body=w.court)
    w.leader = person("leader", MembershipRole.LEADER)
    w.nobody = User.objects.create_user(username="nobody", password="pw-12345-x")
    return w


@pytest.fixture
def make_case(world):
    """A draft plan-execution case supervised by 财经工委 and handed to 市人民政府 with 市发改委 co-handling."""
    from opinions import services

    def make(**overrides):
        items = overrides.pop("items", [{"heading": "一、全力以赴抓好“六稳”“六保”。", "text": "正文一"},
                                        {"heading": "二、超前谋划厚植产业优势。", "text": "正文二"}])
        co_bodies = overrides.pop("co_bodies", [world.fgw])
        fields = {
            "kind": "plan_execution",
            "title": "关于我市 2020 年上半年国民经济和社会发展计划执行情况报告的审议意见",
            "lead_body": world.gov,
            "supervising_committee": world.caijing,
            **overrides,
        }
        return services.case_create(actor=world.staff, items=items, co_bodies=co_bodies, **fields)

    return make


@pytest.fixture
def issued_case(make_case, world):
    from opinions import services

    case = make_case()
    return services.case_issue(case=case, actor=world.staff, issued_date=date(2020, 9, 3))


@pytest.fixture
def received_case(issued_case, world):
    """The 2020 plan opinion, received 2020-09-05: due 2020-12-07 (a Monday)."""
    from opinions import services

    return services.case_acknowledge(case=issued_case, actor=world.liaison, received_date=date(2020, 9, 5))


@pytest.fixture
def seeded(transactional_db, request):
    """For transactional tests: what the migrations seeded (rule sets, the calendar, the audit areas), back after an
    earlier transactional test flushed it, and next year's calendar, which deadlines counted from today reach into."""
    import importlib

    from django.apps import apps

    from opinions import services
    from opinions.selectors import today

    importlib.import_module("opinions.migrations.0002_seed_rule_sets_and_calendar").seed(apps, None)
    importlib.import_module("opinions.migrations.0020_audit_problems").add_default_areas(apps, None)
    services.calendar_enter_year(year=today().year + 1, actor=None, rest_days={}, make_up_workdays={})
    issue_without_signoff(request)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness would dominate the suite; hashing strength is Django's concern, not ours.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _cache_keys_of_this_test():
    """Each test its own cache keys. With REDIS_URL the cache is Redis, which outlives the run; and the clock is
    frozen, so no throttle window ever passes: the API throttle counts of another test (same user ids, same
    address) must not carry into this one. (Clearing the cache instead would empty the Redis database Celery's
    queues live in.)"""
    import uuid

    from django.conf import settings
    from django.test import override_settings

    default = {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    with override_settings(CACHES={**settings.CACHES, "default": default}):
        yield


@pytest.fixture
def finance(world):
    """安阳市财政局, a unit of the audit ledger, with its liaison (`finance.liaison`)."""
    body = Body.objects.create(name="安阳市财政局", short_name="市财政局", kind=BodyKind.DEPARTMENT, parent=world.gov)
    body.liaison = get_user_model().objects.create_user(username="finance_liaison", password="pw-12345-x")
    Membership.objects.create(user=body.liaison, role=MembershipRole.LIAISON, body=body)
    return body


@pytest.fixture
def audit_case(make_case, world, finance):
    """The 2023 audit's rectification case, issued and received, its problem list still empty."""
    from opinions import services

    case = make_case(kind="audit_rectification", title="关于 2023 年度市本级预算执行和其他财政收支审计查出问题的整改",
                     items=[], co_bodies=[])
    case = services.case_issue(case=case, actor=world.staff, issued_date=date(2026, 6, 1))
    return services.case_acknowledge(case=case, actor=world.liaison, received_date=date(2026, 6, 2))
