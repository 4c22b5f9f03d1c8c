"""The catalogue of support policies as dated data (`data/<id>.yaml`): pure Python and YAML, no Django.

Each fact of a policy (its sector, provider, who it goes to, the register categories it serves, a
member's age limits, an amount, a cap) is a `standards.params.Parameter`: dated values, a legal
reference and a V/S/C/B confidence, read the way the standards and the review procedure are read.
A value nobody could read in a source is `null` with a note saying "not read": the loader refuses a
null without it, so an amount is never made up. A norm may carry per-province values
(`provinces: {<province code>: {values, reference, confidence}}`) that replace the national one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..standards.params import CONFIDENCE_WORDS, EDITED, Parameter, UnknownStandardError, _parameter

DATA_DIR = Path(__file__).parent / "data"
ALWAYS = dt.date(1900, 1, 1)  # the start of a value that is not dated (`value:` in the YAML)
NOT_READ = "not read"
FACT_KEYS = {"value", "values", "reference", "confidence", "note"}
NORM_LABELS = ("name_vi", "name_en")  # a norm's names in both languages, for the pages

FACTS = ("sector", "provider", "target", "unit", "periodicity", "funding_source", "ntp_component")
TARGETS = ("household", "member")
# The register's categories a policy may serve (review.Status.category), and "newly escaped"
# (derived from the transitions, with `newly_escaped_months`).
CATEGORIES = ("poor", "near_poor", "average", "newly_escaped")
CONDITIONS = (
    "categories",  # which register categories are served (list of CATEGORIES)
    "newly_escaped_months",  # a household that left the poor/near-poor lists at most this many months ago
    "min_age",  # a member's age in whole years on the date, at least
    "max_age",  # ... at most
    "in_school",  # the member is in school (true) — from the register's `in_school`
    "working_age",  # the member is of working age (standards.indicators.working_age)
    "disability",  # the member has a disability
    "area",  # rural / urban (the household's area)
    "unit_designation",  # poor district, ĐBKK commune, ...: not in the register yet (shown, not applied)
)


class PolicyError(UnknownStandardError):
    """A policy file that does not load, or a policy id with no file."""


@dataclass(frozen=True)
class Norm:
    """An amount, rate or cap: the national value and per-province ones (by province code)."""

    national: Parameter
    provinces: dict[str, Parameter] = field(default_factory=dict)
    name_vi: str = ""  # the norm's name as a page shows it (a label only: the values are the parameters')
    name_en: str = ""

    def param(self, province: str | None = None) -> Parameter:
        return self.provinces.get(province or "", self.national)

    def at(self, when: dt.date, province: str | None = None) -> Any:
        """The value in force on `when`; a province's own value replaces the national one from its
        first date (before it, the national value)."""
        own = self.provinces.get(province or "")
        if own is not None and own.values[0][0] <= when:
            return own.at(when)
        return self.national.at(when)

    def parameters(self) -> list[Parameter]:
        return [self.national, *self.provinces.values()]


@dataclass(frozen=True)
class Policy:
    id: str
    name_vi: str
    name_en: str
    facts: dict[str, Parameter]
    eligibility: dict[str, Parameter]
    norms: dict[str, Norm]
    exclusivity: dict[str, Parameter]

    def fact(self, name: str, when: dt.date = ALWAYS) -> Any:
        return self.facts[name].at(when)

    @property
    def target(self) -> str:
        return str(self.fact("target"))

    @property
    def member_level(self) -> bool:
        return self.target == "member"

    def condition(self, name: str, when: dt.date) -> Any:
        """A condition's value in force on `when`; None when the policy sets no such condition."""
        parameter = self.eligibility.get(name)
        return None if parameter is None else parameter.at(when)

    def norm(self, name: str, when: dt.date, province: str | None = None) -> Any:
        return self.norms[name].at(when, province)

    def parameters(self) -> list[Parameter]:
        """Every sourced value of the policy (the test checks each has a reference and a confidence)."""
        out = [*self.facts.values(), *self.eligibility.values(), *self.exclusivity.values()]
        return out + [p for n in self.norms.values() for p in n.parameters()]

    def unverified(self) -> list[Parameter]:
        return [p for p in self.parameters() if not p.verified]


def _fact(name: str, raw: Any, where: str) -> Parameter:
    if not isinstance(raw, dict) or not ({"value", "values"} & raw.keys()):
        raise PolicyError(f"{where}: {name}: cần `value` hoặc `values` / needs `value` or `values`")
    unknown = set(raw) - FACT_KEYS
    if unknown:  # a comma in a flow mapping splits a citation into a stray key: refuse it
        raise PolicyError(f"{where}: {name}: unknown keys {sorted(map(str, unknown))}")
    for key in ("reference", "confidence"):
        if not str(raw.get(key) or "").strip():
            raise PolicyError(f"{where}: {name}: thiếu {key} / no {key}")
    if "value" in raw:
        raw = {**raw, "values": {ALWAYS: raw["value"]}}
    parameter = _parameter(name, raw)
    _check(parameter, where)
    return parameter


