"""Run every YAML example case through classify() and check category and deprivations."""

from __future__ import annotations

import pytest

from giamngheo.geo.unit_tables import unit_areas
from giamngheo.standards import InputError, classify

from .casefile import frames, load_cases

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[f"{c['_file']}: {c['name']}" for c in CASES])
def test_case(case):
    hh, members, as_of = frames(case)
    standard = case.get("standard", case["_doc"]["standard"])
    expect = case["expect"]
    if "error_column" in expect:
        with pytest.raises(InputError) as caught:
            classify(hh, members, standard, as_of, unit_areas=unit_areas(as_of))
        columns = " ".join(p.column or "" for p in caught.value.problems)
        assert expect["error_column"] in columns
        return
    result = classify(hh, members, standard, as_of, unit_areas=unit_areas(as_of)).row(0, named=True)
    assert result["category"] == expect["category"]
    deprived = sorted(k.removeprefix("deprived_") for k, v in result.items() if k.startswith("deprived_") and v == 1)
    if "deprived" in expect:
        assert deprived == sorted(expect["deprived"])
    if "income_line" in expect:
        assert result["income_line"] == expect["income_line"]
    if "area" in expect:
        assert result["area"] == expect["area"]
    if "multidimensional_deprived" in expect:
        assert result["multidimensional_deprived"] == expect["multidimensional_deprived"]
    if "members" in expect:
        for indicator, who in expect["members"].items():
            assert result[f"members_{indicator}"] == who


def test_every_standard_has_cases():
    assert {c["_doc"]["standard"] for c in CASES} == {"vn-2016-2020", "vn-2022-2025", "vn-2027-2030"}
