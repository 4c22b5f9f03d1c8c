"""The province summary counted from the kept summary rows gives the same numbers as the frames' path.

A synthetic register with the demo's two decisions, then edits, a load and more members: the kept
rows equal a rebuild's, and the report `ket-qua` (and the page's empty-notes) read from them equal
the report read from `ReportData.households` for the current period; a period that ended before the
latest decision is counted by the frames' path.
"""

from __future__ import annotations

import polars as pl
import pytest

from giamngheo.accounts.tests.factories import system_user
from giamngheo.registry.bulk import load_frames
from giamngheo.registry.frames import contract_frames
from giamngheo.registry.models import Household, HouseholdSummary, Member
from giamngheo.registry.services import household_update, member_update
from giamngheo.reports import selectors
from giamngheo.reports.data import ReportData
from giamngheo.reports.summary import summary_counts
from giamngheo.reports.tests.registry import synthetic_registry
from giamngheo.review.statuses import summary_rebuild

pytestmark = pytest.mark.django_db


def both_ways(monkeypatch, official, period: str):
    """(rows from the summary path, rows from the frames' path, notes of each) of `ket-qua`."""
    fast = selectors.report_table(official, "ket-qua", "14", period, with_chart=False)
    monkeypatch.setattr(ReportData, "use_summary", False)
    slow = selectors.report_table(official, "ket-qua", "14", period, with_chart=False)
    monkeypatch.setattr(ReportData, "use_summary", True)
    return fast.rows, slow.rows, (fast.notes, slow.notes)


def test_the_summary_rows_count_what_the_frames_count(monkeypatch, province_official):
    admin = system_user()
    synthetic_registry(300, seed=11)
    first = Household.objects.filter(summary__status_category="poor").order_by("pk").first()
    household_update(actor=admin, household=first, area="urban")
    head = Member.objects.filter(relation_to_head="head", is_active=True).exclude(ethnicity="01").first()
    member_update(actor=admin, member=head, ethnicity="01")  # a minority household becomes Kinh-headed
    some = Household.objects.filter(pk__in=list(Household.objects.order_by("pk").values_list("pk", flat=True)[10:20]))
    hh, members = contract_frames(some)
    head_of_many = (pl.col("relation_to_head").cast(pl.String) == "head") & (pl.len().over("household_id") > 1)
    load_frames(hh, members.filter(~head_of_many), actor=admin)  # households left without a head

    kept = {r["household_id"]: r for r in HouseholdSummary.objects.values()}
    assert len(kept) == Household.objects.count()
    summary_rebuild()
    assert kept == {r["household_id"]: r for r in HouseholdSummary.objects.values()}

    fast, slow, (fast_notes, slow_notes) = both_ways(monkeypatch, province_official, "2026")
    assert fast == slow and fast_notes == slow_notes
    assert fast[0]["poor"] > 0 and fast[0]["minority_households"] > 0 and fast[0]["average"] > 0


def test_a_period_before_the_latest_decision_is_counted_from_the_frames(monkeypatch, province_official):
    synthetic_registry(120, seed=3)
    scope, period = selectors.report_scope(province_official, "14", "2025")
    assert summary_counts(ReportData(province_official, scope, period)) is None  # June 2026's decision is later
    scope, period = selectors.report_scope(province_official, "14", "2026")
    assert summary_counts(ReportData(province_official, scope, period)) is not None
    fast, slow, notes = both_ways(monkeypatch, province_official, "2025")
    assert fast == slow and notes[0] == notes[1]


def test_an_empty_register_says_so_both_ways(monkeypatch, province_official):
    fast, slow, (fast_notes, slow_notes) = both_ways(monkeypatch, province_official, "2026")
    assert fast == slow and fast_notes == slow_notes and any("Không có hộ" in str(n) for n in fast_notes)


def test_households_but_no_decision_say_so_both_ways(monkeypatch, province_official):
    synthetic_registry(40, seed=5, decisions=False)
    fast, slow, (fast_notes, slow_notes) = both_ways(monkeypatch, province_official, "2026")
    assert fast == slow and fast_notes == slow_notes and any("Chưa có quyết định" in str(n) for n in fast_notes)