def _check(parameter: Parameter, where: str) -> None:
    if parameter.confidence not in CONFIDENCE_WORDS or parameter.confidence == EDITED:
        raise PolicyError(f"{where}: {parameter.name}: confidence {parameter.confidence!r} is not V, S, C or B")
    if any(value is None for _, value in parameter.values) and NOT_READ not in parameter.note:
        raise PolicyError(f"{where}: {parameter.name}: a null value needs a note saying {NOT_READ!r}")


def _check_values(parameter: Parameter, allowed: tuple[str, ...], where: str, many: bool = False) -> None:
    for _, value in parameter.values:
        items = value if many and isinstance(value, list) else [value]
        bad = [v for v in items if v is not None and v not in allowed]
        if bad:
            raise PolicyError(f"{where}: {parameter.name}: {bad!r} not in {allowed}")


def _norm(name: str, raw: dict[str, Any], where: str) -> Norm:
    provinces = {str(code): _fact(f"{name}.{code}", body, where) for code, body in (raw.get("provinces") or {}).items()}
    national = _fact(name, {k: v for k, v in raw.items() if k not in ("provinces", *NORM_LABELS)}, where)
    for code, own in provinces.items():
        if own.values[0][0] == ALWAYS:
            raise PolicyError(f"{where}: {name}.{code}: a province's value needs the date it takes effect")
    return Norm(national, provinces, str(raw.get("name_vi") or ""), str(raw.get("name_en") or ""))


def parse_policy(raw: dict[str, Any], where: str = "") -> Policy:
    where = where or str(raw.get("id", "?"))
    missing = [k for k in ("id", "name_vi", "name_en", *FACTS, "eligibility", "norms", "exclusivity") if k not in raw]
    if missing:
        raise PolicyError(f"{where}: thiếu / missing {', '.join(missing)}")
    facts = {name: _fact(name, raw[name], where) for name in FACTS}
    _check_values(facts["target"], TARGETS, where)
    unknown = set(raw["eligibility"]) - set(CONDITIONS)
    if unknown:
        raise PolicyError(f"{where}: unknown eligibility conditions {sorted(unknown)} (known: {CONDITIONS})")
    if "categories" not in raw["eligibility"]:
        raise PolicyError(f"{where}: eligibility needs `categories`")
    eligibility = {name: _fact(name, body, where) for name, body in raw["eligibility"].items()}
    _check_values(eligibility["categories"], CATEGORIES, where, many=True)
    norms = {name: _norm(name, body, where) for name, body in (raw["norms"] or {}).items()}
    exclusivity = {name: _fact(name, body, where) for name, body in (raw["exclusivity"] or {}).items()}
    return Policy(str(raw["id"]), str(raw["name_vi"]), str(raw["name_en"]), facts, eligibility, norms, exclusivity)


def available_policies() -> list[str]:
    """The ids of `data/`'s files, listed again only when the folder changes (a file added or removed):
    every policy name on a page asks, and a directory listing per name was most of `policy_name`."""
    return list(_policy_ids(str(DATA_DIR), DATA_DIR.stat().st_mtime_ns))


@cache
def _policy_ids(folder: str, _mtime_ns: int) -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in Path(folder).glob("*.yaml")))


@cache
def catalogue_digest() -> str:
    """A fingerprint of the catalogue as this process loaded it (`load_policy` keeps each file once):
    part of the key of anything cached from it, so a cache shared by processes of another catalogue
    never answers for this one."""
    digest = hashlib.sha256()
    for pid in available_policies():
        digest.update(pid.encode() + b"\0" + (DATA_DIR / f"{pid}.yaml").read_bytes())
    return digest.hexdigest()


@cache
def load_policy(policy_id: str) -> Policy:
    path = DATA_DIR / f"{policy_id}.yaml"
    if policy_id not in available_policies():
        known = ", ".join(available_policies())
        raise PolicyError(f"Không có chính sách {policy_id!r} / no policy {policy_id!r} (có / known: {known})")
    try:
        with path.open(encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path.name}: không đọc được YAML / unreadable YAML: {exc}") from exc
    policy = parse_policy(raw, path.name)
    if policy.id != policy_id:
        raise PolicyError(f"{path.name}: id {policy.id!r} differs from the file name")
    return policy


def catalogue() -> dict[str, Policy]:
    """Every policy of `data/`, by id."""
    return {pid: load_policy(pid) for pid in available_policies()}


__all__ = [
    "ALWAYS",
    "Norm",
    "Policy",
    "PolicyError",
    "available_policies",
    "catalogue",
    "catalogue_digest",
    "load_policy",
]
