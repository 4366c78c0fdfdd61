from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Bodies and committees")

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
