"""The door to the register: one rule for "latest recognised status", and its readers agree on it."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.accounts.access import area_scope
from giamngheo.accounts.tests.factories import household, system_user
from giamngheo.geo.selectors import unit_by_code
from giamngheo.review.models import ReviewRound, Status
from giamngheo.review.statuses import category_histories, latest_statuses, status_history

pytestmark = pytest.mark.django_db
A, B = "03880", "04045"
ON = dt.date(2026, 3, 1)


@pytest.fixture
def register():
    admin = system_user()
    homes = {h: household(admin, h, code) for h, code in (("H1", A), ("H2", A), ("H3", A), ("HB", B))}
    rounds = {
        code: ReviewRound.objects.create(
            commune=unit_by_code(code), kind="periodic", reference_date=dt.date(2025, 9, 1), opened_by=admin
        )
        for code in (A, B)
    }

    def status(h, category, day):
        home = homes[h]
        return Status.objects.create(
            household=home,
            category=category,
            valid_from=day,
            review_round=rounds[A if home.unit.code == A else B],
            decision_number="1/QĐ",
            transition="",
        )

    # H1: poor, then near-poor; two decisions the same day: the one recorded last counts
    status("H1", "poor", dt.date(2025, 1, 10))
    status("H1", "average", dt.date(2025, 12, 20))
    status("H1", "near_poor", dt.date(2025, 12, 20))
    # H2: recognised poor only after ON
    status("H2", "near_poor", dt.date(2025, 1, 10))
    status("H2", "poor", dt.date(2026, 6, 1))
    status("HB", "poor", dt.date(2025, 1, 10))  # another commune
    return homes  # H3 never recognised


def test_latest_statuses_of_a_scope_on_a_date(register):
    scope = area_scope(system_user(), unit_by_code(A, ON), on=ON)
    latest = {
        pk: (category, since)
        for pk, category, since in latest_statuses(scope, ON)
        .select("household_pk", "category", "valid_from")
        .iter_rows()
    }
    assert latest == {
        register["H1"].pk: ("near_poor", dt.date(2025, 12, 20)),
        register["H2"].pk: ("near_poor", dt.date(2025, 1, 10)),  # the June decision is not yet in force
    }
    later = latest_statuses(scope, dt.date(2026, 6, 1))
    assert dict(later.select("household_pk", "category").iter_rows())[register["H2"].pk] == "poor"


def test_histories_are_in_recognition_order(register):
    histories = category_histories([register[h].pk for h in ("H1", "H3", "HB")])
    assert histories == {register["H1"].pk: ["poor", "average", "near_poor"], register["HB"].pk: ["poor"]}
    frame = status_history([unit_by_code(B, ON).pk])
    assert frame.get_column("household_pk").to_list() == [register["HB"].pk]
    assert frame.get_column("valid_from").to_list() == [dt.date(2025, 1, 10)]


def test_the_partner_export_reads_the_same_latest_status(register):
    from giamngheo.exchange.exporting import partner_frame, unit_scope

    admin = system_user()
    frame = partner_frame(admin, unit_scope(admin, unit_by_code(A)), "payment")
    assert dict(zip(frame["household_id"], frame["category"], strict=True)) == {"H1": "near_poor", "H2": "poor"}


def test_decided_history_gives_each_status_with_its_decision_as_of_a_date(register):
    from giamngheo.review.statuses import decided_history

    scope = area_scope(system_user(), unit_by_code(A, ON), on=ON)
    frame = decided_history(scope, ON)
    rows = frame.select("household_pk", "category", "valid_from", "decision_number").rows()
    h1, h2 = register["H1"].pk, register["H2"].pk
    assert rows == [
        (h1, "poor", dt.date(2025, 1, 10), "1/QĐ"),
        (h1, "average", dt.date(2025, 12, 20), "1/QĐ"),
        (h1, "near_poor", dt.date(2025, 12, 20), "1/QĐ"),
        (h2, "near_poor", dt.date(2025, 1, 10), "1/QĐ"),  # H2's June decision is after ON; HB is another commune
    ]
    only = decided_history(None, dt.date(2026, 6, 1), household_pks=[h2])
    assert only.get_column("category").to_list() == ["near_poor", "poor"]
