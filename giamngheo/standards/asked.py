"""Which members Form B asks the age-bound questions (a child's stunting, school attendance).

The ages are not written here: each question is asked of a member when the standard's own
indicator expressions (their ages read from the YAML) could turn on the answer for that member's
birth. The answer is set to yes and to no with every other fact unknown; where the indicator is
definitely the same both ways (a 61-year-old's stunting, a 40-year-old's schooling under
2022-2025), the question cannot matter and is not asked. A member with no birth date or year is
asked everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import polars as pl

from .contract import MEMBER_COLUMNS
from .indicators import birth_from_facts, rule_for
from .params import Standard
from .reading import with_all_columns

# Form B's questions that only some ages answer (issue #13: stunting asked of a 61-year-old)
AGE_BOUND_QUESTIONS: tuple[str, ...] = ("stunted", "underweight", "in_school")
T = TypeVar("T", dt.date, int)


def asked_questions(
    standard: Standard,
    when: dt.date,
    births: Sequence[tuple[dt.date | None, int | None]],
    questions: Sequence[str] = AGE_BOUND_QUESTIONS,
) -> list[frozenset[str]]:
    """For each member's (birth_date, birth_year), the `questions` the standard reads for them on `when`."""
    if not births:
        return []
    base = pl.DataFrame(
        {
            "birth_date": [b[0] for b in births],
            "birth_year": [b[1] for b in births],
        },
        schema={"birth_date": pl.Date, "birth_year": pl.Int64},
    )
    base = with_all_columns(base, MEMBER_COLUMNS).with_columns(birth_from_facts())
    rules = [r for r in (rule_for(ind, when) for ind in standard.indicators) if r.level != "household"]
    asked: list[set[str]] = [set() for _ in births]
    for name in questions:
        flags = [r.expr.alias(f"_r{i}") for i, r in enumerate(rules) if name in r.expr.meta.root_names()]
        if not flags:
            continue
        yes = base.with_columns(pl.lit(True).alias(name)).select(flags)
        no = base.with_columns(pl.lit(False).alias(name)).select(flags)
        for column in yes.columns:
            # Kleene logic: equal known values both ways mean no completion of the other facts could differ
            matters = ~yes[column].eq_missing(no[column]) | yes[column].is_null() | no[column].is_null()
            for row, flag in enumerate(matters.to_list()):
                if flag:
                    asked[row].add(name)
    return [frozenset(a) for a in asked]


def _runs(values: list[T], asked: list[bool], step: Any) -> tuple[tuple[T, T], ...]:
    """The runs of consecutive asked `values` (sorted, `step` apart) as (first, last) pairs."""
    runs: list[list[T]] = []
    for value, flag in zip(values, asked, strict=True):
        if not flag:
            continue
        if runs and runs[-1][1] + step == value:
            runs[-1][1] = value
        else:
            runs.append([value, value])
    return tuple((first, last) for first, last in runs)


@dataclass(frozen=True)
class AskedBirths:
    """For whom one question is asked on a date, as births: `dates` are (first, last) birth-date runs
    (inclusive), `years` the runs of a birth year given without a date, `unknown` whether a member of
    no known birth is asked. Read off `asked_questions` birth by birth, so a form that cannot run the
    formulas (an XLSForm's `relevant`) asks the same people as the web form, with no age written twice."""

    question: str
    dates: tuple[tuple[dt.date, dt.date], ...]
    years: tuple[tuple[int, int], ...]
    unknown: bool

    @property
    def ever(self) -> bool:
        return bool(self.dates or self.years or self.unknown)


def asked_births(
    standard: Standard,
    when: dt.date,
    earliest: dt.date,
    latest: dt.date | None = None,
    questions: Sequence[str] = AGE_BOUND_QUESTIONS,
) -> dict[str, AskedBirths]:
    """Each question's births asked on `when`: every birth date from `earliest` to `latest` (default
    `when`; later for a child born after a round's reference date), every birth year between them, and
    no birth at all, put through `asked_questions`."""
    latest = max(latest or when, when)
    days = [earliest + dt.timedelta(days=n) for n in range((latest - earliest).days + 1)]
    years = list(range(earliest.year, latest.year + 1))
    births: list[tuple[dt.date | None, int | None]] = [(d, None) for d in days] + [(None, y) for y in years]
    asked = asked_questions(standard, when, [*births, (None, None)], questions)
    by_date, by_year, unknown = asked[: len(days)], asked[len(days) : -1], asked[-1]
    return {
        name: AskedBirths(
            name,
            _runs(days, [name in a for a in by_date], dt.timedelta(days=1)),
            _runs(years, [name in a for a in by_year], 1),
            name in unknown,
        )
        for name in questions
    }
