"""Bulk load of a synthetic folder: fast path, idempotent, all-or-nothing, history kept."""

import polars as pl
import pytest

from giamngheo.accounts.tests.factories import system_user
from giamngheo.registry.bulk import load_folder, load_frames
from giamngheo.registry.models import Household, Member
from giamngheo.standards import InputError
from giamngheo.synth.population import synthesize

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path):
    hh, members = synthesize("14", 300, seed=7)
    hh.write_parquet(tmp_path / "households.parquet")
    members.write_parquet(tmp_path / "members.parquet")
    return tmp_path


def test_load_then_reload_changes_nothing(folder):
    actor = system_user()
    first = load_folder(folder, actor=actor)
    members = pl.read_parquet(folder / "members.parquet")
    assert first.households_created == 300 and first.members_created == members.height
    assert Household.objects.count() == 300 and Member.objects.count() == members.height
    history_before = Household.history.count() + Member.history.count()
    second = load_folder(folder, actor=actor)
    assert (second.households_created, second.households_updated, second.households_unchanged) == (0, 0, 300)
    assert (second.members_created, second.members_updated, second.members_deactivated) == (0, 0, 0)
    assert Household.history.count() + Member.history.count() == history_before


def test_loaded_rows_match_the_files_and_carry_attributed_history(folder):
    load_folder(folder, actor=system_user())
    hh = pl.read_parquet(folder / "households.parquet").row(0, named=True)
    row = Household.objects.get(household_id=hh["household_id"])
    assert row.income_per_capita_month == hh["income_per_capita_month"]
    assert row.unit.code == hh["admin_code"] and row.village.name == hh["village"]
    assert row.history.get().history_user.username == "system"
    member = pl.read_parquet(folder / "members.parquet").row(0, named=True)
    stored = Member.objects.get(member_id=member["member_id"])
    assert (stored.national_id, stored.birth_date, stored.full_name) == (
        member["national_id"],
        member["birth_date"],
        member["full_name"],
    )


def test_a_changed_file_updates_only_what_changed(folder):
    actor = system_user()
    load_folder(folder, actor=actor)
    hh = pl.read_parquet(folder / "households.parquet")
    target = hh.item(5, "household_id")
    hh.with_columns(
        pl.when(pl.col("household_id") == target)
        .then(123_000)
        .otherwise(pl.col("income_per_capita_month"))
        .alias("income_per_capita_month")
    ).write_parquet(folder / "households.parquet")
    result = load_folder(folder, actor=actor)
    assert (result.households_updated, result.households_unchanged) == (1, 299)
    row = Household.objects.get(household_id=target)
    assert row.income_per_capita_month == 123_000 and row.version == 2
    assert [h.history_type for h in row.history.order_by("history_date")] == ["+", "~"]


def test_a_bad_file_writes_nothing(folder):
    members = pl.read_parquet(folder / "members.parquet")
    members.with_columns(
        pl.when(pl.int_range(pl.len()) == 3).then(pl.lit("12AB")).otherwise(pl.col("national_id")).alias("national_id")
    ).write_parquet(folder / "members.parquet")
    with pytest.raises(InputError) as caught:
        load_folder(folder, actor=system_user())
    assert any(p.row == 5 and p.column == "national_id" for p in caught.value.problems)
    assert Household.objects.count() == 0 and Member.objects.count() == 0


@pytest.mark.parametrize("point", ["households_read", "households_written", "members_read"])
def test_the_load_stops_at_each_fault_point_the_crash_and_concurrency_tests_name(point, tmp_path, monkeypatch):
    """Those tests run the import in a subprocess (which imports the package, not a mutated copy),
    so they alone would not notice a renamed or lost fault point."""
    hh, mem = synthesize("14", 3, seed=7)
    marker, resume = tmp_path / "marker", tmp_path / "resume"
    resume.touch()  # go on at once
    monkeypatch.setenv("GIAMNGHEO_FAULT_PAUSE", point)
    monkeypatch.setenv("GIAMNGHEO_FAULT_MARKER", str(marker))
    monkeypatch.setenv("GIAMNGHEO_FAULT_RESUME", str(resume))
    load_frames(hh, mem, actor=system_user())
    assert marker.read_text(encoding="utf-8") == point
