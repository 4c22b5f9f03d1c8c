"""Classify stored households with the engine and explain one of them, for pages and services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from giamngheo.core import clock

from ..standards import InputError, Standard, classify, resolve_standard
from ..standards.explain import explain_row
from .frames import contract_frames
from .models import Household


@dataclass(frozen=True)
class Explanation:
    standard_id: str
    category: str | None
    text: str
    problems: list[str]

    @property
    def category_label(self) -> str:
        from ..standards.contract import CATEGORY_LABELS

        return CATEGORY_LABELS[self.category][0] if self.category else ""


@dataclass(frozen=True)
class EngineRun:
    """One household through the engine: the standard, the facts it read, its row, members' names."""

    standard: Standard
    households: pl.DataFrame
    members: pl.DataFrame
    row: dict
    names: dict[str, str]


def engine_run(household: Household, when: dt.date, standard: str = "auto") -> EngineRun:
    """Classify the household's current facts; raises InputError naming what is missing."""
    std = resolve_standard(standard, when)
    hh, members = contract_frames(Household.objects.filter(pk=household.pk))
    row = classify(hh, members, std, when).row(0, named=True)
    names = dict(members.select("member_id", "full_name").iter_rows()) if members.height else {}
    return EngineRun(std, hh, members, row, names)


def explain_household(
    household: Household, *, when: dt.date | None = None, standard: str = "auto", lang: str = "vi"
) -> Explanation:
    """The household's category under the standard in force, in words; or what is missing."""
    when = when or clock.today()
    try:
        run = engine_run(household, when, standard)
    except InputError as exc:
        return Explanation(resolve_standard(standard, when).id, None, "", [p.text(lang) for p in exc.problems])
    return Explanation(run.standard.id, run.row["category"], explain_row(run.row, run.standard, lang, run.names), [])
