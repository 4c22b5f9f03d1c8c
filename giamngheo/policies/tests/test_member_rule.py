"""Member conditions as one Polars rule over member rows, checked against plain Python (no database)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from giamngheo.policies.catalogue import parse_policy
from giamngheo.policies.eligibility import eligible_members

ON = dt.date(2026, 6, 1)


def _policy(**conditions):
    fact = {"value": "x", "reference": "QĐ 1", "confidence": "B"}
    eligibility = {"categories": {"value": ["poor"], "reference": "QĐ 1", "confidence": "B"}}
    eligibility.update({k: {"value": v, "reference": "QĐ 1", "confidence": "B"} for k, v in conditions.items()})
    return parse_policy(
        {
            "id": "t",
            "name_vi": "Thử",
            "name_en": "Test",
            **{k: dict(fact) for k in ("sector", "provider", "unit", "periodicity", "funding_source", "ntp_component")},
            "target": {**fact, "value": "member"},
            "eligibility": eligibility,
            "norms": {},
            "exclusivity": {},
        }
    )


MEMBERS = pl.DataFrame(
    {
        "member_pk": [1, 2, 3, 4, 5, 6],
        "household_pk": [10, 10, 10, 10, 20, 10],
        "member_id": ["a", "b", "c", "d", "e", "f"],
        "national_id": [None] * 6,
        "birth_date": [
            dt.date(2020, 6, 1),
            dt.date(2020, 6, 2),
            dt.date(2011, 1, 1),
            None,
            dt.date(2019, 1, 1),
            dt.date(2011, 12, 31),
        ],
        "birth_year": [None] * 6,
        "sex": ["male"] * 6,
        "in_school": [True, True, None, True, True, False],
        "disability": ["none", "", "mild", None, "none", "none"],
    },
    schema_overrides={"birth_year": pl.Int64},
)
HOUSEHOLDS = pl.DataFrame({"household_pk": [10], "household_id": ["H"], "category": ["poor"], "reason": ["hộ nghèo"]})


def _age(birth: dt.date) -> int:
    return ON.year - birth.year - ((birth.month, birth.day) > (ON.month, ON.day))


def test_age_limits_and_words_agree_with_plain_python():
    rows = eligible_members(HOUSEHOLDS, MEMBERS, _policy(min_age=6, max_age=15), ON)
    want = {
        r["member_id"]
        for r in MEMBERS.to_dicts()
        if r["household_pk"] == 10 and r["birth_date"] and 6 <= _age(r["birth_date"]) <= 15
    }
    assert set(rows.get_column("member_id")) == want == {"a", "c", "f"}  # b turns 6 tomorrow; d's birth is unknown
    words = dict(rows.select("member_id", "reason").iter_rows())
    assert words == {
        "a": "hộ nghèo; 6 tuổi",
        "c": "hộ nghèo; 15 tuổi",
        "f": "hộ nghèo; 14 tuổi",
    }  # f turns 15 in December


def test_school_and_disability_need_the_fact_recorded():
    pupils = eligible_members(HOUSEHOLDS, MEMBERS, _policy(in_school=True), ON)
    assert set(pupils.get_column("member_id")) == {"a", "b", "d"}  # c's schooling is unknown: not listed
    disabled = eligible_members(HOUSEHOLDS, MEMBERS, _policy(disability=True), ON)
    assert set(disabled.get_column("member_id")) == {"c"}
    assert disabled.get_column("reason").to_list() == ["hộ nghèo; người khuyết tật"]


def test_no_member_condition_lists_every_member_of_a_province_sized_frame():
    """Without member conditions every member is listed. A literal predicate failed on a large
    joined frame ("filter predicate length of 2", Polars 2.1; found by benchmarks/policies.py)."""
    many = pl.concat([MEMBERS] * 6000).with_columns(pl.int_range(pl.len()).alias("member_pk"))
    rows = eligible_members(HOUSEHOLDS, many, _policy(), ON)
    assert rows.height == many.filter(pl.col("household_pk") == 10).height == 30_000
