from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Public disclosure (向社会公布)")

    def ready(self):
        from . import actions, throttle

        actions.install()  # before any URL is resolved: the API builds its endpoints from the registry then
        throttle.parse_rate(settings.PUBLIC_RATE_LIMIT)
