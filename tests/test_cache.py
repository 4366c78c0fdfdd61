"""The API throttles count in the cache: one count for all web workers when Redis is there (issue 11 §4)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]


def cache_backend_with(env_overrides: dict) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.CACHES['default']['BACKEND'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                            env={**env, **env_overrides, "DJANGO_SETTINGS_MODULE": "npc_tracker.settings"})
    return result.stdout.strip()


def test_redis_url_makes_redis_the_cache_and_the_embedded_default_keeps_one_in_memory():
    assert cache_backend_with({"REDIS_URL": "redis://r:6379/0"}) == "django.core.cache.backends.redis.RedisCache"
    assert cache_backend_with({}) == "django.core.cache.backends.locmem.LocMemCache"


# What one gunicorn worker does: three requests of the same user against a throttle of three an hour.
WORKER = """
import sys, django
django.setup()
from django.conf import settings
settings.CACHES["default"]["KEY_PREFIX"] = sys.argv[2]  # the test run's own keys (tests/conftest.py)
from types import SimpleNamespace
from rest_framework.throttling import UserRateThrottle
class Throttle(UserRateThrottle):
    rate = "3/hour"
request = SimpleNamespace(user=SimpleNamespace(is_authenticated=True, pk=sys.argv[1]))
print(sum(Throttle().allow_request(request, None) for _ in range(3)))
"""


def test_another_process_sees_the_throttle_count_of_the_first():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (the PostgreSQL + Redis pass): without it there is one process")
    from django.conf import settings
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    class Throttle(UserRateThrottle):
        rate = "3/hour"

    user = f"throttle-test-{uuid.uuid4()}"  # a key no other run or user shares
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    result = subprocess.run([sys.executable, "-c", WORKER, user, prefix], cwd=ROOT, capture_output=True, text=True,
                            check=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "npc_tracker.settings"})
    request = SimpleNamespace(user=SimpleNamespace(is_authenticated=True, pk=user))
    try:
        assert result.stdout.strip().splitlines()[-1] == "3"  # the other worker was allowed its three
        assert not Throttle().allow_request(request, None)  # this one knows: the fourth is refused
    finally:
        cache.delete(Throttle().get_cache_key(request, None))
