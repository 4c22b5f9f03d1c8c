"""Overlong or path-like parameters answer 400, never 500 or a file read (#11.14, #12 low)."""

from __future__ import annotations

import pytest
from django.test import Client

from giamngheo.accounts.models import Role
from giamngheo.accounts.services import token_create
from giamngheo.accounts.tests.factories import household, system_user, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def official_client():
    household(system_user(), "HA1", "03880")
    token = token_create(actor=system_user(), user=user_with_role(Role.COMMUNE_OFFICIAL, "03880"))
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize("standard", ["x" * 10_000, "x" * 300, "../../../../etc/hostname", "../data/vn-2022-2025"])
def test_classification_with_a_bad_standard_name_is_400(official_client, standard):
    response = official_client.get("/api/households/HA1/classification", {"standard": standard})
    assert response.status_code == 400 and len(response.content) < 1000


def test_whatif_with_a_path_as_standard_is_400():
    token = token_create(actor=system_user(), user=user_with_role(Role.PROVINCE_OFFICIAL, "14"))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    for standard in ("../../../../etc/hostname", "y" * 300):
        assert client.get("/api/reports/whatif", {"unit": "14", "standard": standard}).status_code == 400


def test_the_docs_and_schema_need_a_signed_in_user():
    for path in ("/api/docs", "/api/openapi.json"):
        assert Client().get(path).status_code == 401
    token = token_create(actor=system_user(), user=user_with_role(Role.NATIONAL_VIEWER))
    assert Client().get("/api/openapi.json", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert Client().get("/api/openapi.json", HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
