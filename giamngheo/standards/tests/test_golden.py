"""Every output column (category, flags, counts, members behind each indicator) and every problem
text equal what the engine gave before its speed work (fixtures written by golden/regenerate.py)."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from giamngheo.geo.unit_tables import unit_areas
from giamngheo.standards import InputError, classify

from .golden_cases import HERE, cases, error_cases

CASES = dict(cases(unit_areas))
ERRORS = dict(error_cases())


@pytest.mark.parametrize("name", list(CASES))
def test_same_result_as_before(name):
    expected = pl.read_parquet(HERE / f"expected-{name}.parquet")
    assert_frame_equal(classify(**CASES[name]), expected, check_exact=True)


@pytest.mark.parametrize("name", list(ERRORS))
def test_same_problems_as_before(name):
    with pytest.raises(InputError) as caught:
        classify(**ERRORS[name])
    expected = (HERE / f"expected-errors-{name}.txt").read_text(encoding="utf-8")
    assert caught.value.report("en") + "\n" == expected
