"""The demo's public site: every demo case that is closed goes out as the law asks (监督法 art. 17, 29, 37), with
every part and no file, published the day it was closed. The bulletins do not say when, so the date is the demo's."""

from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.utils import timezone

from opinions.choices import CaseKind
from opinions.models import Case
from opinions.workflow import CaseStatus

from .services import publication_publish


def publish_demo_cases() -> int:
    """Publish the demo's closed cases not yet public (idempotent); how many were published."""
    office = get_user_model().objects.filter(username="office").first()
    if office is None:  # no demo loaded
        return 0
    published = 0
    closed = (Case.objects.filter(status=CaseStatus.CLOSED, is_public=False, external_ref__isnull=False)
              .exclude(kind=CaseKind.AUDIT_RECTIFICATION).order_by("closed_date", "pk"))
    for case in closed:
        at = timezone.make_aware(datetime.combine(case.closed_date, time(16)))
        publication_publish(case=case, actor=office, at=at)
        published += 1
    return published
