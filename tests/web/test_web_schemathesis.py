"""Schemathesis against ``/api``'s own OpenAPI schema: whatever it sends, no server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from netiquette.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

pytestmark = [pytest.mark.store]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests here go straight to the WSGI app, not through Django's test client, so
    Django may close the database connection after one (after an error, or when it is older
    than CONN_MAX_AGE) and, on PostgreSQL, lose the test's transaction. Keep it open, as the
    test client does."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(web):
    from netiquette.services.webauth import issue_api_token

    ann, _ = web
    return {"Authorization": f"Bearer {issue_api_token(ann.actor.member)}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_never_answers_with_a_server_error(case, bearer):
    response = case.call(headers=bearer)
    case.validate_response(response, checks=[not_a_server_error])
