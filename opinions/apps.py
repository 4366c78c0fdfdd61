from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "opinions"
    verbose_name = _("Opinions and follow-up")

    def ready(self):
        from . import lookups

        lookups.register()
