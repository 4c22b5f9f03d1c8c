"""Households with no working capacity: the report asks the engine who is of working age (#14 item 2).

The report once re-implemented the employment indicator's working age in SQL and rounded the
retirement age down to whole years (735 months read as 61 years), so a man of 61 years and 1 month
in 2025 was of working age for the indicator and retired for the report.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import polars as pl
import pytest

from giamngheo.accounts.tests.factories import system_user
from giamngheo.cli.demo import record_demo_history
from giamngheo.registry.bulk import load_frames
from giamngheo.registry.models import Member
from giamngheo.reports import selectors
from giamngheo.reports.period import parse_period
from giamngheo.review.models import Status
from giamngheo.review.recorded import decision_record
from giamngheo.standards import classify
from giamngheo.standards.params import resolve_standard
from giamngheo.standards.procedure import review_law
from giamngheo.synth.population import synthesize

pytestmark = pytest.mark.django_db


def _born(on: dt.date, years: int, months: int) -> dt.date:
    """A birth date `years` years and `months` months (completed) before `on`, in the middle of its month."""
    index = on.year * 12 + on.month - 1 - (years * 12 + months)
    return dt.date(index // 12, index % 12 + 1, min(on.day, 15))


def _one_member_household(period: str, sex: str | None, years: int, months: int):
    """A poor or near-poor household of one unemployed member, recognised in `period`; its facts."""
    admin = system_user()
    when = parse_period(period).reference_date
    hh, mem = synthesize("14", 20, seed=3)
    house = hh.head(1).with_columns(
        pl.lit(600_000).cast(hh.schema["income_per_capita_month"]).alias("income_per_capita_month")
    )
    born = _born(when, years, months)
    member = (
        mem.filter(pl.col("household_id") == house.item(0, "household_id"))
        .head(1)
        .with_columns(
            pl.lit(born).cast(mem.schema["birth_date"]).alias("birth_date"),
            pl.lit(sex).cast(mem.schema["sex"]).alias("sex"),
            pl.lit("head").cast(mem.schema["relation_to_head"]).alias("relation_to_head"),
            pl.lit("unemployed").cast(mem.schema["employment"]).alias("employment"),
            pl.lit(False).alias("in_school"),
            pl.lit("none").cast(mem.schema["disability"]).alias("disability"),
        )
    )
    load_frames(house, member, actor=admin)
    decided = dt.date(int(period), 9, 15)
    standard = resolve_standard("auto", when)
    results = classify(house, member, standard, decided, explain=False).with_columns(
        pl.col("category", "admin_code").cast(pl.String)
    )
    assert results.item(0, "category") in ("poor", "near_poor")
    decision_record(
        actor=admin,
        results=results,
        standard=standard,
        as_of=decided,
        kind="regular",
        decision_number="01/QĐ-UBND",
        decision_date=decided,
        fact_columns=["income_per_capita_month"],
    )
    return house, member, standard, when


@pytest.mark.parametrize(
    ("period", "sex", "years", "months", "working_age"),
    [
        ("2022", "male", 60, 3, True),  # retirement at 726 months (60 years 6 months) in 2022
        ("2022", "male", 60, 6, False),
        ("2025", "male", 61, 1, True),  # 735 months (61 years 3 months) in 2025
        ("2025", "male", 61, 3, False),
        ("2025", "female", 56, 7, True),  # 680 months (56 years 8 months) in 2025
    ],
)
def test_a_member_near_retirement_is_read_the_same_by_the_report_and_the_engine(
    province_official, period, sex, years, months, working_age
):
    house, member, standard, when = _one_member_household(period, sex, years, months)
    engine = classify(house, member, standard, when)
    # the member is unemployed: the employment indicator is deprived exactly when they are of working age
    assert engine.item(0, "deprived_employment") == int(working_age)
    groups = selectors.report_table(province_official, "nhom-doi-tuong", "14", period, with_chart=False).total_row()
    assert groups["poor"] + groups["near"] == 1
    assert groups["poor_nowork"] + groups["near_nowork"] == int(not working_age)


def test_the_count_is_a_recount_of_the_engines_working_age_members(realistic_commune, province_official):
    """On commune 03880 with the demo's decisions: the engine's members_employment, with every member
    made unemployed, lists exactly the working-age members; the report's count follows from it."""
    commune = realistic_commune
    record_demo_history(commune.households, commune.members, system_user(), seed=7)
    period = parse_period("2026")
    when = period.reference_date
    unemployed = commune.members.with_columns(
        pl.lit("unemployed").cast(commune.members.schema["employment"]).alias("employment")
    )
    engine = classify(commune.households, unemployed, resolve_standard("auto", when), when)
    working_age = {m for ids in engine.get_column("members_employment").drop_nulls() for m in ids.split(",")}

    disabled = review_law().value("no_working_capacity_disabilities", when)
    can_work = defaultdict(bool)
    for m in Member.objects.filter(is_active=True).select_related("household"):
        able = m.member_id in working_age and not m.in_school and m.disability not in disabled
        can_work[m.household.pk] |= able
    end = {}
    for s in Status.objects.filter(valid_from__lte=period.end).order_by("valid_from", "pk"):
        end[s.household_id] = s.category
    expected = {
        category: sum(1 for pk, c in end.items() if c == category and not can_work[pk])
        for category in ("poor", "near_poor")
    }
    table = selectors.report_table(province_official, "nhom-doi-tuong", "14", "2026", with_chart=False)
    total = table.total_row()
    assert (total["poor_nowork"], total["near_nowork"]) == (expected["poor"], expected["near_poor"])
    assert expected["poor"] > 0 and expected["poor"] < sum(c == "poor" for c in end.values())
    assert any("chưa kiểm chứng" in note for note in table.notes)  # the definition is B, and says so


def test_a_standard_without_a_working_age_counts_no_one_and_says_so(province_official):
    """2016-2020 has no employment indicator: the column is not computed, and the note says why."""
    _one_member_household("2020", "male", 40, 0)
    table = selectors.report_table(province_official, "nhom-doi-tuong", "14", "2020", with_chart=False)
    total = table.total_row()
    assert total["poor"] + total["near"] == 1 and total["poor_nowork"] + total["near_nowork"] == 0
    assert any("vn-2016-2020 không quy định độ tuổi lao động" in note for note in table.notes)


def test_a_household_that_hinges_on_an_unknown_sex_is_not_counted_and_the_note_says_how_many(province_official):
    """58 years old in 2025 is of working age for a man (735 months) and retired for a woman (680)."""
    _one_member_household("2025", None, 58, 0)
    table = selectors.report_table(province_official, "nhom-doi-tuong", "14", "2025", with_chart=False)
    total = table.total_row()
    assert total["poor"] + total["near"] == 1 and total["poor_nowork"] + total["near_nowork"] == 0
    assert "1 hộ chưa xác định được (thiếu ngày sinh hoặc giới tính), không tính vào cột này." in table.notes
    assert any(note.startswith("Hộ không có khả năng lao động: mọi thành viên ngoài độ tuổi") for note in table.notes)
