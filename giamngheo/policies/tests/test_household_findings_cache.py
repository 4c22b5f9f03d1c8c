"""The household page's findings are cached under what they are computed from: a second view is
served from the cache, and a benefit, a decision or another day gives a fresh answer, never a stale one."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from giamngheo.accounts.tests.factories import system_user
from giamngheo.policies import selectors
from giamngheo.policies.catalogue import catalogue
from giamngheo.policies.eligibility import Register
from giamngheo.policies.findings import household_benefits
from giamngheo.policies.services import benefit_record
from giamngheo.policies.tests.histories import register_histories
from giamngheo.review.models import ReviewRound, Status

pytestmark = pytest.mark.django_db
D = dt.date
ON = D(2026, 5, 15)


def _missing(found) -> set[str]:
    return set(found.missing.get_column("policy_id").to_list())


def _uncached(home, on):
    policies = catalogue()
    register = Register(on, household_pks=[home.pk])
    benefits = household_benefits(home.pk, list(policies), delivered_on__lte=on)
    return selectors._household_findings(policies, register, benefits, on)


def test_a_second_view_is_served_from_the_cache_with_the_same_answer(monkeypatch):
    home = register_histories({"P": [(D(2025, 12, 12), "poor", "45/QĐ-UBND")]}, opened=D(2025, 9, 1))["P"]
    first = selectors.household_findings(home, ON)
    assert "tien-dien" in _missing(first)
    fresh = _uncached(home, ON)
    assert first.missing.equals(fresh.missing) and first.overlaps.equals(fresh.overlaps)

    def computed_again(*args):
        raise AssertionError("computed again although nothing it reads changed")

    monkeypatch.setattr(selectors, "_household_findings", computed_again)
    again = selectors.household_findings(home, ON)
    assert again.missing.equals(first.missing)


def test_a_benefit_a_decision_or_another_day_is_never_answered_from_a_stale_entry():
    home = register_histories({"P": [(D(2025, 12, 12), "poor", "45/QĐ-UBND")]}, opened=D(2025, 9, 1))["P"]
    assert "tien-dien" in _missing(selectors.household_findings(home, ON))
    benefit_record(actor=system_user(), household=home, policy_id="tien-dien", delivered_on=D(2026, 4, 30))
    assert "tien-dien" not in _missing(selectors.household_findings(home, ON))  # the ledger changed
    assert "tien-dien" in _missing(selectors.household_findings(home, D(2026, 7, 15)))  # the next quarter
    Status.objects.create(
        household=home,
        category="average",
        valid_from=D(2026, 5, 1),
        review_round=ReviewRound.objects.get(commune=home.unit),
        decision_number="60/QĐ-UBND",
        transition="",
    )
    after = selectors.household_findings(home, ON)  # off the lists: no poor household's policy is missing
    assert after.missing.filter(pl.col("reason").str.contains("hộ nghèo theo")).is_empty()
    assert after.missing.equals(_uncached(home, ON).missing)
