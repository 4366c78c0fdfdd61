"""Moments in the product's time zone, for tests that pass `now=`/`at=` to services and tasks."""

from datetime import datetime

from django.utils import timezone


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))
