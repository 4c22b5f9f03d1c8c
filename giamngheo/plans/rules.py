"""The rules table of drafted plans (`data/goi-y-ho-tro.yaml`): cause or need -> suggested policies.

Pure Python and YAML, no Django. Every row is a `standards.params.Parameter` (dated values, a
reference, a confidence); the table is programme practice, so its rows are B and shown unverified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..policies.catalogue import PolicyError, available_policies, load_policy
from ..standards.params import CONFIDENCE_WORDS, EDITED, Parameter, _parameter
from ..standards.procedure import review_law

RULES_FILE = Path(__file__).parent / "data" / "goi-y-ho-tro.yaml"
GROUPS = ("can_escape", "protection_only", "to_review")


class RulesError(ValueError):
    """A rules table that does not load."""


@dataclass(frozen=True)
class Rules:
    id: str
    default_group: str
    extra_causes: dict[str, dict[str, str]]  # code -> {vi, en, reference, confidence, note}
    causes: dict[str, Parameter]
    needs: dict[str, Parameter]

    def suggestions(self, causes: list[str], needs: list[str], category: str, on: dt.date) -> list[tuple[str, str]]:
        """(policy id, the row that suggested it: "causes.no_capital") for a household of `category`
        (poor, near_poor) with these causes and needs on `on`: the household's causes in their order,
        then its needs, each row's policies in the YAML's order, each policy once (its first row),
        keeping only the policies whose catalogue eligibility serves `category` that day."""
        found: dict[str, str] = {}
        for name, table, codes in (("causes", self.causes, causes), ("needs", self.needs, needs)):
            for code in codes:
                parameter = table.get(code)
                for policy_id in (parameter.at(on) or []) if parameter is not None else []:
                    if policy_id not in found and category in (serves(policy_id, on) or []):
                        found[policy_id] = f"{name}.{code}"
        return list(found.items())

    def parameters(self) -> list[Parameter]:
        return [*self.causes.values(), *self.needs.values()]


def serves(policy_id: str, on: dt.date) -> list[str] | None:
    """The register categories `policy_id` serves on `on` (its catalogue entry)."""
    return load_policy(policy_id).condition("categories", on)


def plan_causes(on: dt.date, lang: str = "vi") -> dict[str, str]:
    """The causes a plan may record: Form B's list in force on `on`, then the table's extra ones."""
    rules = load_rules()
    return {**review_law().causes(on, lang), **{k: v[lang] for k, v in rules.extra_causes.items()}}


def _row(name: str, raw: Any, where: str) -> Parameter:
    if not isinstance(raw, dict) or "values" not in raw:
        raise RulesError(f"{where}: {name}: needs `values`")
    for key in ("reference", "confidence"):
        if not str(raw.get(key) or "").strip():
            raise RulesError(f"{where}: {name}: thiếu {key} / no {key}")
    parameter = _parameter(name, raw)
    if parameter.confidence not in CONFIDENCE_WORDS or parameter.confidence == EDITED:
        raise RulesError(f"{where}: {name}: confidence {parameter.confidence!r} is not V, S, C or B")
    known = set(available_policies())
    for _, value in parameter.values:
        if not isinstance(value, list) or not set(value) <= known:
            raise RulesError(f"{where}: {name}: {value!r} names a policy not in the catalogue")
    return parameter


def parse_rules(raw: dict[str, Any], where: str = "rules") -> Rules:
    missing = [k for k in ("id", "default_group", "causes", "needs") if k not in raw]
    if missing:
        raise RulesError(f"{where}: thiếu / missing {', '.join(missing)}")
    if raw["default_group"] not in GROUPS:
        raise RulesError(f"{where}: default_group {raw['default_group']!r} not in {GROUPS}")
    extra = {str(k): {kk: str(vv) for kk, vv in v.items()} for k, v in (raw.get("extra_causes") or {}).items()}
    law = review_law()
    known_causes = {code for _, codes in law.param("causes").values for code in codes} | set(extra)
    known_needs = {code for _, codes in law.param("needs").values for code in codes}
    for table, known in (("causes", known_causes), ("needs", known_needs)):
        stray = set(raw[table]) - known
        if stray:
            raise RulesError(f"{where}: {table}: {sorted(stray)} not in Form B's list")
    try:
        causes = {str(k): _row(f"causes.{k}", v, where) for k, v in raw["causes"].items()}
        needs = {str(k): _row(f"needs.{k}", v, where) for k, v in raw["needs"].items()}
    except PolicyError as exc:
        raise RulesError(str(exc)) from exc
    return Rules(str(raw["id"]), str(raw["default_group"]), extra, causes, needs)


@cache
def load_rules(path: Path = RULES_FILE) -> Rules:
    with path.open(encoding="utf-8") as handle:
        return parse_rules(yaml.safe_load(handle), path.name)


__all__ = ["GROUPS", "Rules", "RulesError", "load_rules", "parse_rules", "plan_causes", "serves"]
