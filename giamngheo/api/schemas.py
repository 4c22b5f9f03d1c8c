"""Typed inputs and outputs of the API (the OpenAPI schema is generated from these)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


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


class MemberOut(Schema):
    member_id: str
    national_id: str | None
    full_name: str
    sex: str | None
    birth_date: dt.date | None
    birth_year: int | None
    relation_to_head: str | None
    ethnicity: str | None
    highest_education: str | None
    in_school: bool | None
    has_health_insurance: bool | None
    employment: str | None
    disability: str | None
    social_allowance: bool | None
    stunted: bool | None
    underweight: bool | None
    meritorious_service: bool | None
    untreated_illness: bool | None


class HouseholdOut(Schema):
    household_id: str
    admin_code: str
    unit_name: str
    village: str | None
    address: str
    area: str
    income_per_capita_month: int | None
    income_score: int | None
    walls_durable: bool | None
    columns_durable: bool | None
    roof_durable: bool | None
    floor_area_m2: float | None
    water_source: str | None
    latrine: str | None
    uses_telecom: bool | None
    has_info_device: bool | None
    hears_loudspeaker: bool | None
    uses_internet: bool | None
    waste_treated: bool | None
    is_active: bool
    version: int
    members: list[MemberOut]


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
