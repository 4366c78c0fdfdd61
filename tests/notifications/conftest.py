from datetime import datetime

from django.utils import timezone


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))
