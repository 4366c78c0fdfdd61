import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from agencies.selectors import user_scope


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return f"unreachable: {exc.__class__.__name__}"
    return "ok"


def _broker() -> str:
    if not settings.REDIS_URL:
        return "in-process"  # the embedded default has no broker to reach
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as exc:
        return f"unreachable: {exc.__class__.__name__}"
    return "ok"


def healthz(request):
    """For load balancers and compose (no login): 200 when the database and the broker answer, else 503."""
    checks = {"database": _database(), "broker": _broker()}
    healthy = all(value in ("ok", "in-process") for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", "vendor": connection.vendor, **checks},
                        status=200 if healthy else 503)


def home(request):
    """Leadership starts on the dashboard (domain.md §11); everyone else on their cases."""
    if user_scope(request.user).is_leader:
        return redirect("opinions:dashboard")
    return redirect("opinions:case_list")


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    if request.path.startswith("/api/"):  # API clients get JSON even for paths no route matches
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return render(request, "404.html", status=404)
