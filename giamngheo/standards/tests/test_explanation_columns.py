"""The members_<id> columns keep their type and nulls whether or not anyone is named (built natively)."""

import datetime as dt

import polars as pl

from giamngheo.standards import classify
from giamngheo.synth.population import synthesize


def test_members_columns_are_strings_and_name_only_deprived_households():
    households, members = synthesize("14", 300, seed=3)
    result = classify(households, members, "vn-2022-2025", dt.date(2025, 9, 1))
    named = [c for c in result.columns if c.startswith("members_")]
    assert named
    for column in named:
        assert result.schema[column] == pl.String
        key = column.removeprefix("members_")
        wrong = result.filter(pl.col(column).is_not_null() & (pl.col(f"deprived_{key}") != 1))
        assert wrong.height == 0, column


def test_members_columns_are_null_where_no_one_is_behind():
    households, members = synthesize("14", 300, seed=3)
    result = classify(households, members, "vn-2022-2025", dt.date(2025, 9, 1))
    for column in (c for c in result.columns if c.startswith("members_")):
        key = column.removeprefix("members_")
        assert result.filter(pl.col(f"deprived_{key}").fill_null(0) == 0).get_column(column).null_count() == (
            result.filter(pl.col(f"deprived_{key}").fill_null(0) == 0).height
        )
