"""Households with no working capacity (hộ không có khả năng lao động), from the engine's working-age test.

A member can work when the standard's employment indicator finds them of working age
(`indicators.working_age`: the minimum age, and the retirement age of their sex in months, the very
test the indicator applies) and the review procedure does not except them (`no_working_capacity_pupils`,
`no_working_capacity_disabilities` in `data/review/procedure.yaml`, both B). A household has no
working capacity when it has members and none of them can work.

Three-valued like the engine: a member whose birth, or sex between the two retirement ages, is
unknown is null, and so is a household that hinges on such a member. An exception that is not
recorded (a blank disability or schooling) is not applied: it is a reason not to count a member,
and the registry's forms leave it blank when there is none.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from .indicators import birth_from_facts, working_age
from .params import Indicator, Parameter, Standard
from .procedure import ReviewLaw, review_law

PUPILS, DISABLED = "no_working_capacity_pupils", "no_working_capacity_disabilities"
EXCEPTIONS = (PUPILS, DISABLED)


def employment_indicator(std: Standard) -> Indicator | None:
    """The indicator whose working age the standard defines (None: the standard has no working age)."""
    return next((i for i in std.indicators if "working_age_min" in i.params), None)


def can_work(std: Standard, when: dt.date, law: ReviewLaw | None = None) -> pl.Expr | None:
    """Per member: of working age on `when` and not excepted (nullable); None without a working age."""
    ind = employment_indicator(std)
    if ind is None:
        return None
    law = law or review_law()
    excepted = pl.col("disability").cast(pl.String).is_in([str(d) for d in law.value(DISABLED, when)])
    if law.value(PUPILS, when):
        excepted = excepted | pl.col("in_school")
    return working_age(ind, when) & ~excepted.fill_null(False)


def no_working_capacity(
    members: pl.DataFrame,
    std: Standard,
    when: dt.date,
    *,
    key: str = "household_id",
    law: ReviewLaw | None = None,
) -> pl.DataFrame:
    """One row per `key` in `members`: `no_working_capacity` (True, False, or null when it hinges on
    an unknown fact; null for every household under a standard without a working age).

    `members` needs `birth` or `birth_date`/`birth_year`, `sex`, `in_school` and `disability`.
    """
    if "birth" not in members.columns:
        absent = {"birth_date": pl.Date, "birth_year": pl.Int64}
        members = members.with_columns(
            pl.lit(None, dtype).alias(name) for name, dtype in absent.items() if name not in members.columns
        ).with_columns(birth_from_facts())
    rule = can_work(std, when, law)
    if rule is None:
        return members.group_by(key).agg(pl.lit(None, pl.Boolean).alias("no_working_capacity"))
    return members.group_by(key).agg((~rule.any(ignore_nulls=False)).alias("no_working_capacity"))


def exceptions_used(law: ReviewLaw | None = None) -> list[Parameter]:
    """The procedure's values this definition reads (for the report's note on what is unverified)."""
    law = law or review_law()
    return [law.param(name) for name in EXCEPTIONS]


__all__ = ["DISABLED", "PUPILS", "can_work", "employment_indicator", "exceptions_used", "no_working_capacity"]
