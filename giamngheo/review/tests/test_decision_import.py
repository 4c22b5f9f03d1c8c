"""Bringing the current register in: a decision on paper or in Excel recorded as recognition records one."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import household, system_user, user_with_role
from giamngheo.core.errors import AccessDenied, ServiceError
from giamngheo.core.models import AuditEvent
from giamngheo.geo.selectors import unit_by_code
from giamngheo.review.decisions import category_of, decision_check, decision_import
from giamngheo.review.models import ReviewRound, Status
from giamngheo.standards.problems import InputError

pytestmark = pytest.mark.django_db
A, B = "03880", "04045"
DAY = dt.date(2025, 12, 15)


@pytest.fixture
def commune():
    admin = system_user()
    for hid in ("001001", "001002", "001003"):
        household(admin, hid, A, members=0)
    household(admin, "002001", B, members=0)
    return unit_by_code(A)


def rows(*pairs):
    return [{"household_id": h, "category": c, "_row": i + 2} for i, (h, c) in enumerate(pairs)]


def record(unit, pairs, number="15/QĐ-UBND", day=DAY, actor=None, kind="periodic"):
    return decision_import(
        actor=actor or system_user(), unit=unit, number=number, date=day, kind=kind, rows=rows(*pairs), file="qd.csv"
    )


def test_a_decision_is_recorded_as_recognition_records_one(commune):
    result = record(commune, [("001001", "poor"), ("001002", "near_poor"), ("001003", "other")])
    assert result.written == 3 and result.counts == {"poor": 1, "near_poor": 1, "other": 1}
    review_round = ReviewRound.objects.get(pk=result.review_round.pk)
    assert (review_round.step, review_round.decision_number, review_round.decision_date) == (
        "closed",
        "15/QĐ-UBND",
        DAY,
    )
    statuses = {s.household.household_id: s for s in Status.objects.filter(review_round=review_round)}
    assert {h: (s.category, s.transition, s.source) for h, s in statuses.items()} == {
        "001001": ("poor", "newly_poor", "decision"),
        "001002": ("near_poor", "newly_near_poor", "decision"),
        "001003": ("other", "not_poor", "decision"),
    }
    assert all(s.from_decision and s.valid_from == DAY for s in statuses.values())
    assert Status.history.filter(history_user=system_user()).count() == 3  # attributed, in history
    event = AuditEvent.objects.get(verb="review.decision_import")
    assert event.data["households"] == 3 and event.data["file"] == "qd.csv"


def test_a_later_decision_records_the_transition(commune):
    record(_predecessor_of(A), [("001001", "poor")], number="1/QĐ", day=dt.date(2024, 12, 15))  # its commune then
    record(commune, [("001001", "hộ cận nghèo")], number="2/QĐ", day=DAY)
    latest = Status.objects.get(household__household_id="001001", valid_from=DAY)
    assert (latest.category, latest.transition) == ("near_poor", "escaped_to_near_poor")


def test_an_older_decision_after_a_newer_one_is_refused(commune):
    record(commune, [("001001", "poor")], number="2/QĐ", day=DAY)
    with pytest.raises(InputError) as caught:
        record(_predecessor_of(A), [("001001", "near_poor")], number="1/QĐ", day=dt.date(2024, 12, 15))
    assert "record older decisions first" in caught.value.report("en")
    assert Status.objects.count() == 1


def test_a_second_decision_of_the_same_day_for_a_household_is_refused(commune):
    """Both were recorded: three statuses of one date, and a household poor for no day came out
    'newly escaped' (eligible for the newly-escaped loan for 36 months)."""
    record(commune, [("001001", "poor"), ("001002", "poor")], number="11/QĐ-UBND")
    with pytest.raises(InputError) as caught:
        record(commune, [("001003", "poor"), ("001002", "other")], number="12/QĐ-UBND")
    (problem,) = caught.value.problems
    assert (problem.row, problem.column, problem.household_id) == (3, "household_id", "001002")
    assert "one status a day" in caught.value.report("en") and "cùng ngày 15/12/2025" in caught.value.report("vi")
    assert Status.objects.count() == 2 and ReviewRound.objects.count() == 1


@pytest.mark.parametrize("typed", ["11/qđ-ubnd", "11/QÐ-UBND", "11/QĐ\u2013UBND", "11 / QĐ-UBND", " 11/QĐ-UBND "])
def test_the_same_number_typed_another_way_is_the_same_decision(commune, typed):
    """A lower-case number, an eth for Đ, an en dash or spaces recorded the same decision twice."""
    record(commune, [("001001", "poor")], number="11/QĐ-UBND")
    assert record(commune, [("001001", "poor")], number=typed).already_recorded
    with pytest.raises(ServiceError, match="other content"):
        record(commune, [("001001", "near_poor")], number=typed)
    assert Status.objects.count() == 1


def test_one_bad_row_writes_nothing_and_every_error_is_named_by_row_and_column(commune):
    before = (ReviewRound.objects.count(), Status.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InputError) as caught:
        record(
            commune,
            [
                ("001001", "poor"),  # row 2, good
                ("999999", "poor"),  # row 3, unknown household
                ("002001", "poor"),  # row 4, another commune's
                ("001002", "giàu"),  # row 5, unknown category
                ("001001", "near_poor"),  # row 6, duplicate of row 2
                ("", "poor"),  # row 7, empty id
                ("001003", ""),  # row 8, empty category
                ("", ""),  # row 9, a blank line: no row, no error
            ],
        )
    found = {(p.row, p.column): (p.message_vi, p.message_en) for p in caught.value.problems}
    assert set(found) == {
        (3, "household_id"),
        (4, "household_id"),
        (5, "category"),
        (6, "household_id"),
        (7, "household_id"),
        (8, "category"),
    }
    assert found[(3, "household_id")] == ("không có hộ này trong sổ", "unknown household (not in the registry)")
    assert "another commune" in found[(4, "household_id")][1] and "xã khác" in found[(4, "household_id")][0]
    assert "giàu" in found[(5, "category")][1] and "unknown category" in found[(5, "category")][1]
    assert "dòng 2" in found[(6, "household_id")][0] and "duplicate" in found[(6, "household_id")][1]
    assert "trống" in found[(7, "household_id")][0] and "empty" in found[(8, "category")][1]
    assert all(p.file == "qd.csv" for p in caught.value.problems)
    assert (ReviewRound.objects.count(), Status.objects.count(), AuditEvent.objects.count()) == before


def test_the_same_decision_again_writes_nothing(commune):
    pairs = [("001001", "poor"), ("001002", "near_poor")]
    record(commune, pairs)
    before = (ReviewRound.objects.count(), Status.objects.count(), Status.history.count(), AuditEvent.objects.count())
    again = record(commune, list(reversed(pairs)))
    assert again.already_recorded and again.written == 0 and "already recorded" in again.summary()
    after = (ReviewRound.objects.count(), Status.objects.count(), Status.history.count(), AuditEvent.objects.count())
    assert after == before


def test_the_same_number_with_other_content_is_refused(commune):
    record(commune, [("001001", "poor")])
    with pytest.raises(ServiceError, match="other content"):
        record(commune, [("001001", "near_poor")])
    with pytest.raises(ServiceError, match="other content"):
        record(commune, [("001001", "poor")], day=dt.date(2025, 12, 16))
    with pytest.raises(ServiceError, match="other content"):  # was "already recorded": a regular round is not it
        record(commune, [("001001", "poor")], kind="regular")
    assert Status.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("hộ nghèo", "poor"),
        ("HỘ NGHÈO", "poor"),
        ("ho ngheo", "poor"),
        ("Hộ cận nghèo", "near_poor"),
        ("near-poor", "near_poor"),
        ("hộ không nghèo", "other"),
        ("Khác", "other"),
        ("other", "other"),
        ("giàu", None),
    ],
)
def test_vietnamese_labels_in_any_case_or_marks(text, category):
    assert category_of(text) == category


def test_the_preview_writes_nothing_and_counts(commune):
    result = decision_check(
        actor=system_user(),
        unit=commune,
        number="15/QĐ",
        date=DAY,
        kind="periodic",
        rows=rows(("001001", "Hộ nghèo"), ("001002", "hộ nghèo")),
    )
    assert result.counts == {"poor": 2} and not result.already_recorded
    assert not Status.objects.exists() and not ReviewRound.objects.exists()


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        (Role.REVIEWER, A),
        (Role.VILLAGE_HEAD, A),
        (Role.COMMUNE_OFFICIAL, B),
        (Role.COMMUNE_CHAIR, B),
        (Role.NATIONAL_VIEWER, None),
        (Role.PROVINCE_OFFICIAL, "01"),
    ],
)
def test_those_who_may_not_record_a_decision_are_refused(commune, role, unit):
    with pytest.raises(AccessDenied):
        record(commune, [("001001", "poor")], actor=user_with_role(role, unit))
    assert not Status.objects.exists() and not ReviewRound.objects.exists()


@pytest.mark.parametrize(
    ("role", "unit"), [(Role.COMMUNE_OFFICIAL, A), (Role.COMMUNE_CHAIR, A), (Role.PROVINCE_OFFICIAL, "14")]
)
def test_the_commune_office_and_its_province_may_record(commune, role, unit):
    actor = user_with_role(role, unit)
    assert record(commune, [("001001", "poor")], actor=actor).written == 1
    assert Status.history.get().history_user == actor


def test_a_province_is_not_a_commune(commune):
    with pytest.raises(ServiceError, match="commune"):
        record(unit_by_code("14"), [("001001", "poor")])


def test_a_bad_kind_or_number_is_refused(commune):
    with pytest.raises(ServiceError):
        record(commune, [("001001", "poor")], kind="yearly")
    with pytest.raises(ServiceError):
        record(commune, [("001001", "poor")], number="  ")


def _predecessor_of(code: str):
    from giamngheo.geo.models import UnitSuccession

    return UnitSuccession.objects.filter(new=unit_by_code(code)).select_related("old").first().old


def test_a_decision_before_the_commune_existed_is_its_predecessors(commune):
    """The attack of 06/12/2026: a 2024 decision was recorded under a commune of 1 July 2025."""
    with pytest.raises(ServiceError) as caught:
        record(commune, [("001001", "poor")], day=dt.date(2024, 12, 15))
    assert "01/07/2025" in caught.value.message_vi and "predecessor" in caught.value.message_en
    old = _predecessor_of(A)
    result = record(old, [("001001", "poor"), ("001002", "near_poor")], day=dt.date(2024, 12, 15), number="50/QĐ")
    assert result.counts == {"poor": 1, "near_poor": 1}  # its households are the new commune's now
    assert set(ReviewRound.objects.values_list("commune__code", flat=True)) == {old.code}
    with pytest.raises(ServiceError, match="successor"):
        record(old, [("001003", "poor")], day=dt.date(2025, 12, 15), number="51/QĐ")


def test_a_decision_no_standard_covers_is_a_typing_slip(commune):
    with pytest.raises(ServiceError, match="No poverty standard"):
        record(_predecessor_of(A), [("001001", "poor")], day=dt.date(1900, 1, 1))
    assert not Status.objects.exists()


def test_the_command_finds_the_old_commune_by_the_decisions_date(tmp_path, commune, capsys):
    from giamngheo.cli.main import main

    old = _predecessor_of(A)
    path = tmp_path / "qd.csv"
    path.write_text("household_id,category\n001001,poor\n", encoding="utf-8")
    args = ["decision", "import", str(path), "--unit", old.code, "--number", "50/QĐ", "--date", "15/12/2024"]
    assert main(args) == 0, capsys.readouterr().err
    assert ReviewRound.objects.get().commune == old
