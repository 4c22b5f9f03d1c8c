"""Which members a load adds, changes, keeps and deactivates, with the history rows it writes.

Small on purpose (6 households, 20 members): the mutation run of registry/bulk.py (docs/testing.md)
runs these tests for every mutant. Each test pins what a surviving mutant got wrong: the counts of
the result, a member left out twice, a member listed again, and the history rows (kind, values, user).
"""

import polars as pl
import pytest

from giamngheo.accounts.tests.factories import system_user
from giamngheo.registry.bulk import load_frames
from giamngheo.registry.models import Household, Member
from giamngheo.synth.population import synthesize

from .snapshot import registry_rows

pytestmark = pytest.mark.django_db
BIG = "03847000003"  # the household of 6 members in this population
LEAVING, RENAMED = f"{BIG}-06", f"{BIG}-02"


@pytest.fixture
def loaded():
    hh, mem = synthesize("14", 6, seed=21)
    assert mem.filter(pl.col("household_id") == BIG).height == 6 and mem.height == 20
    actor = system_user()
    load_frames(hh, mem, actor=actor)
    return hh, mem, actor


def _history(member_id: str) -> list[tuple]:
    member = Member.objects.get(member_id=member_id)
    rows = member.history.order_by("history_id")
    return [(h.history_type, h.is_active, h.full_name, h.history_user_id) for h in rows]


def _without(mem: pl.DataFrame, member_id: str) -> pl.DataFrame:
    return mem.filter(pl.col("member_id") != member_id)


def test_a_first_load_writes_one_creation_history_row_per_member_by_the_actor(loaded):
    hh, mem, actor = loaded
    assert Member.objects.filter(is_active=True).count() == mem.height
    for row in mem.iter_rows(named=True):
        assert _history(row["member_id"]) == [("+", True, row["full_name"], actor.pk)]


def test_a_load_that_adds_changes_keeps_and_leaves_out_counts_each(loaded):
    hh, mem, actor = loaded
    newcomer = mem.filter(pl.col("member_id") == f"{BIG}-01").with_columns(  # a copy of the head, as a child:
        pl.lit(f"{BIG}-07").alias("member_id"),  # a household has one head, which the import checks
        pl.lit(None, dtype=pl.String).alias("national_id"),
        pl.lit("child").cast(mem.schema["relation_to_head"]).alias("relation_to_head"),
    )
    new_hh = hh.filter(pl.col("household_id") == "03847000001").with_columns(
        pl.lit("03847000009").alias("household_id")
    )
    new_hh_member = mem.filter(pl.col("household_id") == "03847000001").with_columns(
        pl.lit("03847000009").alias("household_id"),
        pl.lit("03847000009-01").alias("member_id"),
        pl.lit(None, dtype=pl.String).alias("national_id"),
    )
    file_hh = pl.concat(
        [
            hh.with_columns(
                pl.when(pl.col("household_id") == BIG)
                .then(pl.col("income_per_capita_month") + 1_000)
                .otherwise(pl.col("income_per_capita_month"))
                .alias("income_per_capita_month")
            ),
            new_hh,
        ]
    )
    renamed = pl.when(pl.col("member_id") == RENAMED).then(pl.lit("Lò Văn Mới")).otherwise(pl.col("full_name"))
    file_mem = pl.concat([_without(mem, LEAVING).with_columns(renamed.alias("full_name")), newcomer, new_hh_member])
    before = registry_rows()

    result = load_frames(file_hh, file_mem, actor=actor)

    assert (result.households_created, result.households_updated, result.households_unchanged) == (1, 1, 5)
    assert (result.members_created, result.members_updated, result.members_unchanged) == (2, 1, 18)
    assert result.members_deactivated == 1
    after = registry_rows()
    assert not after[1][LEAVING]["is_active"] and after[1][RENAMED]["full_name"] == "Lò Văn Mới"
    assert {m for m, r in after[1].items() if r["is_active"]} == set(file_mem.get_column("member_id").to_list())
    # history: one row for each member the load created, changed or deactivated, none for the rest
    grew = {m for m in before[1] if after[1][m]["history"] != before[1][m]["history"]}
    assert grew == {LEAVING, RENAMED}
    assert _history(LEAVING)[1:] == [("~", False, before[1][LEAVING]["full_name"], actor.pk)]
    assert _history(RENAMED)[1:] == [("~", True, "Lò Văn Mới", actor.pk)]
    assert _history(f"{BIG}-07") == [("+", True, newcomer.item(0, "full_name"), actor.pk)]
    new_household = Household.objects.get(household_id="03847000009")
    assert new_household.is_active and new_household.version == 1
    assert [(h.history_type, h.history_user_id) for h in new_household.history.all()] == [("+", actor.pk)]
    big = Household.objects.get(household_id=BIG)
    assert [(h.history_type, h.history_user_id) for h in big.history.order_by("history_id")] == [
        ("+", actor.pk),
        ("~", actor.pk),
    ]
    assert big.version == 2 and big.is_active


