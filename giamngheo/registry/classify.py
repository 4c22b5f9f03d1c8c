"""Classify stored households with the engine and explain one of them, for pages and services."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import polars as pl
from django.core.cache import cache

from giamngheo.core import clock

from ..standards import InputError, Standard, classify, resolve_standard
from ..standards.explain import explain_row
from .frames import contract_frames, contract_rows, frames_of_rows
from .models import Household

EXPLANATION_SECONDS = 3600  # bounded by the cache's size too; a stale entry cannot be served (facts are the key)


@dataclass(frozen=True)
class Explanation:
    standard_id: str
    category: str | None
    text: str
    problems: list[str]

    @property
    def category_label(self) -> str:
        from ..core.words import pick
        from ..standards.contract import CATEGORY_LABELS

        return pick(*CATEGORY_LABELS[self.category]) if self.category else ""


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
    """The household's category under the standard in force, in words; or what is missing.

    The answer is cached under the facts the engine reads, as the database gave them (not the household's
    version: bulk loads and member edits change facts without bumping it), so a page view whose facts did
    not change costs the two reads of the household and its members, neither frames nor an engine run.
    """
    when = when or clock.today()
    std = resolve_standard(standard, when)
    rows, member_rows = contract_rows(Household.objects.filter(pk=household.pk))
    key = _facts_key(rows, member_rows, std, when, lang)
    cached = cache.get(key)
    if cached is not None:
        return cached
    try:
        hh, members = frames_of_rows(rows, member_rows)
        row = classify(hh, members, std, when).row(0, named=True)
    except InputError as exc:
        result = Explanation(std.id, None, "", [p.text(lang) for p in exc.problems])
    else:
        names = dict(members.select("member_id", "full_name").iter_rows()) if members.height else {}
        result = Explanation(std.id, row["category"], explain_row(row, std, lang, names), [])
    cache.set(key, result, EXPLANATION_SECONDS)
    return result


def _facts_key(rows: list[dict], member_rows: list[dict], std: Standard, when: dt.date, lang: str) -> str:
    """Everything the explanation depends on: the facts read, the standard and its version, the day, the language."""
    digest = hashlib.sha256(repr((rows, member_rows)).encode())
    return f"explain:{std.id}:{std.version}:{when.isoformat()}:{lang}:{digest.hexdigest()}"
