"""A household with no active member (every member moved out or died) must not break any report."""

from __future__ import annotations

import pytest

from giamngheo.accounts.tests.factories import household, system_user
from giamngheo.registry.models import Household
from giamngheo.reports import selectors
from giamngheo.reports.tests.registry import synthetic_registry

pytestmark = pytest.mark.django_db
PERIOD = "2026"


@pytest.fixture
def registry_with_an_empty_household():
    synthetic_registry(60, seed=3)
    commune = Household.objects.first().unit
    household(system_user(), "RONG-0001", commune.code, members=0)
    return commune


def test_what_if_and_alkire_foster_survive_a_household_without_members(
    registry_with_an_empty_household, province_official
):
    commune = registry_with_an_empty_household
    for unit in (commune.code, "14"):
        table, moves = selectors.whatif(
            province_official, unit, standard="vn-2022-2025", overrides={"income_line.rural": 2_000_000}
        )
        assert table.total_row()["households"] >= 1
        assert any("RONG-0001" in note for note in table.notes)  # left out, and said so
        mpi = selectors.report_table(province_official, "mpi", unit, PERIOD, with_chart=False)
        assert mpi.total_row()["n"] >= 1 and any("RONG-0001" in note for note in mpi.notes)


def test_the_what_if_api_and_page_answer_with_a_household_without_members(
    registry_with_an_empty_household, province_official, client
):
    client.force_login(province_official)
    assert client.get("/api/reports/whatif?unit=14").status_code == 200
    assert client.get(f"/api/reports/whatif?unit={registry_with_an_empty_household.code}").status_code == 200
