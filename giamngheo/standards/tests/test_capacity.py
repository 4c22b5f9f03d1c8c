"""Who can work, for households with no working capacity: the employment indicator's own working age
(in months, by sex, three-valued) with the review procedure's dated exceptions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from giamngheo.standards import classify, load_standard, procedure
from giamngheo.standards.capacity import can_work, no_working_capacity
from giamngheo.standards.procedure import load_review_law, review_law
from giamngheo.synth.population import synthesize

END_2025 = dt.date(2025, 12, 31)  # retirement at 735 months (61 y 3 m) for men, 680 (56 y 8 m) for women
STANDARD = load_standard("vn-2022-2025")


def _members(*rows: tuple[str, dt.date | None, str | None, bool, str]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"household_id": h, "birth_date": b, "birth_year": None, "sex": s, "in_school": school, "disability": d}
            for h, b, s, school, d in rows
        ],
        schema={
            "household_id": pl.String,
            "birth_date": pl.Date,
            "birth_year": pl.Int64,
            "sex": pl.String,
            "in_school": pl.Boolean,
            "disability": pl.String,
        },
    )


def _flags(members: pl.DataFrame, law=None) -> dict[str, bool | None]:
    frame = no_working_capacity(members, STANDARD, END_2025, law=law)
    return dict(frame.select("household_id", "no_working_capacity").iter_rows())


def test_months_decide_and_the_sex_matters_only_between_the_two_retirement_ages() -> None:
    members = _members(
        ("man 61y1m", dt.date(1964, 11, 15), "male", False, "none"),  # below 735 months: can work
        ("man 61y3m", dt.date(1964, 9, 15), "male", False, "none"),
        ("woman 56y7m", dt.date(1969, 5, 15), "female", False, "none"),
        ("unknown sex 58", dt.date(1967, 6, 1), None, False, "none"),  # between 56y8m and 61y3m: unknown
        ("unknown sex 40", dt.date(1985, 6, 1), None, False, "none"),  # below both: can work
        ("no birth", None, "male", False, "none"),
    )
    assert _flags(members) == {
        "man 61y1m": False,
        "man 61y3m": True,
        "woman 56y7m": False,
        "unknown sex 58": None,
        "unknown sex 40": False,
        "no birth": None,
    }


def test_the_same_working_age_as_the_employment_indicator() -> None:
    """Every member unemployed: the indicator is deprived exactly for the households with a working-age member."""
    households, members = synthesize("14", 200, seed=4)
    births = pl.Series([dt.date(1963 + i // 12 % 8, i % 12 + 1, 15) for i in range(members.height)])
    members = members.with_columns(
        births.alias("birth_date"),
        pl.lit("unemployed").cast(members.schema["employment"]).alias("employment"),
        pl.lit(False).alias("in_school"),
        pl.lit("none").cast(members.schema["disability"]).alias("disability"),
    )
    engine = classify(households, members, STANDARD, END_2025, explain=False)
    deprived = dict(engine.select("household_id", "deprived_employment").iter_rows())
    flags = _flags(members)
    assert {h: bool(d) for h, d in deprived.items()} == {h: not f for h, f in flags.items()}
    assert 0 < sum(deprived.values()) < len(deprived)  # the retirement months fall inside the births


def test_pupils_and_the_listed_disabilities_are_exceptions_read_from_the_procedure(tmp_path: Path) -> None:
    members = _members(
        ("pupil", dt.date(2005, 3, 1), "female", True, "none"),
        ("severe", dt.date(1980, 3, 1), "male", False, "severe"),
        ("mild", dt.date(1980, 3, 1), "male", False, "mild"),
        ("blank disability", dt.date(1980, 3, 1), "male", False, None),  # nothing recorded: no exception
        ("child and parent", dt.date(2015, 1, 1), "male", True, "none"),
        ("child and parent", dt.date(1990, 1, 1), "female", False, "very_severe"),
    )
    assert _flags(members) == {
        "pupil": True,
        "severe": True,
        "mild": False,
        "blank disability": False,
        "child and parent": True,
    }
    text = procedure.PROCEDURE_FILE.read_text(encoding="utf-8")
    changed = tmp_path / "procedure.yaml"
    changed.write_text(
        text.replace("values: {2021-09-01: true}", "values: {2021-09-01: true, 2025-01-01: false}").replace(
            "values: {2021-09-01: [severe, very_severe]}", "values: {2021-09-01: [very_severe]}"
        ),
        "utf-8",
    )
    assert _flags(members, load_review_law(changed)) == {
        "pupil": False,
        "severe": False,
        "mild": False,
        "blank disability": False,
        "child and parent": True,
    }


def test_the_exceptions_are_marked_unverified_and_a_standard_without_working_age_decides_nothing() -> None:
    law = review_law()
    for name in ("no_working_capacity_pupils", "no_working_capacity_disabilities"):
        assert law.param(name).confidence == "B" and law.param(name).reference.strip()
    old = load_standard("vn-2016-2020")
    assert can_work(old, dt.date(2020, 12, 31)) is None
    members = _members(("H", dt.date(1990, 1, 1), "male", False, "none"))
    assert no_working_capacity(members, old, dt.date(2020, 12, 31)).item(0, "no_working_capacity") is None
