"""Every service that records a status or a Form B keeps the households' summary rows fresh.

The kept rows are compared with `summary_rebuild`'s; without the service's `summary_refresh` line the
status columns (or, for Form B, the facts) lag and the test fails.
"""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.core import clock
from giamngheo.registry.models import Household, HouseholdSummary
from giamngheo.review import services as review
from giamngheo.review.models import Listed, Status
from giamngheo.review.statuses import summary_rebuild
from giamngheo.review.tests.test_recorded import record
from giamngheo.review.tests.test_round import (  # noqa: F401  (fixtures)
    NEAR_FACTS,
    POOR_FACTS,
    RICH_FACTS,
    households,
    people,
    run_round,
)

pytestmark = pytest.mark.django_db


def assert_fresh() -> dict[str, dict]:
    """The kept rows equal a rebuild's; returns them by household id."""
    kept = {r["household_id"]: r for r in HouseholdSummary.objects.values()}
    summary_rebuild()
    assert kept == {r["household_id"]: r for r in HouseholdSummary.objects.values()}
    names = dict(Household.objects.values_list("pk", "household_id"))
    return {names[pk]: row for pk, row in kept.items()}


def test_a_recorded_decision_refreshes_the_latest_status(households):  # noqa: F811
    record({"H0": "poor", "H1": "near_poor"}, dt.date(2025, 12, 15))
    summary_rebuild()  # fresh before: only the second decision's refresh is tested
    record({"H0": "other"}, dt.date(2026, 6, 25))
    rows = assert_fresh()
    latest = Status.objects.get(household__household_id="H0", valid_from=dt.date(2026, 6, 25))
    assert (rows["H0"]["status_category"], rows["H0"]["status_id"]) == ("other", latest.pk)
    assert (rows["H1"]["status_category"], rows["H1"]["deprivation_count"]) == ("near_poor", 3)
    assert rows["H2"]["status_category"] is None


def test_form_b_and_recognition_refresh_the_rows(people, households):  # noqa: F811
    r = run_round(people, households, [{**POOR_FACTS, "area": "urban"}, NEAR_FACTS, RICH_FACTS], recognise=False)
    rows = assert_fresh()  # Form B wrote the facts; no status yet
    assert (rows["H0"]["area"], rows["H0"]["status_category"]) == ("urban", None)
    summary_rebuild()
    with clock.fixed(r.posting_end + dt.timedelta(days=2)):
        review.round_recognise(
            actor=people["chair"],
            review_round=r,
            decision_number="9/QĐ-UBND",
            decision_date=r.posting_end + dt.timedelta(days=2),
        )
    rows = assert_fresh()
    listed = Listed.objects.get(household__household_id="H0", review_round=r)
    assert (rows["H0"]["status_category"], rows["H0"]["round_id"]) == ("poor", r.pk)
    assert rows["H0"]["classification_id"] == listed.classification_id
    assert rows["H1"]["status_category"] == "near_poor"


def test_an_imported_decision_refreshes_the_latest_status():
    from giamngheo.accounts.tests.factories import household, system_user
    from giamngheo.geo.selectors import unit_by_code
    from giamngheo.review.decisions import decision_import

    admin = system_user()
    for hid in ("001001", "001002"):
        household(admin, hid, "03880", members=1)
    summary_rebuild()  # fresh before: only the import's refresh is tested
    decision_import(
        actor=admin,
        unit=unit_by_code("03880"),
        number="15/QĐ-UBND",
        date=dt.date(2025, 12, 15),
        kind="periodic",
        rows=[{"household_id": "001001", "category": "poor", "_row": 2}],
        file="qd.csv",
    )
    rows = assert_fresh()
    assert (rows["001001"]["status_category"], rows["001002"]["status_category"]) == ("poor", None)
