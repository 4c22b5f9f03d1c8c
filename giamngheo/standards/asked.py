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

import polars as pl

from .contract import MEMBER_COLUMNS
from .indicators import birth_from_facts, rule_for
from .params import Standard
from .reading import with_all_columns

# Form B's questions that only some ages answer (issue #13: stunting asked of a 61-year-old)
AGE_BOUND_QUESTIONS: tuple[str, ...] = ("stunted", "underweight", "in_school")


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
