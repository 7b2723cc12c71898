"""API fuzzing with schemathesis: whatever is sent, the API answers as its OpenAPI document says,
never with a server error. PostgreSQL runs only (the Makefile's second pass)."""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from cadre.core.models import Role
from cadre.wsgi import application
from tests.factories import OrganisationFactory, PersonFactory, user_with_role

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def api_schema(db):
    # As Django's test client does: keep the test's database connection open between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def session_cookie(client):
    org = OrganisationFactory()
    PersonFactory.create_batch(3, organisation=org)
    client.force_login(user_with_role(org, Role.ORG_ADMIN))
    name = django_settings.SESSION_COOKIE_NAME
    return {name: client.cookies[name].value}


def test_the_api_keeps_its_promises(api_schema, session_cookie):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 3
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.cookies = {**(case.cookies or {}), **session_cookie}
            case.call_and_validate()

        check()
