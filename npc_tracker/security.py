"""Request-level protections that are not business rules: caching of private answers, and how django-axes names
the client and answers a locked-out login."""

from django.conf import settings
from django.shortcuts import render


def no_store_when_private(get_response):
    """Pages of a signed-in person and API answers hold what only that person may see: no shared proxy or browser
    history may keep them. A response that chose its own caching (static files, downloads, the public site) keeps
    its choice, and is answered without looking at who asks: reading the session would make it vary by cookie."""

    def middleware(request):
        response = get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if request.path.startswith("/api/") or request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response

    return middleware


def client_ip(request) -> str | None:
    """The address django-axes locks: the one the trusted proxy names in CLIENT_IP_HEADER, else the peer's."""
    if settings.CLIENT_IP_HEADER and request.META.get(settings.CLIENT_IP_HEADER):
        return request.META[settings.CLIENT_IP_HEADER].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """The lockout page, in the user's language, for the login page and /admin/login/ alike."""
    return render(request, "registration/locked_out.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }, status=429)
