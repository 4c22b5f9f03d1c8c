"""Shapes of the policy endpoints (issue #16 item 7): the catalogue, eligibility, the ledger, findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field


class DatedValue(Schema):
    valid_from: dt.date
    value: Any
    reference: str
    confidence: str = Field(description="V: read in the legal text; S, C, B: unverified")
    verified: bool
    note: str
    source: str = Field(description="national, province_yaml (the catalogue) or province_set (set by the province)")
    set_by: str = ""


class FactOut(Schema):
    name: str
    values: list[DatedValue]


class NormOut(Schema):
    name: str
    national: list[DatedValue]
    province: list[DatedValue] = Field(description="the province's own values, when `province` is given")
    applies: DatedValue | None = Field(description="the value in force on `on` in the province (or nationally)")


class PolicySummary(Schema):
    id: str
    name_vi: str
    name_en: str
    sector: Any
    target: str
    unit: Any
    periodicity: Any
    unverified: int = Field(description="how many of its values were not read in a legal text")


class PolicyOut(PolicySummary):
    facts: list[FactOut]
    eligibility: list[FactOut]
    norms: list[NormOut]
    exclusivity: list[FactOut]


class EligibleOut(Schema):
    household_id: str
    member_id: str | None
    national_id: str | None = Field(description="masked unless the caller's role sees ids in full")
    category: str
    reason: str


class FindingOut(Schema):
    kind: str
    policy: str
    unit: str
    on: dt.date
    note_vi: str
    note_en: str
    rows: list[dict[str, Any]]


class BenefitOut(Schema):
    id: int
    household_id: str
    member_id: str | None
    policy_id: str
    delivered_on: dt.date
    period_start: dt.date | None
    period_end: dt.date | None
    quantity: float
    amount_vnd: int
    funding_source: str
    provider: str
    evidence: str
    status_at_delivery: str
    eligible_at_delivery: bool
    eligibility_reason: str
    source: str
    reverses: int | None
    recorded_at: dt.datetime


class LoanIn(Schema):
    term_months: int = Field(ge=1, le=600)
    interest_percent_year: float = Field(ge=0, le=100)
    declared_purpose: str = Field(min_length=1, max_length=255)


class BenefitIn(Schema):
    household_id: str = Field(max_length=40)
    member_id: str | None = Field(None, max_length=40)
    policy_id: str = Field(max_length=40)
    delivered_on: dt.date
    quantity: float = Field(1, gt=0, lt=1e10)
    amount_vnd: int = Field(0, ge=0, lt=10**15)  # the ledger's bound (policies.ledger_checks.AMOUNT_LIMIT)
    evidence: str = Field("", max_length=80)
    funding_source: str = Field("", max_length=40)
    provider: str = Field("", max_length=120)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    loan: LoanIn | None = None
