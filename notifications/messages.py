"""The words of the outbox's own messages, written in the site language when the message is created (it is a
record, read later by people whichever language they browse in)."""

from enum import StrEnum

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


def with_site_language(build):
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return build(*args, **kwargs)
    return wrapper


class OutboxEvent(StrEnum):
    """The outbox's own messages, beside those about cases (opinions.notices.Event): their `event` in the outbox,
    the inbox and the API."""

    CHANNEL_TEST = "channel_test"  # its owner asked for a test message on one channel
    CHANNEL_DISABLED = "channel_disabled"  # a channel failed for good and was switched off


@with_site_language
def channel_disabled_subject(target: str) -> str:
    return _("A notification channel was disabled: %(title)s") % {"title": target}
