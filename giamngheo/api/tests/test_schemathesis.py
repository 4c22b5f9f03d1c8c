"""Property-based run of every API operation from its OpenAPI schema: no input makes a server error."""

import pytest

schemathesis = pytest.importorskip("schemathesis")

from django.core.wsgi import get_wsgi_application  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from giamngheo.accounts.models import Role  # noqa: E402
from giamngheo.accounts.services import token_create  # noqa: E402
from giamngheo.accounts.tests.factories import household, system_user, user_with_role  # noqa: E402

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def token(db):
    household(system_user(), "HA1", "03880")
    user = user_with_role(Role.COMMUNE_OFFICIAL, "03880")
    return token_create(actor=system_user(), user=user)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:500])
