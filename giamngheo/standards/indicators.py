"""One named function per deprivation indicator, returning a Polars expression.

Every age, list and threshold comes from the standard's YAML through `ind.value(...)`; no
legal number is written here. Expressions use three-valued (Kleene) logic: a fact that is
unknown (null) gives null unless the known facts already decide the indicator, so the engine
can tell "not deprived" from "cannot tell" and report the missing facts instead of guessing.

Member-level rules are evaluated per person and a household is deprived when any member is
(`level="member"`), or when the share of flagged members exceeds a bound (`level="share"`).
Household-level rules read the household's own facts plus `n_members`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import polars as pl

from .params import Indicator

Level = Literal["member", "household", "share"]


@dataclass(frozen=True)
class Rule:
    level: Level
    expr: pl.Expr
    columns: tuple[str, ...]
    share_above: float = 0.0


Formula = Callable[[Indicator, dt.date], Rule]
FORMULAS: dict[str, Formula] = {}

BIRTH = pl.col("birth")  # birth_date, or 1 July of birth_year


def birth_from_facts() -> pl.Expr:
    """The `birth` column from the member's facts: the birth date, else 1 July of the birth year."""
    return pl.coalesce(pl.col("birth_date"), pl.date(pl.col("birth_year"), 7, 1)).alias("birth")


def _shift_years(when: dt.date, years: int) -> dt.date:
    try:
        return when.replace(year=when.year - years)
    except ValueError:  # 29 February in a year without one
        return when.replace(year=when.year - years, day=28)


def _shift_months(when: dt.date, months: int) -> dt.date:
    index = when.year * 12 + (when.month - 1) - months
    year, month = divmod(index, 12)
    last_day = (dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(when.day, last_day))


def age_at_least(years: int, when: dt.date) -> pl.Expr:
    """Completed age on `when` is at least `years` (a date comparison, no per-row arithmetic)."""
    return BIRTH <= _shift_years(when, int(years))


def age_below(years: int, when: dt.date) -> pl.Expr:
    return BIRTH > _shift_years(when, int(years))


def age_months_below(months: int, when: dt.date) -> pl.Expr:
    return BIRTH > _shift_months(when, int(months))


def formula(fn: Formula) -> Formula:
    FORMULAS[fn.__name__] = fn
    return fn


def _in(column: str, values: list[str]) -> pl.Expr:
    """Membership that keeps null for an unknown value (Polars' is_in does; a test holds it to that)."""
    return pl.col(column).is_in(values)


def working_age(ind: Indicator, when: dt.date) -> pl.Expr:
    """At least the minimum working age and below the retirement age of the member's sex, in months.

    The one working-age test: the employment indicator uses it, and so do the reports' households
    with no working capacity (`standards.capacity`). Null when the sex is unknown and decides it.
    """
    male = ind.value("retirement_age_months_male", when)
    female = ind.value("retirement_age_months_female", when)
    # Sex matters only between the two retirement ages; elsewhere an unknown sex is harmless.
    below_retirement = (
        pl.when(age_months_below(min(male, female), when))
        .then(True)
        .when(~age_months_below(max(male, female), when))
        .then(False)
        .when(pl.col("sex") == "male")
        .then(age_months_below(male, when))
        .when(pl.col("sex") == "female")
        .then(age_months_below(female, when))
        .otherwise(None)
    )
    return age_at_least(ind.value("working_age_min", when), when) & below_retirement


@formula
def unstable_employment(ind: Indicator, when: dt.date) -> Rule:
    """A working-age member is unemployed or works for a wage without a contract."""
    expr = _in("employment", ind.value("deprived_statuses", when)) & working_age(ind, when)
    return Rule("member", expr, ("employment", "sex", "birth_date"))


@formula
def dependant_share(ind: Indicator, when: dt.date) -> Rule:
    """More than half of the members are children or allowance-receiving elderly/disabled."""
    allowance_group = age_at_least(ind.value("elderly_age_min", when), when) | _in(
        "disability", ind.value("allowance_disabilities", when)
    )
    child = age_below(ind.value("child_age_below", when), when)
    expr = child | (pl.col("social_allowance") & allowance_group)
    return Rule(
        "share",
        expr,
        ("social_allowance", "disability"),
        share_above=float(ind.value("share_above", when)),
    )


@formula
def child_malnutrition(ind: Indicator, when: dt.date) -> Rule:
    """A child under the age bound is stunted or underweight."""
    child = age_below(ind.value("child_age_below", when), when)
    return Rule("member", child & (pl.col("stunted") | pl.col("underweight")), ("stunted", "underweight"))


