from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import is_valid_path
from django.views import defaults as django_defaults

from agencies.selectors import user_scope

from . import health


def healthz(request):
    """For load balancers and compose (no login): 200 when the database, the broker and the background work
    (a recent heartbeat) are all fine, else 503 naming what is wrong."""
    healthy, checks = health.report()
    return JsonResponse({"status": "ok" if healthy else "unavailable", "vendor": connection.vendor, **checks},
                        status=200 if healthy else 503)


def home(request):
    """Leadership starts on the dashboard (domain.md §11); everyone else on their cases."""
    if user_scope(request.user).is_leader:
        return redirect("opinions:dashboard")
    return redirect("opinions:case_list")


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _is_api(request):  # API clients get JSON even for paths no route matches
        detail = "Not found."
        if not request.path.endswith("/") and is_valid_path(f"{request.path}/", getattr(request, "urlconf", None)):
            detail = f"Not found. API paths end with a slash: {request.path}/"
        return JsonResponse({"code": "not_found", "detail": detail}, status=404)
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    if _is_api(request):
        return JsonResponse({"code": "bad_request", "detail": "Bad request.", "fields": {}}, status=400)
    return django_defaults.bad_request(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"code": "server_error", "detail": "Server error."}, status=500)
    return django_defaults.server_error(request)
