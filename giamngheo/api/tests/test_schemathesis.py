"""Property-based run of every API operation from its OpenAPI schema: no input makes a server error."""

import pytest

schemathesis = pytest.importorskip("schemathesis")

from django.core.wsgi import get_wsgi_application  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from giamngheo.accounts.models import Role  # noqa: E402
from giamngheo.accounts.services import token_create  # noqa: E402
from giamngheo.accounts.tests.factories import household, system_user, user_with_role  # noqa: E402
from giamngheo.api.api import api  # noqa: E402

# The schema is served to signed-in users only: read it from the API object, call the app over WSGI.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
schema.app, schema.location = get_wsgi_application(), "/api/openapi.json"


@pytest.fixture
def keep_connection():
    """As Django's test client does: requests must not close the test's database connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, keep_connection):
    household(system_user(), "HA1", "03880")
    user = user_with_role(Role.COMMUNE_OFFICIAL, "03880")
    return token_create(actor=system_user(), user=user)


@schema.parametrize()
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, (case.method, case.path, case.query, case.path_parameters, response.status_code)
