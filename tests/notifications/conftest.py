from datetime import date, datetime

import pytest
from django.utils import timezone

from opinions import services


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def received_case(issued_case, world):
    """The 2020 plan opinion, received 2020-09-05: due 2020-12-07 (a Monday)."""
    return services.case_acknowledge(case=issued_case, actor=world.liaison, received_date=date(2020, 9, 5))
