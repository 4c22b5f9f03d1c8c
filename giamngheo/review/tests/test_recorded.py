"""Entering a paper decision in bulk: all-or-nothing, with transitions from earlier decisions."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from giamngheo.accounts.tests.factories import household, system_user
from giamngheo.core.errors import ServiceError
from giamngheo.review.models import ReviewRound, Status
from giamngheo.review.recorded import decision_record
from giamngheo.standards.params import load_standard

pytestmark = pytest.mark.django_db
STANDARD = load_standard("vn-2022-2025")


def results(categories: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "household_id": list(categories),
            "admin_code": ["03880"] * len(categories),
            "category": list(categories.values()),
            "income_line": [1_500_000] * len(categories),
            "deprivation_count": [3] * len(categories),
            "deprived_water": [1] * len(categories),
        }
    )


def record(categories, day):
    return decision_record(
        actor=system_user(),
        results=results(categories),
        standard=STANDARD,
        as_of=day,
        kind="periodic",
        decision_number=f"{day.year}/QĐ",
        decision_date=day,
        fact_columns=[],
    )


def test_two_decisions_give_transitions_and_a_closed_round_each():
    admin = system_user()
    for i in range(2):
        household(admin, f"R{i}", "03880")
    assert record({"R0": "poor", "R1": "near_poor"}, dt.date(2025, 12, 15)) == 2
    assert record({"R0": "other", "R1": "poor"}, dt.date(2026, 6, 25)) == 2
    latest = {s.household.household_id: s.transition for s in Status.objects.filter(valid_from=dt.date(2026, 6, 25))}
    assert latest == {"R0": "escaped_poverty", "R1": "newly_poor"}
    assert set(ReviewRound.objects.values_list("step", flat=True)) == {"closed"}
    assert Status.history.count() == 4  # kept in history like every other write


def test_an_unknown_household_writes_nothing():
    household(system_user(), "R0", "03880")
    with pytest.raises(ServiceError, match="R9"):
        record({"R0": "poor", "R9": "poor"}, dt.date(2025, 12, 15))
    assert not Status.objects.exists() and not ReviewRound.objects.exists()
