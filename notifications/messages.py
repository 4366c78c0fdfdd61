"""The words of the outbox's own messages, written in the site language when the message is created (it is a
record, read later by people whichever language they browse in)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


def with_site_language(build):
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return build(*args, **kwargs)
    return wrapper


CHANNEL_DISABLED = "channel_disabled"


@with_site_language
def channel_disabled_subject(target: str) -> str:
    return _("A notification channel was disabled: %(title)s") % {"title": target}
