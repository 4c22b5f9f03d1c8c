"""Hand-built registers for the policy tests: households of commune A with the decisions given, and
one poor household of commune B (another commune, for the scope)."""

from __future__ import annotations

import datetime as dt

from giamngheo.accounts.tests.factories import household, system_user
from giamngheo.geo.selectors import unit_by_code
from giamngheo.review.models import ReviewRound, Status

A, B = "03880", "04045"
OTHER_COMMUNES = [(dt.date(2025, 12, 12), "poor", "9/QĐ-UBND")]  # HH-B's decisions


def register_histories(histories: dict[str, list[tuple[dt.date, str, str]]], opened: dt.date) -> dict:
    """Households HH-<key> of A with each (date, category, decision number) as a status, HH-B of B;
    the rounds opened on `opened`. Returns the households by key."""
    admin = system_user()
    homes = {h: household(admin, f"HH-{h}", A) for h in histories}
    homes["B"] = household(admin, "HH-B", B)
    rounds = {
        code: ReviewRound.objects.create(
            commune=unit_by_code(code), kind="periodic", reference_date=opened, opened_by=admin
        )
        for code in (A, B)
    }
    for h, decisions in [*histories.items(), ("B", OTHER_COMMUNES)]:
        for day, category, number in decisions:
            Status.objects.create(
                household=homes[h],
                category=category,
                valid_from=day,
                review_round=rounds[B if h == "B" else A],
                decision_number=number,
                transition="",
            )
    return homes
