"""`Register.eligible` makes each policy's served households once per question (`eligibility._served`)
and answers nobody-served without building frames: the answers must be the ones computed policy by
policy from the whole pipeline, nothing shared, on every kind of history."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from giamngheo.accounts.tests.factories import household, system_user
from giamngheo.policies import findings
from giamngheo.policies.catalogue import Policy, catalogue
from giamngheo.policies.eligibility import (
    SCHEMA,
    WORDS,
    Register,
    _by_decision,
    _newly_escaped,
    eligible_members,
    exits_of,
)
from giamngheo.policies.tests.histories import A, register_histories
from giamngheo.review.statuses import latest_of

pytestmark = pytest.mark.django_db
D = dt.date
HISTORIES = {
    "P": [(D(2025, 12, 12), "poor", "45/QĐ-UBND")],
    "N": [(D(2024, 12, 10), "near_poor", "30/QĐ-UBND")],
    "E": [(D(2018, 12, 10), "poor", "5/QĐ-UBND"), (D(2019, 12, 10), "other", "8/QĐ-UBND")],
    "R": [(D(2024, 12, 10), "near_poor", "3/QĐ-UBND"), (D(2025, 12, 12), "average", "")],  # newly escaped
    "V": [(D(2025, 12, 12), "average", "46/QĐ-UBND")],
    "X": [(D(2025, 12, 12), "other", "47/QĐ-UBND")],
    "O": [],
}
DAYS = (D(2019, 1, 1), D(2020, 1, 10), D(2026, 5, 15), D(2028, 12, 31))


def _reference(register: Register, policy: Policy) -> pl.DataFrame:
    """The pipeline as it was, nothing shared, nothing skipped."""
    on, history = register.on, register.history
    served = list(policy.condition("categories", on) or [])
    latest = latest_of(history)
    direct = latest.filter(pl.col("category").is_in([c for c in served if c in WORDS])).select(
        "household_pk",
        "category",
        pl.concat_str(
            pl.col("category").replace_strict(WORDS, default=pl.col("category")),
            pl.lit(" "),
            _by_decision(pl.col("decision_number"), pl.col("valid_from")),
        ).alias("reason"),
    )
    frames = [direct]
    months = policy.condition("newly_escaped_months", on)
    if "newly_escaped" in served and months:
        frames.append(_newly_escaped(exits_of(history), latest, int(months), on))
    households = pl.concat(frames).unique("household_pk", keep="first", maintain_order=True)
    households = households.join(register.codes, on="household_pk")
    area = policy.condition("area", on)
    if area:
        households = households.filter(pl.col("area").is_in([area] if isinstance(area, str) else list(area)))
    households = households.drop("area")
    if policy.member_level:
        rows = eligible_members(households, register.members, policy, on)
    else:
        rows = households.with_columns(
            pl.lit(None, pl.Int64).alias("member_pk"),
            pl.lit(None, pl.String).alias("member_id"),
            pl.lit(None, pl.String).alias("national_id"),
        )
    return rows.select(pl.col(c).cast(t) for c, t in SCHEMA.items()).sort("household_id", "member_id", nulls_last=False)


def test_every_policy_on_every_kind_of_history_is_answered_as_by_the_whole_pipeline():
    homes = register_histories(HISTORIES, opened=D(2018, 9, 1))
    young = household(system_user(), "HH-Y", A, members=4)  # children of school age, no status
    groups = [[h.pk] for h in homes.values()] + [[h.pk for h in homes.values()] + [young.pk]]
    answered = 0
    for pks in groups:
        for day in DAYS:
            register = Register(day, household_pks=pks)
            cut = Register(D(2030, 1, 1), household_pks=pks).as_of(day)
            for policy in catalogue().values():
                expected = _reference(register, policy)
                assert register.eligible(policy).equals(expected), (pks, day, policy.id)
                assert cut.eligible(policy).equals(expected), (pks, day, policy.id)
                answered += expected.height
    assert answered > 50  # the households are eligible for something: the comparison is not of empties


def test_nobody_eligible_misses_nothing_in_the_frame_the_anti_join_gives():
    policy = catalogue()["tien-dien"]
    empty = pl.DataFrame(schema=SCHEMA)
    benefits = pl.DataFrame(schema=findings.BENEFIT_SCHEMA).with_columns(
        pl.col("delivered_on").alias("covers_from"), pl.col("delivered_on").alias("covers_to")
    )
    got = findings.missing(policy, D(2026, 5, 15), empty, benefits).frame
    keys = ["household_pk"]
    joined = empty.join(benefits.select(keys).unique(), on=keys, how="anti", nulls_equal=True)
    assert got.equals(joined.with_columns(pl.concat_str(pl.col("reason"), pl.lit("x")).alias("reason")))
