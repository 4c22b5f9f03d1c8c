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


@pytest.mark.parametrize("standard_id", ["vn-2022-2025", "vn-2027-2030", "vn-2016-2020"])
def test_the_births_asked_are_the_ones_asked_questions_asks(standard_id):
    """The XLSForm's `relevant` is written from these runs: every birth inside one is asked, every
    birth just outside is not, as `asked_questions` decides birth by birth (no age written twice)."""
    from giamngheo.standards.asked import asked_births

    std = load_standard(standard_id)
    runs = asked_births(std, ON, dt.date(1900, 1, 1))
    for name, asked in runs.items():
        for first, last in asked.dates:
            edges = [first, last, first - dt.timedelta(days=1), last + dt.timedelta(days=1)]
            got = asked_questions(std, ON, [(d, None) for d in edges], [name])
            assert [name in a for a in got] == [True, True, first == dt.date(1900, 1, 1), last == ON], (name, edges)
        for first, last in asked.years:
            got = asked_questions(std, ON, [(None, y) for y in (first, last, first - 1, last + 1)], [name])
            assert [name in a for a in got] == [True, True, first == 1900, last == ON.year], (name, first, last)
        assert asked.unknown == (name in asked_questions(std, ON, [(None, None)], [name])[0])


def test_the_2022_standards_runs_are_its_yamls_ages():
    """Nutrition: under 16 on the reference date; schooling: 3 to 30 (the child band and the adult band)."""
    from giamngheo.standards.asked import asked_births

    runs = asked_births(load_standard("vn-2022-2025"), ON, dt.date(1900, 1, 1))
    assert runs["stunted"].dates == ((dt.date(2009, 9, 11), ON),) and runs["stunted"].years == ((2010, 2025),)
    assert runs["in_school"].dates == ((dt.date(1994, 9, 11), dt.date(2022, 9, 10)),)
    assert runs["in_school"].unknown and runs["stunted"].unknown
    old = asked_births(load_standard("vn-2016-2020"), ON, dt.date(1900, 1, 1))
    assert not old["stunted"].ever and old["in_school"].ever


def _household_of(*members: dict):
    """A 2022-2025 case file's default household with these members (in_school None: left out)."""
    from giamngheo.standards.tests.casefile import frames, load_cases

    case = next(c for c in load_cases() if c["_file"].startswith("vn-2022-2025/"))
    return frames({**case, "members": list(members)})


def test_the_engine_needs_schooling_only_where_it_decides_an_indicator():
    """#13: Form B no longer asks a 61-year-old about school, so the engine classifies without it;
    a 10-year-old's left empty is still refused (the schooling indicator would be undecided)."""
    from giamngheo.standards import InputError, classify

    hh, members, on = _household_of({"age": 61, "in_school": None}, {"age": 35, "in_school": None})
    assert classify(hh, members, "vn-2022-2025", on).height == 1
    hh, members, on = _household_of({"age": 61, "in_school": None}, {"age": 10, "in_school": None})
    with pytest.raises(InputError) as refused:
        classify(hh, members, "vn-2022-2025", on)
    assert [(p.row, p.column) for p in refused.value.problems] == [(3, "in_school")]  # the child's row
    assert "required value is empty" in refused.value.problems[0].text("en")
