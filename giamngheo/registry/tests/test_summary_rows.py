"""Every registry write keeps its households' summary rows as a rebuild from scratch would make them.

Each test rebuilds the rows, writes through one service and compares the kept rows with `summary_rebuild`'s; without
the service's `summary_refresh` line the kept row is missing or stale and the test fails.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from giamngheo.accounts.tests.factories import household, system_user
from giamngheo.core import clock
from giamngheo.geo.selectors import unit_by_code
from giamngheo.registry.bulk import load_frames
from giamngheo.registry.frames import contract_frames
from giamngheo.registry.models import Household, HouseholdSummary, Member
from giamngheo.registry.services import (
    household_merge,
    household_register,
    household_split,
    household_update,
    member_add,
    member_leave,
    member_move,
    member_update,
)
from giamngheo.review.statuses import summary_rebuild

pytestmark = pytest.mark.django_db
COMMUNE = "03880"


def kept_rows() -> dict[int, dict]:
    return {row["household_id"]: row for row in HouseholdSummary.objects.values()}


def assert_fresh(*household_ids: str) -> dict[int, dict]:
    """The kept rows equal a rebuild's, and the households named have one; returns the rows."""
    kept = kept_rows()
    pks = Household.objects.filter(household_id__in=household_ids).values_list("pk", flat=True)
    assert set(pks) <= set(kept)
    summary_rebuild()
    assert kept == kept_rows()
    return kept


@pytest.fixture
def admin():
    return system_user()


@pytest.fixture
def two(admin):
    return household(admin, "H1", COMMUNE, members=3), household(admin, "H2", COMMUNE, members=2)


def test_register_and_member_add_count_the_members_and_the_head(two):
    rows = assert_fresh("H1", "H2")
    first = rows[two[0].pk]
    assert (first["size"], first["head_sex"], first["is_active"], first["area"]) == (3, "", True, "rural")


def test_household_update_changes_the_area(admin, two):
    summary_rebuild()  # fresh before: only this service's refresh is tested
    household_update(actor=admin, household=two[0], area="urban")
    assert assert_fresh("H1")[two[0].pk]["area"] == "urban"


def test_member_update_changes_the_heads_ethnicity_and_sex(admin, two):
    summary_rebuild()
    member_update(actor=admin, member=Member.objects.get(member_id="H1-1"), ethnicity="02", sex="female")
    row = assert_fresh("H1")[two[0].pk]
    assert (row["head_ethnicity"], row["head_sex"]) == ("02", "female")


def test_member_move_refreshes_both_households(admin, two):
    summary_rebuild()
    member_move(actor=admin, member=Member.objects.get(member_id="H1-3"), to_household=two[1])
    rows = assert_fresh("H1", "H2")
    assert (rows[two[0].pk]["size"], rows[two[1].pk]["size"]) == (2, 3)


def test_member_leave_of_the_last_member_closes_the_row(admin):
    alone = household(admin, "H3", COMMUNE, members=1)
    summary_rebuild()
    with clock.fixed(dt.date(2026, 3, 10)):
        member_leave(
            actor=admin, member=Member.objects.get(member_id="H3-1"), left_on=dt.date(2026, 3, 5), reason="died"
        )
    row = assert_fresh("H3")[alone.pk]
    assert (row["is_active"], row["size"]) == (False, 0)


def test_split_and_merge(admin, two):
    summary_rebuild()
    new = household_split(actor=admin, household=two[0], member_ids=["H1-2", "H1-3"], new_household_id="H1b")
    rows = assert_fresh("H1", "H1b")
    assert (rows[two[0].pk]["size"], rows[new.pk]["size"]) == (1, 2)
    household_merge(actor=admin, source=new, target=two[1])
    rows = assert_fresh("H1b", "H2")
    assert (rows[new.pk]["is_active"], rows[two[1].pk]["size"]) == (False, 4)


def test_a_household_registered_without_members(admin):
    empty = household_register(actor=admin, household_id="H9", unit=unit_by_code(COMMUNE))
    assert assert_fresh("H9")[empty.pk]["size"] == 0
    member_add(actor=admin, household=empty, member_id="H9-1", relation_to_head="head", ethnicity="03")
    assert assert_fresh("H9")[empty.pk]["head_ethnicity"] == "03"


def test_a_bulk_load_refreshes_the_files_households(admin, two):
    hh, members = contract_frames(Household.objects.filter(pk=two[0].pk))
    members = members.filter(pl.col("member_id") != "H1-3")  # missing from the file: deactivated
    summary_rebuild()
    load_frames(hh, members, actor=admin)
    assert assert_fresh("H1")[two[0].pk]["size"] == 2