def test_a_member_left_out_again_is_not_deactivated_again(loaded):
    hh, mem, actor = loaded
    first = load_frames(hh, _without(mem, LEAVING), actor=actor)
    assert first.members_deactivated == 1
    before = registry_rows()

    again = load_frames(hh, _without(mem, LEAVING), actor=actor)

    assert (again.members_deactivated, again.members_updated, again.members_created) == (0, 0, 0)
    assert again.members_unchanged == mem.height - 1
    assert registry_rows() == before  # no row touched, no history row written


def test_a_member_listed_again_is_active_again_with_a_history_row(loaded):
    hh, mem, actor = loaded
    load_frames(hh, _without(mem, LEAVING), actor=actor)
    before = registry_rows()

    back = load_frames(hh, mem, actor=actor)

    assert (back.members_updated, back.members_created, back.members_deactivated) == (1, 0, 0)
    assert back.members_unchanged == mem.height - 1
    name = before[1][LEAVING]["full_name"]
    assert _history(LEAVING) == [("+", True, name, actor.pk), ("~", False, name, actor.pk), ("~", True, name, actor.pk)]
    after = registry_rows()
    assert after[1][LEAVING]["is_active"] and after[1][LEAVING]["national_id"] == before[1][LEAVING]["national_id"]
    assert {m for m in before[1] if after[1][m] != before[1][m]} == {LEAVING}


def test_a_national_id_moved_to_the_member_listed_before_its_holder_who_is_left_without_one(loaded):
    """The id is corrected onto the right member (listed first) and its holder's cell emptied: the
    holder's id must be freed before the first member's row takes it (one active holder per id)."""
    hh, mem, actor = loaded
    taker, holder = f"{BIG}-01", f"{BIG}-02"
    moved = mem.filter(pl.col("member_id") == holder).item(0, "national_id")
    fixed = mem.with_columns(
        pl.when(pl.col("member_id") == taker)
        .then(pl.lit(moved))
        .when(pl.col("member_id") == holder)
        .then(pl.lit(None, dtype=pl.String))
        .otherwise(pl.col("national_id"))
        .alias("national_id")
    )

    result = load_frames(hh, fixed, actor=actor)

    assert (result.members_updated, result.members_deactivated) == (2, 0)
    assert Member.objects.get(member_id=taker).national_id == moved
    assert Member.objects.get(member_id=holder).national_id is None
    assert [h.national_id for h in Member.objects.get(member_id=holder).history.order_by("history_id")] == [moved, None]


def test_a_files_addresses_and_extra_columns_are_stored_as_given(loaded):
    """`address` is not a contract column and other unknown columns go to `extra`: a file with
    both keeps them; a file without them stores '' and {} (not the contract columns in `extra`)."""
    hh, mem, actor = loaded
    assert set(Household.objects.values_list("address", flat=True)) == {""}
    assert all(extra == {} for extra in Household.objects.values_list("extra", flat=True))
    with_address = hh.with_columns(
        pl.when(pl.col("household_id") == BIG).then(pl.lit("Số 5, Thôn 3")).otherwise(None).alias("address"),
        pl.when(pl.col("household_id") == BIG).then(pl.lit("hộ mới tách")).otherwise(None).alias("ghi_chu"),
    )

    result = load_frames(with_address, mem, actor=actor)

    assert (result.households_updated, result.households_unchanged) == (1, 5)
    big = Household.objects.get(household_id=BIG)
    assert (big.address, big.extra) == ("Số 5, Thôn 3", {"ghi_chu": "hộ mới tách"})
    others = Household.objects.exclude(household_id=BIG)
    assert all((h.address, h.extra) == ("", {}) for h in others)
