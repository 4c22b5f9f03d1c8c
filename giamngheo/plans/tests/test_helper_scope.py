"""A helper reads the households assigned to them and nothing else, on every path (issue #17).

Denials first: another household of the same village, another commune's household, an assignment
ended, an assignment to the helper's organisation only, the commune's lists, rounds and reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from giamngheo.accounts.access import (
    area_scope,
    assigned_household_ids,
    can_read_household,
    can_read_unit,
    can_write_unit,
    sees_personal_ids,
    visible_unit_ids,
)
from giamngheo.accounts.services import token_create
from giamngheo.core import clock
from giamngheo.core.errors import AccessDenied
from giamngheo.geo.selectors import unit_by_code
from giamngheo.plans.services import assignment_add, organisation_add
from giamngheo.registry import selectors as registry

from .helpers import A, B, helper_login, household, system_user, village_households

pytestmark = pytest.mark.django_db


def test_a_helper_reads_the_assigned_household_and_not_its_neighbour_in_the_same_village():
    village, v1, v2, h1 = village_households()
    helper, _ = helper_login(household=v1)
    assert set(registry.households_visible_to(helper)) == {v1}
    assert registry.household_get(helper, "V1") == v1
    for other in ("V2", "H1"):
        with pytest.raises(AccessDenied):
            registry.household_get(helper, other)
    assert set(registry.members_visible_to(helper).values_list("household_id", flat=True)) == {v1.pk}
    assert [h.household_id for h in registry.household_list(helper, unit_id=v1.unit_id)] == ["V1"]
    assert can_read_household(helper, v1) and not can_read_household(helper, v2)


def test_a_village_assignment_gives_that_village_households_only():
    village, v1, v2, h1 = village_households()
    helper, _ = helper_login(village=village)
    assert assigned_household_ids(helper) == {v1.pk, v2.pk}
    assert set(registry.households_visible_to(helper)) == {v1, v2}


def test_another_commune_household_is_hidden_even_if_assigned():
    """The helper's role is in commune A: a household of commune B assigned to the same person stays
    hidden (an assignment never reaches past the communes of the helper's own role)."""
    admin = system_user()
    a1, b1 = household(admin, "A1", A), household(admin, "B1", B)
    helper, person = helper_login(household=a1)
    assignment_add(actor=admin, person=person, household=b1, valid_from=dt.date(2025, 1, 1))
    assert set(registry.households_visible_to(helper)) == {a1}
    with pytest.raises(AccessDenied):
        registry.household_get(helper, "B1")


def test_a_helper_gets_no_commune_list_round_report_or_write():
    admin = system_user()
    a1 = household(admin, "A1", A)
    helper, _ = helper_login(household=a1)
    commune = unit_by_code(A)
    assert visible_unit_ids(helper) == set()
    assert not can_read_unit(helper, commune) and not can_write_unit(helper, commune)
    assert not sees_personal_ids(helper)
    with pytest.raises(AccessDenied):
        area_scope(helper, commune, on=clock.today())


def test_an_ended_assignment_and_an_organisation_assignment_give_nothing():
    admin = system_user()
    a1, a2 = household(admin, "A1", A), household(admin, "A2", A)
    helper, person = helper_login(household=a1, valid_to=dt.date(2025, 6, 30))
    assignment_add(actor=admin, organisation=person.organisation, household=a2, valid_from=dt.date(2025, 1, 1))
    with clock.fixed(dt.date(2026, 1, 10)):
        assert not registry.households_visible_to(helper).exists()
    with clock.fixed(dt.date(2025, 3, 1)):
        helper._scope_cache = {}
        assert set(registry.households_visible_to(helper)) == {a1}


def test_a_person_with_no_helper_role_sees_nothing_by_assignment():
    """The assignment alone opens nothing: the login must hold an active `helper` role."""
    from giamngheo.accounts.tests.factories import user_with_role
    from giamngheo.plans.services import person_add

    admin = system_user()
    a1 = household(admin, "A1", A)
    union = organisation_add(actor=admin, unit=unit_by_code(A), kind="farmers_union", name="Hội Nông dân")
    other = user_with_role("reviewer", B)
    person = person_add(actor=admin, organisation=union, full_name="Quàng Văn Hai", user=other)
    assignment_add(actor=admin, person=person, household=a1, valid_from=dt.date(2025, 1, 1))
    assert assigned_household_ids(other) == frozenset()
    with pytest.raises(AccessDenied):
        registry.household_get(other, "A1")


def test_pages_and_api_refuse_other_households_to_a_helper():
    admin = system_user()
    a1, a2 = household(admin, "A1", A), household(admin, "A2", A)
    b1 = household(admin, "B1", B)
    helper, _ = helper_login(household=a1)
    client = Client()
    client.force_login(helper)
    assert client.get("/ho/A1/").status_code == 200
    for denied in ("/ho/A2/", "/ho/B1/", "/ho/A1/sua/", f"/xa/{a1.unit_id}/ho/", f"/xa/{a1.unit_id}/ra-soat/"):
        response = client.get(denied)
        assert response.status_code in (403, 404), denied
        assert "A2-1" not in response.content.decode() and "/ho/A2/" not in response.content.decode()
    token = token_create(actor=admin, user=helper)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    api = Client()
    assert api.get("/api/households/A1", **bearer).status_code == 200
    for other in ("A2", "B1"):
        assert api.get(f"/api/households/{other}", **bearer).status_code == 404
        assert api.get(f"/api/households/{other}/members", **bearer).status_code == 404
    listed = api.get("/api/households", **bearer).json()
    assert [row["household_id"] for row in listed["items"]] == ["A1"]
    assert assigned_household_ids(helper) == {a1.pk} and not {a2.pk, b1.pk} & assigned_household_ids(helper)


def test_only_the_commune_office_assigns_helpers():
    from giamngheo.accounts.tests.factories import user_with_role

    admin = system_user()
    a1 = household(admin, "A1", A)
    union = organisation_add(actor=admin, unit=unit_by_code(A), kind="youth_union", name="Đoàn Thanh niên")
    for role, unit in (("reviewer", A), ("village_head", A), ("commune_official", B), ("province_official", "14")):
        with pytest.raises(AccessDenied):
            assignment_add(
                actor=user_with_role(role, unit), organisation=union, household=a1, valid_from=dt.date(2025, 1, 1)
            )
    official = user_with_role("commune_official", A)
    row = assignment_add(actor=official, organisation=union, household=a1, valid_from=dt.date(2025, 1, 1))
    assert row.history.first().history_user == official
