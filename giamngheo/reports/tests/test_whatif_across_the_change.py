"""A what-if across the change of standard (#11.18): in January 2027 the standard in force asks for
facts (waste, internet, dependants) that households surveyed under 2022-2025 lack. The what-if
"under vn-2022-2025" must still count them, and say which households the 2027 standard could not
classify and for want of which facts."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.core import clock
from giamngheo.reports import selectors

pytestmark = pytest.mark.django_db


def test_a_what_if_under_the_old_standard_counts_households_the_new_one_cannot_classify():
    admin = system_user()
    for i in range(4):  # 900.000 đ, nothing deprived under 2022-2025: near-poor; no waste or internet facts
        household(admin, f"P{i}", "03880", members=2, income_per_capita_month=900_000)
    household(admin, "R0", "03880", members=2, income_per_capita_month=5_000_000)  # above both lines
    official = user_with_role(Role.PROVINCE_OFFICIAL, "14")
    with clock.fixed(dt.date(2027, 1, 5)):
        table, moves = selectors.whatif(official, "14", standard="vn-2022-2025")
    total = table.total_row()
    assert total["households"] == 5
    assert (total["poor_before"], total["near_poor_before"]) == (0, 0)  # under vn-2027-2030: left out
    assert (total["poor_after"], total["near_poor_after"]) == (0, 4)  # under vn-2022-2025: counted
    assert total["changed"] == 0 and int(moves.get_column("households").sum()) == 1  # R0, classified by both
    note = next(n for n in table.notes if n.startswith("4 hộ không tính được"))
    assert "theo chuẩn vn-2027-2030" in note and "waste_treated" in note and "uses_internet" in note
    assert "P0, P1, P2, P3" in note
