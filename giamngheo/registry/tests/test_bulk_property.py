"""Property: importing any part of an export changes exactly what the file says, and no other row.

Any subset of whole households, some with changed cells and some members left out: every row of
the households not in the file (and their members) is as before, history row counts included;
members left out of the file's households are deactivated, the rest active with the file's values.
"""

import polars as pl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamngheo.accounts.tests.factories import system_user
from giamngheo.registry.bulk import load_frames
from giamngheo.registry.models import Household, Member
from giamngheo.synth.population import synthesize

from .snapshot import changed_outside, registry_rows

pytestmark = pytest.mark.django_db
HOUSEHOLDS = 24


@pytest.fixture
def loaded():
    hh, mem = synthesize("14", HOUSEHOLDS, seed=11)  # 6 communes
    actor = system_user()
    load_frames(hh, mem, actor=actor)
    return hh, mem, actor, registry_rows()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_partial_import_changes_only_what_its_file_says(loaded, data):
    hh, mem, actor, before = loaded
    ids = hh.get_column("household_id").to_list()
    chosen = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=HOUSEHOLDS, unique=True), "households")
    income = data.draw(st.lists(st.sampled_from(chosen), unique=True), "income changed")
    latrine = data.draw(st.lists(st.sampled_from(chosen), unique=True), "latrine changed")
    members = mem.filter(pl.col("household_id").is_in(chosen))
    # each household of the file keeps its first member: the import refuses a household with none
    droppable = members.filter(pl.col("member_id") != pl.col("member_id").min().over("household_id"))
    dropped = (
        data.draw(
            st.lists(st.sampled_from(droppable.get_column("member_id").to_list()), unique=True), "members left out"
        )
        if droppable.height
        else []
    )
    kept = [m for m in members.get_column("member_id").to_list() if m not in dropped]
    flipped = data.draw(st.lists(st.sampled_from(kept), unique=True), "in_school changed") if kept else []

    other_latrine = pl.when(pl.col("latrine") == "septic").then(pl.lit("none")).otherwise(pl.lit("septic"))
    file_hh = hh.filter(pl.col("household_id").is_in(chosen)).with_columns(
        pl.when(pl.col("household_id").is_in(income))
        .then(pl.col("income_per_capita_month") + 1_000)
        .otherwise(pl.col("income_per_capita_month"))
        .alias("income_per_capita_month"),
        pl.when(pl.col("household_id").is_in(latrine))
        .then(other_latrine.cast(hh.schema["latrine"]))
        .otherwise(pl.col("latrine"))
        .alias("latrine"),
    )
    file_mem = members.filter(pl.col("member_id").is_in(kept)).with_columns(
        pl.when(pl.col("member_id").is_in(flipped))
        .then(pl.col("in_school").fill_null(False).not_())
        .otherwise(pl.col("in_school"))
        .alias("in_school")
    )

    with transaction.atomic():
        result = load_frames(file_hh, file_mem, actor=actor)
        after = registry_rows()
        assert changed_outside(before, after, set(chosen)) == []
        changed_hh = set(income) | set(latrine)
        assert (result.households_updated, result.households_unchanged) == (
            len(changed_hh),
            len(chosen) - len(changed_hh),
        )
        assert (result.members_deactivated, result.members_updated, result.members_created) == (
            len(dropped),
            len(flipped),
            0,
        )
        hh_before, mem_before = before
        hh_after, mem_after = after
        for hid in chosen:
            grew = 1 if hid in changed_hh else 0
            assert hh_after[hid]["history"] == hh_before[hid]["history"] + grew
            assert hh_after[hid]["version"] == hh_before[hid]["version"] + grew
        for row in file_hh.iter_rows(named=True):
            assert hh_after[row["household_id"]]["income_per_capita_month"] == row["income_per_capita_month"]
            assert hh_after[row["household_id"]]["latrine"] == row["latrine"]
        for mid in dropped:
            assert not mem_after[mid]["is_active"] and mem_after[mid]["history"] == mem_before[mid]["history"] + 1
        for row in file_mem.iter_rows(named=True):
            stored = mem_after[row["member_id"]]
            assert stored["is_active"] and stored["in_school"] == row["in_school"]
            assert stored["history"] == mem_before[row["member_id"]]["history"] + (row["member_id"] in flipped)
        assert Member.objects.filter(is_active=True).count() == mem.height - len(dropped)
        assert Household.objects.count() == HOUSEHOLDS
        transaction.set_rollback(True)  # the next example starts from the full registry again
