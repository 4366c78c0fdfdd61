"""Django's CommonMiddleware, minus the slash redirect for the API."""

from django.middleware.common import CommonMiddleware as DjangoCommonMiddleware


class CommonMiddleware(DjangoCommonMiddleware):
    """APPEND_SLASH for pages only. An API call without its trailing slash gets the API's JSON 404, which names the
    right path: a redirect would lose a POST's body (and Django refuses to make one while DEBUG is on)."""

    def should_redirect_with_slash(self, request):
        return not request.path.startswith("/api/") and super().should_redirect_with_slash(request)
