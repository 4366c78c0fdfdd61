"""schemathesis against the live OpenAPI schema, in-process on the real database (PostgreSQL in the second pass):
every operation with generated input, as a liaison and as staff — no server error, every response as documented."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.specs.openapi.checks import positive_data_acceptance

from npc_tracker.wsgi import application

from .conftest import FUZZ_COUNTS

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
EXAMPLES = 25
pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the schema fuzzing runs in the "
                                                                          "PostgreSQL pass")


@pytest.fixture
def headers(world, received_case):
    from datetime import timedelta

    from knox.models import get_token_model

    _token, key = get_token_model().objects.create(user=world.staff, expiry=timedelta(days=1), name="fuzz")
    return {"Authorization": f"Token {key}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_answers_every_generated_request_as_documented(case, headers, settings_override):
    FUZZ_COUNTS[case.operation.label] += 1
    # Excluded: "schema-valid request rejected" — a well-formed id of a row that does not exist (a body, a meeting)
    # is valid by the schema and rightly refused with 400/404. A request the schema forbids must be refused.
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])


@pytest.fixture
def settings_override(settings, tmp_path, monkeypatch):
    """Also keeps the test's transaction: schemathesis calls the WSGI handler itself, whose request signals would
    close a connection that is not in autocommit (Django's test client disconnects them the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.MEDIA_ROOT = tmp_path
    # A run sends far more than a person would. The views took their throttle classes at import, so the setting
    # cannot remove them; and clearing the cache would empty the Redis database Celery's queues live in.
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
