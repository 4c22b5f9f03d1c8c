"""The inputs of the golden test: a few hundred synthetic households run through every path.

Shared by `test_golden.py` and `golden/regenerate.py`, so the expected output written from one
engine and the output compared by the test come from the same calls. The inputs are stored in
`golden/` (not synthesised at test time), so a change to the synthesiser cannot move them.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from giamngheo.standards.reading import read_table

HERE = Path(__file__).parent / "golden"
AS_OF = {"vn-2016-2020": dt.date(2019, 9, 1), "vn-2022-2025": dt.date(2025, 9, 1), "vn-2027-2030": dt.date(2027, 9, 1)}
RICH = 4_000_000  # above every line of every standard: unknown facts cannot change the category


def make_inputs() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Three provinces (rural Sơn La, urban Hà Nội and TP HCM), with every text column a real extract has."""
    from giamngheo.synth.population import synthesize

    parts = [synthesize(p, 150, seed=7 + i) for i, p in enumerate(("14", "01", "79"))]
    hh = pl.concat(
        [h.with_columns((f"{i}" + pl.col("household_id")).alias("household_id")) for i, (h, _) in enumerate(parts)]
    )
    mem = pl.concat(
        [
            m.with_columns(
                (f"{i}" + pl.col("household_id")).alias("household_id"),
                (f"{i}" + pl.col("member_id")).alias("member_id"),
            )
            for i, (_, m) in enumerate(parts)
        ]
    )
    return hh, mem


def inputs() -> tuple[pl.DataFrame, pl.DataFrame]:
    return pl.read_parquet(HERE / "households.parquet"), pl.read_parquet(HERE / "members.parquet")


def _with_unknowns(hh: pl.DataFrame, mem: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Empty optional facts in well-off households (listed in unknown_indicators), empty areas (from the
    unit) and birth dates given only as a year."""
    rich = hh.filter(pl.col("income_per_capita_month") > RICH).get_column("household_id")
    every_third = pl.int_range(pl.len()) % 3 == 0
    hh = hh.with_columns(
        *[
            pl.when(pl.col("household_id").is_in(rich.implode()) & every_third).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("hears_loudspeaker",)
        ],
        pl.when(pl.int_range(pl.len()) % 5 == 1).then(None).otherwise(pl.col("area")).alias("area"),
    )
    in_rich = pl.col("household_id").is_in(rich.implode()) & (pl.int_range(pl.len()) % 2 == 0)
    mem = mem.with_columns(
        *[
            pl.when(in_rich).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("sex", "disability", "social_allowance", "stunted", "underweight")
        ],
        pl.when(pl.int_range(pl.len()) % 7 == 3).then(None).otherwise(pl.col("birth_date")).alias("birth_date"),
        pl.col("birth_date").dt.year().cast(pl.Int64).alias("birth_year"),
    )
    return hh, mem


def _via_csv(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """The frame as `giamngheo classify` reads a CSV of it: every cell text, then coerced."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.csv"
        frame.write_csv(path)
        return read_table(path)


def cases(unit_areas: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """(name, keyword arguments of classify) for every path the engine has."""
    hh, mem = inputs()
    for standard, as_of in AS_OF.items():
        for explain in (True, False):
            yield (
                f"{standard}-explain{int(explain)}",
                dict(households=hh, members=mem, standard=standard, as_of=as_of, explain=explain),
            )
    shuffled = mem.sample(fraction=1.0, shuffle=True, seed=11)  # the join path, members not in id order
    yield "shuffled", dict(households=hh, members=shuffled, standard="vn-2022-2025", as_of=AS_OF["vn-2022-2025"])
    reversed_ids = mem.with_columns(pl.col("member_id").reverse().over("household_id"))  # grouped, ids decreasing
    yield (
        "member-ids-decreasing",
        dict(households=hh, members=reversed_ids, standard="vn-2022-2025", as_of=AS_OF["vn-2022-2025"]),
    )
    hh_u, mem_u = _with_unknowns(hh, mem)
    for standard in ("vn-2022-2025", "vn-2027-2030"):
        as_of = AS_OF[standard]
        yield (
            f"unknowns-{standard}",
            dict(households=hh_u, members=mem_u, standard=standard, as_of=as_of, unit_areas=unit_areas(as_of)),
        )
    yield (
        "csv",
        dict(
            households=_via_csv(hh_u, "h"),
            members=_via_csv(mem_u, "m"),
            standard="vn-2022-2025",
            as_of=AS_OF["vn-2022-2025"],
            unit_areas=unit_areas(AS_OF["vn-2022-2025"]),
        ),
    )
    yield (
        "no-text-columns",
        dict(  # an extract for the engine: no names, citizen ids or unused facts
            households=hh.drop("village", "uses_internet", "waste_treated"),
            members=mem.drop("full_name", "national_id", "ethnicity", "relation_to_head", "meritorious_service"),
            standard="vn-2022-2025",
            as_of=AS_OF["vn-2022-2025"],
        ),
    )


def error_cases() -> Iterator[tuple[str, dict[str, Any]]]:
    """Inputs the engine must refuse, each problem named (file, row, column, household)."""
    hh, mem = inputs()
    std = dict(standard="vn-2022-2025", as_of=AS_OF["vn-2022-2025"])
    bad = mem.with_columns(
        pl.when(pl.int_range(pl.len()) == 5)
        .then(pl.lit("12345"))
        .otherwise(pl.col("national_id"))
        .alias("national_id"),
        pl.when(pl.int_range(pl.len()) == 9).then(None).otherwise(pl.col("birth_date")).alias("birth_date"),
    )
    orphan = bad.head(1).with_columns(pl.lit("999").alias("household_id"), pl.lit("999-01").alias("member_id"))
    twice = pl.concat([hh, hh.slice(3, 1)])
    lonely = pl.concat([hh, hh.head(1).with_columns(pl.lit("888").alias("household_id"))])
    yield "integrity", dict(households=pl.concat([twice, lonely.tail(1)]), members=pl.concat([bad, orphan]), **std)
    poor_unknown = mem.with_columns(pl.lit(None, dtype=pl.Boolean).alias("stunted"))
    yield (
        "unresolved",
        dict(
            households=hh.with_columns(pl.lit(None, dtype=pl.Boolean).alias("hears_loudspeaker")),
            members=poor_unknown,
            **std,
        ),
    )
    text_hh = _via_csv(hh, "eh").with_columns(
        pl.when(pl.int_range(pl.len()) == 2)
        .then(pl.lit("nhiều"))
        .otherwise(pl.col("floor_area_m2"))
        .alias("floor_area_m2"),
        pl.when(pl.int_range(pl.len()) == 4)
        .then(pl.lit("giếng"))
        .otherwise(pl.col("water_source"))
        .alias("water_source"),
        pl.when(pl.int_range(pl.len()) == 6).then(pl.lit("")).otherwise(pl.col("latrine")).alias("latrine"),
    )
    text_mem = _via_csv(mem, "em").with_columns(
        pl.when(pl.int_range(pl.len()) == 8)
        .then(pl.lit("31/02/2001"))
        .otherwise(pl.col("birth_date"))
        .alias("birth_date"),
        pl.when(pl.int_range(pl.len()) == 10).then(pl.lit("có lẽ")).otherwise(pl.col("in_school")).alias("in_school"),
    )
    yield "cells", dict(households=text_hh, members=text_mem, **std)
