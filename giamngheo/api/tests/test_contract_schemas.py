"""The API's household and member shapes are the data contract's columns (#14.4 "each list once"):
the OpenAPI document lists them, typed and described with the contract's Vietnamese labels."""

import pytest

from giamngheo.accounts.models import Role
from giamngheo.api.tests.test_api import COMMUNE_A, bearer, data  # noqa: F401 (fixture)
from giamngheo.standards.contract import (
    BOOL,
    FORM_B_HOUSEHOLD_FACTS,
    FORM_B_MEMBER_FACTS,
    HOUSEHOLD_COLUMNS,
    INT,
    MEMBER_COLUMNS,
)

pytestmark = pytest.mark.django_db
HOUSEHOLD_EXTRAS = {"unit_name", "address", "is_active", "version", "members"}


def _components(client):
    from giamngheo.accounts.tests.factories import user_with_role

    client.force_login(user_with_role(Role.NATIONAL_VIEWER))
    return client.get("/api/openapi.json").json()["components"]["schemas"]


def test_the_schemas_list_the_contracts_columns_described_by_their_labels(client, data):  # noqa: F811
    schemas = _components(client)
    member, household = schemas["MemberOut"]["properties"], schemas["HouseholdOut"]["properties"]
    assert set(member) == {c.name for c in MEMBER_COLUMNS} - {"household_id"}
    assert set(household) == {c.name for c in HOUSEHOLD_COLUMNS} | HOUSEHOLD_EXTRAS
    assert {c.name for c in FORM_B_MEMBER_FACTS} <= set(member)
    assert {c.name for c in FORM_B_HOUSEHOLD_FACTS} <= set(household)
    for columns, properties in ((MEMBER_COLUMNS, member), (HOUSEHOLD_COLUMNS, household)):
        for col in columns:
            if col.name in properties:
                assert properties[col.name]["description"] == col.label_vi, col.name
    assert {"type": "boolean"} in member["meritorious_service"]["anyOf"]
    assert {"type": "integer"} in household["income_per_capita_month"]["anyOf"]
    assert household["area"]["type"] == "string"  # the effective area: never empty
    assert schemas["HouseholdOut"]["properties"]["members"]["items"]["$ref"].endswith("/MemberOut")
    kinds = {c.kind for c in (*FORM_B_HOUSEHOLD_FACTS, *FORM_B_MEMBER_FACTS)}
    assert {BOOL, INT} <= kinds


def test_a_household_answers_every_contract_column(client, data):  # noqa: F811
    body = client.get("/api/households/HA1", **bearer(Role.COMMUNE_OFFICIAL, COMMUNE_A)).json()
    assert set(body) == {c.name for c in HOUSEHOLD_COLUMNS} | HOUSEHOLD_EXTRAS
    assert set(body["members"][0]) == {c.name for c in MEMBER_COLUMNS} - {"household_id"}
    assert body["members"][0]["untreated_illness"] is None and body["members"][0]["full_name"] == "Nguyễn Văn A"


def test_a_member_without_a_name_is_answered_not_an_error(client, data):  # noqa: F811
    """An empty name is sent as null: the contract does not require it (the hand-written shape did)."""
    from giamngheo.accounts.tests.factories import system_user
    from giamngheo.registry.services import member_update

    member_update(actor=system_user(), member=data.members.get(member_id="HA1-2"), full_name="")
    response = client.get("/api/households/HA1/members", **bearer(Role.COMMUNE_OFFICIAL, COMMUNE_A))
    assert response.status_code == 200 and response.json()[1]["full_name"] is None
