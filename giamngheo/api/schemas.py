"""Typed inputs and outputs of the API (the OpenAPI schema is generated from these); the household and
member shapes are the data contract's columns (standards/contract.py), not a second list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field, create_model

from ..standards.contract import (
    BOOL,
    CODE,
    DATE,
    DECIMAL,
    HOUSEHOLD_BY_NAME,
    HOUSEHOLD_COLUMNS,
    INT,
    MEMBER_COLUMNS,
    TEXT,
    Column,
)


class Error(Schema):
    detail: str


class HouseholdSummary(Schema):
    household_id: str
    admin_code: str
    unit_name: str
    village: str | None
    head_name: str | None
    member_count: int
    income_per_capita_month: int | None


PYTHON_TYPES: dict[str, Any] = {TEXT: str, CODE: str, INT: int, DECIMAL: float, BOOL: bool, DATE: dt.date}


def _contract_fields(columns: tuple[Column, ...], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The contract's columns as schema fields, in its order, typed by kind and described by their
    Vietnamese label: a column added to the contract appears in the API and its documentation."""
    fields: dict[str, Any] = {}
    for col in columns:
        if col.name not in skip:
            kind = PYTHON_TYPES[col.kind]
            fields[col.name] = (kind if col.required else kind | None, Field(description=col.label_vi))
    return fields


# A member as the contract has it (its household is the one asked for)
MemberOut = create_model("MemberOut", __base__=Schema, **_contract_fields(MEMBER_COLUMNS, skip=("household_id",)))

# A household as the contract has it, with its unit's name, address, state and members; `area` is the
# effective one (the unit's type when the registry leaves it empty), so never empty
HouseholdOut = create_model(
    "HouseholdOut",
    __base__=Schema,
    **_contract_fields(HOUSEHOLD_COLUMNS)
    | {
        "unit_name": (str, ...),
        "address": (str, ...),
        "area": (str, Field(description=HOUSEHOLD_BY_NAME["area"].label_vi)),
        "is_active": (bool, ...),
        "version": (int, ...),
        "members": (list[MemberOut], ...),  # type: ignore[valid-type]
    },
)
MemberList = list[MemberOut]  # type: ignore[valid-type]  # a class made at import time: mypy cannot see it


class ClassificationOut(Schema):
    household_id: str
    standard: str
    as_of: dt.date
    category: str | None
    explanation: str
    problems: list[str]


class UnitOut(Schema):
    code: str
    name: str
    level: str
    unit_type: str
    area: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    parent: str | None
    now: list[str]


class RoundOut(Schema):
    id: int
    commune_code: str
    commune_name: str
    kind: str
    reference_date: dt.date
    step: str
    posting_start: dt.date | None
    posting_end: dt.date | None
    decision_number: str
    decision_date: dt.date | None
    listed: int
    surveyed: int
    standard: str  # the standard the round classifies under (the rule's, or a province's choice)
    standard_overridden: bool
    standard_verified: bool  # False while the rule that chose it is not read in the law
    standard_reason_vi: str
    standard_reason_en: str


class ListedOut(Schema):
    household_id: str
    reason: str
    state: str
    category: str | None
    deprivation_count: int | None
    standard: str | None  # the standard of the Form B result


class StoredClassificationOut(Schema):
    standard: str
    standard_version: int
    as_of: dt.date
    category: str
    income_line: int
    deprivation_count: int
    created_at: dt.datetime


class SummaryRow(Schema):
    admin_code: str
    name: str
    households: int
    poor: int
    near_poor: int
    poor_rate: float
    near_poor_rate: float


class DeprivationStatistics(Schema):
    k: str
    n: int
    poor: int
    H: float
    A: float
    M0: float
    censored_headcount: dict[str, float]
    contribution: dict[str, float]