@formula
def uninsured_member(ind: Indicator, when: dt.date) -> Rule:
    """A member at or above the age bound has no health insurance card."""
    expr = age_at_least(ind.value("age_min", when), when) & ~pl.col("has_health_insurance")
    return Rule("member", expr, ("has_health_insurance",))


@formula
def adult_education_gap(ind: Indicator, when: dt.date) -> Rule:
    """A young adult is out of training without the qualification their age band requires."""
    lower = age_at_least(ind.value("age_min", when), when) & age_below(ind.value("age_upper_band_min", when), when)
    upper = age_at_least(ind.value("age_upper_band_min", when), when) & age_below(ind.value("age_max", when) + 1, when)
    lower_ok = _in("highest_education", ind.value("lower_band_qualifications", when))
    upper_ok = _in("highest_education", ind.value("upper_band_qualifications", when))
    lacking = (lower & ~lower_ok) | (upper & ~upper_ok)
    return Rule("member", lacking & ~pl.col("in_school"), ("highest_education", "in_school"))


@formula
def adult_lower_secondary_gap(ind: Indicator, when: dt.date) -> Rule:
    """2016-2020: a member aged 15+, born from the cohort year, without lower secondary, not in school."""
    cohort = age_at_least(ind.value("age_min", when), when) & (
        BIRTH >= dt.date(int(ind.value("born_from_year", when)), 1, 1)
    )
    lacking = ~_in("highest_education", ind.value("qualifications", when))
    return Rule("member", cohort & lacking & ~pl.col("in_school"), ("highest_education", "in_school"))


@formula
def child_out_of_school(ind: Indicator, when: dt.date) -> Rule:
    """A child in the school-age band is not attending school."""
    band = age_at_least(ind.value("age_min", when), when) & age_below(ind.value("age_below", when), when)
    return Rule("member", band & ~pl.col("in_school"), ("in_school",))


@formula
def untreated_illness(ind: Indicator, when: dt.date) -> Rule:
    """2016-2020: a member was seriously ill and got no medical care."""
    return Rule("member", pl.col("untreated_illness"), ("untreated_illness",))


@formula
def non_durable_house(ind: Indicator, when: dt.date) -> Rule:
    """At least the given number of the walls, columns and roof are non-durable."""
    parts = ("walls_durable", "columns_durable", "roof_durable")
    non_durable = [(~pl.col(p)).cast(pl.Int8) for p in parts]
    expr = pl.sum_horizontal(non_durable) >= ind.value("non_durable_min", when)
    return Rule("household", expr, parts)


@formula
def floor_area_per_person(ind: Indicator, when: dt.date) -> Rule:
    """Floor area per person below the bound (compared as area < bound x members, exactly)."""
    bound = ind.value("min_m2_per_person", when)
    expr = pl.col("floor_area_m2") < pl.col("n_members") * bound
    return Rule("household", expr, ("floor_area_m2",))


@formula
def unsafe_water(ind: Indicator, when: dt.date) -> Rule:
    return Rule("household", ~_in("water_source", ind.value("safe_sources", when)), ("water_source",))


@formula
def unhygienic_latrine(ind: Indicator, when: dt.date) -> Rule:
    return Rule("household", ~_in("latrine", ind.value("hygienic_types", when)), ("latrine",))


@formula
def no_telecom(ind: Indicator, when: dt.date) -> Rule:
    return Rule("household", ~pl.col("uses_telecom"), ("uses_telecom",))


@formula
def no_information_means(ind: Indicator, when: dt.date) -> Rule:
    """No information device and cannot hear the loudspeakers (both needed to be deprived)."""
    expr = ~pl.col("has_info_device") & ~pl.col("hears_loudspeaker")
    return Rule("household", expr, ("has_info_device", "hears_loudspeaker"))


@formula
def no_internet(ind: Indicator, when: dt.date) -> Rule:
    return Rule("household", ~pl.col("uses_internet"), ("uses_internet",))


@formula
def untreated_waste(ind: Indicator, when: dt.date) -> Rule:
    return Rule("household", ~pl.col("waste_treated"), ("waste_treated",))


def rule_for(ind: Indicator, when: dt.date) -> Rule:
    try:
        fn = FORMULAS[ind.formula]
    except KeyError as exc:  # a YAML naming a formula we do not have is a programming error
        raise KeyError(f"indicator {ind.id}: unknown formula {ind.formula!r}") from exc
    return fn(ind, when)
