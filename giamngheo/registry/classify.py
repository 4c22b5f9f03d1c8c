"""Classify stored households with the engine and explain one of them, for pages and services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..standards import InputError, classify, resolve_standard
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


def explain_household(household: Household, *, when: dt.date | None = None, standard: str = "auto",
                      lang: str = "vi") -> Explanation:
    """The household's category under the standard in force, in words; or what is missing."""
    when = when or dt.date.today()
    std = resolve_standard(standard, when)
    hh, members = contract_frames(Household.objects.filter(pk=household.pk))
    try:
        row = classify(hh, members, std, when).row(0, named=True)
    except InputError as exc:
        return Explanation(std.id, None, "", [p.text(lang) for p in exc.problems])
    names = dict(members.select("member_id", "full_name").iter_rows()) if members.height else {}
    return Explanation(std.id, row["category"], explain_row(row, std, lang, names), [])
