"""The dated rule for which standard a review round uses (`round_standard` in data/review/procedure.yaml)."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.standards.params import available_standards
from giamngheo.standards.rounds import round_rules, round_standard, round_standard_choices


@pytest.mark.parametrize(
    ("kind", "reference", "standard"),
    [
        ("periodic", dt.date(2021, 10, 1), "vn-2022-2025"),  # the end-of-2021 review prepared the 2022 list
        ("periodic", dt.date(2025, 12, 1), "vn-2022-2025"),  # 2026 keeps the 2022-2025 standard
        ("periodic", dt.date(2026, 9, 1), "vn-2027-2030"),
        ("periodic", dt.date(2026, 12, 14), "vn-2027-2030"),
        ("regular", dt.date(2026, 11, 15), "vn-2022-2025"),
        ("regular", dt.date(2026, 12, 15), "vn-2022-2025"),
        ("regular", dt.date(2027, 1, 15), "vn-2027-2030"),
        ("periodic", dt.date(2030, 10, 1), "vn-2027-2030"),  # no standard for 2031 yet: its own year's
    ],
)
def test_which_standard_a_round_uses(kind, reference, standard):
    assert round_standard(kind, reference).standard.id == standard


def test_the_rule_has_its_source_and_says_it_is_unverified():
    for rule in round_rules().values():
        assert rule.reference and "Quyết định 24/2021/QĐ-TTg" in rule.reference
        assert rule.confidence == "B" and not rule.verified  # no legal text read states it
    periodic = round_standard("periodic", dt.date(2026, 10, 1))
    assert periodic.reason("vi").endswith("chưa kiểm chứng: hiểu biết nền, cần đối chiếu.")
    assert "for 2027" in periodic.reason("en") and "unverified" in periodic.reason("en")
    assert "Chưa có chuẩn nghèo cho năm 2031" in round_standard("periodic", dt.date(2030, 10, 1)).reason("vi")


def test_the_rule_file_is_not_a_standard_and_a_round_chooses_among_its_years():
    assert available_standards() == ["vn-2016-2020", "vn-2022-2025", "vn-2027-2030"]
    assert [s.id for s in round_standard_choices(dt.date(2026, 10, 1))] == ["vn-2022-2025", "vn-2027-2030"]
    assert [s.id for s in round_standard_choices(dt.date(2025, 3, 15))] == ["vn-2022-2025"]
