"""A policy's norms as they stand in a province: the catalogue's national value, the province values the
YAML carries and those the province's official set (`models.ProvinceNorm`), merged by one function,
`norm_of`, which every page, the API and any computation reading a norm go through.

A province's value replaces the national one from its own first date (as `catalogue.Norm.at`); on one
date a value set in the database replaces the YAML's. Each value keeps its source and confidence, so
a value not read in a legal text is shown as unverified wherever it appears.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..accounts.access import can_read_province_norms
from ..core.errors import AccessDenied
from ..geo.models import AdminUnit
from ..standards.params import VERIFIED, Parameter
from .catalogue import Policy
from .models import ProvinceNorm

NATIONAL, PROVINCE_YAML, PROVINCE_SET = "national", "province_yaml", "province_set"


@dataclass(frozen=True)
class NormValue:
    """One dated value of a norm with where it comes from."""

    valid_from: dt.date
    value: Any
    reference: str
    confidence: str
    note: str
    source: str  # NATIONAL, PROVINCE_YAML or PROVINCE_SET
    set_by: str = ""

    @property
    def verified(self) -> bool:
        return self.confidence == VERIFIED


@dataclass(frozen=True)
class NormRow:
    """A norm of a policy on a date in a province: the national value, the province's (None when it has
    none in force), and the one that applies."""

    policy: Policy
    name: str
    national: NormValue
    province: NormValue | None
    later: tuple[NormValue, ...] = ()  # values already set for a day after `when` (the page says "from ...")

    @property
    def applies(self) -> NormValue:
        return self.province or self.national


def plain(value: Any) -> Any:
    """A stored Decimal as the YAML would have it: an integer when whole (amounts), else a float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _yaml_values(parameter: Parameter, source: str) -> list[NormValue]:
    return [
        NormValue(start, value, parameter.reference, parameter.confidence, parameter.note, source)
        for start, value in parameter.values
    ]


def province_values(policy: Policy, name: str, province: AdminUnit, rows: list | None = None) -> list[NormValue]:
    """Every dated value of `name` for `province`, oldest first: the YAML's, then the database's (which
    replaces the YAML's on the same date). `rows`: the province's `ProvinceNorm`s, read once by a caller
    listing many norms."""
    own = policy.norms[name].provinces.get(province.code)
    by_date = {v.valid_from: v for v in (_yaml_values(own, PROVINCE_YAML) if own is not None else [])}
    if rows is None:
        rows = list(
            ProvinceNorm.objects.filter(policy_id=policy.id, norm=name, province=province).select_related("set_by")
        )
    for r in rows:
        if r.policy_id == policy.id and r.norm == name:
            by_date[r.valid_from] = NormValue(
                r.valid_from, plain(r.value), r.reference, r.confidence, r.note, PROVINCE_SET, r.set_by.username
            )
    return [by_date[d] for d in sorted(by_date)]


def _in_force(values: list[NormValue], when: dt.date) -> NormValue | None:
    found = None
    for v in values:
        if v.valid_from <= when:
            found = v
    return found


def _national(policy: Policy, name: str, when: dt.date) -> NormValue:
    parameter = policy.norms[name].national
    values = _yaml_values(parameter, NATIONAL)
    return _in_force(values, when) or values[0]  # before its first date, the first value (Parameter.at)


def norm_of(policy: Policy, name: str, when: dt.date, province: AdminUnit | None = None, rows=None) -> NormRow:
    """The norm `name` of `policy` on `when` in `province` (None: national only). The one reader."""
    mine = province_values(policy, name, province, rows) if province is not None else []
    national = _yaml_values(policy.norms[name].national, NATIONAL)
    later = tuple(sorted((v for v in [*national, *mine] if v.valid_from > when), key=lambda v: v.valid_from))
    return NormRow(policy, name, _national(policy, name, when), _in_force(mine, when), later)


def province_norm_table(actor, policies: list[Policy], province: AdminUnit, when: dt.date) -> list[NormRow]:
    """Every norm of `policies` on `when` in `province`, for whoever reads the whole province; one query."""
    if not can_read_province_norms(actor, province):
        raise AccessDenied()
    rows = list(ProvinceNorm.objects.filter(province=province).select_related("set_by"))
    return [norm_of(p, name, when, province, rows) for p in policies for name in p.norms]


def norm_label(policy: Policy, name: str) -> tuple[str, str]:
    """(Vietnamese, English) name of a norm for a page, its key when the catalogue names it not."""
    norm = policy.norms[name]
    return (norm.name_vi or name, norm.name_en or name)


def numeric_norm(policy: Policy, name: str) -> bool:
    """Whether a province may set a number for this norm: its national values are numbers or not read
    (a date, such as `free_public_tuition_from`, is not a province's amount)."""
    values = [v for _, v in policy.norms[name].national.values if v is not None]
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


__all__ = [
    "NormRow",
    "NormValue",
    "norm_label",
    "norm_of",
    "numeric_norm",
    "plain",
    "province_norm_table",
    "province_values",
]
