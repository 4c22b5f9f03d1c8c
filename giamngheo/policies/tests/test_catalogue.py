"""The policy catalogue: every file loads, every value says where it comes from, nothing is made up."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.policies.catalogue import (
    CATEGORIES,
    NOT_READ,
    PolicyError,
    available_policies,
    catalogue,
    load_policy,
    parse_policy,
)
from giamngheo.standards.params import CONFIDENCE_WORDS

REQUIRED = {
    "bhyt",
    "hoc-phi",
    "tien-dien",
    "vay-ho-ngheo",
    "vay-ho-can-ngheo",
    "vay-ho-moi-thoat-ngheo",
    "vay-hssv",
    "nha-o",
    "dao-tao-nghe",
    "viec-lam",
    "ho-tro-san-xuat",
    "dat-o",
    "tro-giup-phap-ly",
}


def test_every_required_policy_has_a_file_that_loads():
    assert REQUIRED <= set(available_policies())
    assert set(catalogue()) == set(available_policies())


@pytest.mark.parametrize("policy_id", sorted(REQUIRED))
def test_every_value_carries_a_source_and_a_confidence(policy_id):
    policy = load_policy(policy_id)
    assert policy.name_vi and policy.name_en
    for parameter in policy.parameters():
        assert parameter.reference.strip(), parameter.name
        assert parameter.confidence in set(CONFIDENCE_WORDS) - {"E"}, parameter.name
        if any(value is None for _, value in parameter.values):
            assert NOT_READ in parameter.note, parameter.name
    categories = policy.condition("categories", dt.date(2025, 6, 1))
    assert categories and set(categories) <= set(CATEGORIES)
    if "newly_escaped" in categories:
        assert policy.condition("newly_escaped_months", dt.date(2025, 6, 1))


def test_values_read_in_the_law_and_those_not():
    power = load_policy("tien-dien")
    assert power.norm("kwh_month", dt.date(2025, 1, 1)) == 30 and power.norms["kwh_month"].national.verified
    assert power.norm("amount_vnd_month", dt.date(2025, 1, 1)) is None  # the tariff was not read: no amount
    loan = load_policy("vay-ho-ngheo")
    assert loan.norm("max_amount_vnd", dt.date(2025, 1, 1)) == 100_000_000
    assert not loan.norms["max_amount_vnd"].national.verified  # public code data only: shown as unverified


def test_a_province_value_replaces_the_national_one_from_its_date():
    share = load_policy("bhyt").norms["state_share_percent_near_poor"]
    assert share.at(dt.date(2025, 12, 9), "96") == 70
    assert share.at(dt.date(2025, 12, 10), "96") == 100
    assert share.at(dt.date(2026, 1, 1), "01") == 70


def _raw(**changes):
    fact = {"value": "x", "reference": "QĐ 1", "confidence": "B"}
    raw = {
        "id": "t",
        "name_vi": "Thử",
        "name_en": "Test",
        **{k: dict(fact) for k in ("sector", "provider", "unit", "periodicity", "funding_source", "ntp_component")},
        "target": {**fact, "value": "household"},
        "eligibility": {"categories": {"values": {"2022-01-01": ["poor"]}, "reference": "QĐ 1", "confidence": "B"}},
        "norms": {},
        "exclusivity": {},
    }
    raw.update(changes)
    return raw


def test_the_loader_refuses_what_would_hide_a_made_up_or_unsourced_value():
    assert parse_policy(_raw()).target == "household"
    unsourced = {"amount": {"values": {"2022-01-01": 5}, "confidence": "B"}}
    null_without_note = {"amount": {"values": {"2022-01-01": None}, "reference": "QĐ 1", "confidence": "B"}}
    stray_key = {"amount": {"values": {"2022-01-01": 5}, "reference": "QĐ 1", "Điều 3": None, "confidence": "B"}}
    bad_confidence = {"amount": {"values": {"2022-01-01": 5}, "reference": "QĐ 1", "confidence": "E"}}
    for norms in (unsourced, null_without_note, stray_key, bad_confidence):
        with pytest.raises(PolicyError):
            parse_policy(_raw(norms=norms))
    with pytest.raises(PolicyError):
        parse_policy(_raw(target={"value": "village", "reference": "QĐ 1", "confidence": "B"}))
    with pytest.raises(PolicyError):
        parse_policy(
            _raw(eligibility={"categories": {"values": {"2022-01-01": ["rich"]}, "reference": "x", "confidence": "B"}})
        )
    with pytest.raises(PolicyError):
        load_policy("no-such-policy")
