"""Partial imports into a full commune (3,000 households, ids past 1,000): only the file's households change.

A file of one household used to deactivate every other member of the commune (finding 11.1).
"""

import polars as pl
import pytest

from giamngheo.accounts.tests.factories import system_user
from giamngheo.exchange.importing import import_files
from giamngheo.registry.bulk import load_frames
from giamngheo.registry.models import Household, Member
from giamngheo.synth.population import synthesize

from .snapshot import changed_outside, registry_rows

pytestmark = pytest.mark.django_db


def _file(commune, household_ids) -> tuple[pl.DataFrame, pl.DataFrame]:
    keep = pl.col("household_id").is_in(list(household_ids))
    return commune.households.filter(keep), commune.members.filter(keep)


def test_a_file_of_one_unchanged_household_changes_nothing(realistic_commune, tmp_path):
    hid = realistic_commune.households.item(1_234, "household_id")
    hh, mem = _file(realistic_commune, [hid])
    hh.write_csv(tmp_path / "one.csv")
    mem.write_csv(tmp_path / "one_members.csv")
    before = registry_rows()
    result = import_files(actor=system_user(), households=tmp_path / "one.csv", members=tmp_path / "one_members.csv")
    assert (result.households_unchanged, result.households_updated, result.households_created) == (1, 0, 0)
    assert (result.members_unchanged, result.members_deactivated) == (mem.height, 0)
    after = registry_rows()
    assert before == after  # the whole registry, history included
    assert Member.objects.filter(is_active=True).count() == realistic_commune.members.height


def test_a_partial_file_deactivates_only_members_left_out_of_its_own_households(realistic_commune):
    ids = realistic_commune.households.get_column("household_id").gather_every(15).to_list()  # 200 households
    hh, mem = _file(realistic_commune, ids)
    changed_hh = ids[:3]
    hh = hh.with_columns(
        pl.when(pl.col("household_id").is_in(changed_hh))
        .then(654_321)
        .otherwise(pl.col("income_per_capita_month"))
        .alias("income_per_capita_month")
    )
    dropped = [mem.filter(pl.col("household_id") == h).item(-1, "member_id") for h in ids[10:12]]
    mem = mem.filter(~pl.col("member_id").is_in(dropped))
    before = registry_rows()
    result = load_frames(hh, mem, actor=system_user())
    after = registry_rows()
    assert (result.households_updated, result.households_unchanged) == (3, 197)
    assert (result.members_deactivated, result.members_updated, result.members_created) == (2, 0, 0)
    assert changed_outside(before, after, set(ids)) == []
    assert not Member.objects.filter(member_id__in=dropped, is_active=True).exists()
    assert Member.objects.filter(is_active=True).count() == realistic_commune.members.height - 2
    for hid in changed_hh:
        row = Household.objects.get(household_id=hid)
        assert (row.income_per_capita_month, row.version) == (654_321, 2)


def test_a_file_mixing_two_communes_changes_only_its_households(realistic_commune):
    actor = system_user()
    other_hh, other_mem = synthesize("01", 120, seed=3)  # Hà Nội: national ids of another province
    load_frames(other_hh, other_mem, actor=actor)
    ours = realistic_commune.households.item(7, "household_id")
    theirs = other_hh.item(0, "household_id")
    hh = pl.concat(
        [
            realistic_commune.households.filter(pl.col("household_id") == ours),
            other_hh.filter(pl.col("household_id") == theirs),
        ],
        how="diagonal_relaxed",
    )
    mem = pl.concat(
        [
            realistic_commune.members.filter(pl.col("household_id") == ours),
            other_mem.filter(pl.col("household_id") == theirs),
        ],
        how="diagonal_relaxed",
    )
    dropped = mem.filter(pl.col("household_id") == theirs).item(-1, "member_id")
    mem = mem.filter(pl.col("member_id") != dropped)
    before = registry_rows()
    result = load_frames(hh, mem, actor=actor)
    after = registry_rows()
    assert (result.households_unchanged, result.members_deactivated) == (2, 1)
    assert changed_outside(before, after, {ours, theirs}) == []
    assert not Member.objects.get(member_id=dropped).is_active
    total = realistic_commune.members.height + other_mem.height
    assert Member.objects.filter(is_active=True).count() == total - 1
