"""Form B asks a child's stunting and schooling only for the ages the standard's indicators read them
(#13: they were asked of a 61-year-old). The ages come from each standard's YAML through its formulas."""

import datetime as dt

import pytest

from giamngheo.standards import load_standard
from giamngheo.standards.asked import asked_questions

ON = dt.date(2025, 9, 10)


def _asked(standard_id: str, *births: tuple[dt.date | None, int | None]) -> list[set[str]]:
    return [set(a) for a in asked_questions(load_standard(standard_id), ON, list(births))]


@pytest.mark.parametrize("standard_id", ["vn-2022-2025", "vn-2027-2030"])
def test_the_2022_and_2027_standards_ask_by_the_yamls_ages(standard_id):
    std = load_standard(standard_id)
    nutrition = next(i for i in std.indicators if i.id == "nutrition")
    schooling = next(i for i in std.indicators if i.id == "child_schooling")
    assert nutrition.value("child_age_below", ON) == 16 and schooling.value("age_min", ON) == 3
    sixty_one, ten, one, thirty_five = (
        (dt.date(1964, 1, 1), None),
        (dt.date(2015, 1, 1), None),
        (
            dt.date(2024, 1, 1),
            None,
        ),
        (dt.date(1990, 1, 1), None),
    )
    day_before_16, on_16th = (dt.date(2009, 9, 11), None), (dt.date(2009, 9, 10), None)
    assert _asked(standard_id, sixty_one, ten, one, thirty_five, day_before_16, on_16th) == [
        set(),  # 61: neither
        {"stunted", "underweight", "in_school"},
        {"stunted", "underweight"},  # 1: too young for school (from 3)
        set(),  # 35: past the adult-education band (16 to 30)
        {"stunted", "underweight", "in_school"},  # 15 and 364 days
        {"in_school"},  # 16 on the reference date: no longer a child for nutrition; in the 16-30 band
    ]


def test_a_member_of_unknown_age_is_asked_everything_and_a_birth_year_counts_from_1_july():
    assert _asked("vn-2022-2025", (None, None), (None, 2000)) == [
        {"stunted", "underweight", "in_school"},
        {"in_school"},  # 25: the adult-education band still reads schooling
    ]


def test_a_standard_without_a_nutrition_indicator_never_asks_stunting():
    assert _asked("vn-2016-2020", (dt.date(2015, 1, 1), None), (dt.date(1964, 1, 1), None)) == [{"in_school"}, set()]
