"""The engine's member counts and members_<id> lists equal those made the obvious way, household by
household in Python, from the same rule expressions, on files read in many pieces (Parquet row
groups) through each path the members can take (file order, shuffled, ids out of order)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import polars as pl
import pytest

from giamngheo.standards import classify, load_standard
from giamngheo.standards.contract import MEMBER_COLUMNS
from giamngheo.standards.indicators import birth_from_facts, rule_for
from giamngheo.standards.reading import coerce, read_table, with_all_columns
from giamngheo.synth.population import synthesize

AS_OF = dt.date(2025, 9, 1)
STANDARD = "vn-2022-2025"


def _population() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Synthetic households where several members are behind a member-level indicator in some
    households (everyone uninsured in every 7th, unemployed in every 11th), as well as one alone."""
    hh, mem = synthesize("14", 1500, seed=11)
    number = pl.col("household_id").str.slice(-6).cast(pl.Int64)
    mem = mem.with_columns(
        pl.when(number % 7 == 0).then(False).otherwise(pl.col("has_health_insurance")).alias("has_health_insurance"),
        pl.when(number % 11 == 0)
        .then(pl.lit("unemployed", dtype=mem.schema["employment"]))
        .otherwise(pl.col("employment"))
        .alias("employment"),
    )
    return hh, mem


def _ordered(mem: pl.DataFrame, order: str) -> pl.DataFrame:
    if order == "shuffled":  # households' runs broken: the engine joins and sorts
        return mem.sample(fraction=1.0, shuffle=True, seed=5)
    if order == "ids-descending":  # grouped, but member ids not increasing within a household
        return mem.sort("household_id", "member_id", descending=[False, True])
    return mem


def _in_pieces(frame: pl.DataFrame, path) -> pl.DataFrame:
    """The frame as `giamngheo classify` reads it from a Parquet file of many row groups."""
    frame.write_parquet(path, row_group_size=700)
    read = read_table(path)
    assert max(read.n_chunks("all")) > 1
    return read


def _expected(hh: pl.DataFrame, mem: pl.DataFrame) -> dict[str, dict[str, tuple[int, list[str]]]]:
    """Per member-level indicator and household: how many members it flags, and their ids in order."""
    std = load_standard(STANDARD)
    rules = {i.id: rule_for(i, AS_OF) for i in std.indicators}
    typed = with_all_columns(coerce(mem, MEMBER_COLUMNS, "members")[0], MEMBER_COLUMNS).with_columns(birth_from_facts())
    member_rules = {k: r for k, r in rules.items() if r.level != "household"}
    flags = typed.select("household_id", "member_id", *[r.expr.alias(k) for k, r in member_rules.items()])
    found: dict[str, dict[str, tuple[int, list[str]]]] = {}
    for key in member_rules:
        by_household: dict[str, list[str]] = defaultdict(list)
        for hid, mid, flag in flags.select("household_id", "member_id", key).iter_rows():
            assert flag is not None  # the synthetic facts are complete
            if flag:
                by_household[hid].append(mid)
        found[key] = {h: (len(ids), sorted(ids)) for h, ids in by_household.items()}
    sizes = dict(mem.group_by("household_id").len().iter_rows())
    found["_sizes"] = {h: (n, []) for h, n in sizes.items()}
    return found


@pytest.mark.parametrize("order", ["file", "shuffled", "ids-descending"])
def test_counts_and_lists_match_a_household_by_household_loop(order, tmp_path):
    hh, mem = _population()
    mem = _ordered(mem, order)
    expected = _expected(hh, mem)
    result = classify(
        _in_pieces(hh, tmp_path / "households.parquet"),
        _in_pieces(mem, tmp_path / "members.parquet"),
        STANDARD,
        AS_OF,
    )
    assert result.get_column("household_id").to_list() == hh.get_column("household_id").to_list()
    std = load_standard(STANDARD)
    rules = {i.id: rule_for(i, AS_OF) for i in std.indicators}
    several = 0
    for row in result.iter_rows(named=True):
        hid, size = row["household_id"], expected["_sizes"][row["household_id"]][0]
        for key, rule in rules.items():
            if rule.level == "household":
                continue
            count, ids = expected[key].get(hid, (0, []))
            deprived = count > size * rule.share_above if rule.level == "share" else count > 0
            assert row[f"deprived_{key}"] == int(deprived), (hid, key)
            assert row[f"members_{key}"] == (",".join(ids) if deprived else None), (hid, key)
            several += deprived and len(ids) > 1 and rule.level == "member"
    assert several > 100  # the several-members path of member-level indicators was taken
