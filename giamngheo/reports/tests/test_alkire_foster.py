"""Alkire-Foster measures against the published worked examples, and the mpi command."""

from __future__ import annotations

import json
from fractions import Fraction

import polars as pl
import pytest

from giamngheo.cli.main import main
from giamngheo.reports.alkire_foster import alkire_foster, nested_weights


def write(tmp_path, rows, columns, name="d.csv"):
    path = tmp_path / name
    lines = [",".join(["id", *columns])] + [",".join([str(i + 1), *map(str, r)]) for i, r in enumerate(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def mpi(tmp_path, capsys, rows, columns, k, weights=None):
    argv = ["mpi", "--deprivations", str(write(tmp_path, rows, columns)), "--k", str(k)]
    if weights:
        argv += ["--weights", ",".join(map(str, weights))]
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


# Alkire and Foster (2011), section 3: achievements y = [(13.1, 14, 4, 1), (15.2, 7, 5, 0),
# (12.5, 10, 1, 0), (20, 11, 3, 1)] against z = (13, 12, 3, 1) give the deprivation matrix below,
# counts c = (0, 2, 4, 1); with k = 2 of 4 the paper reports H = 1/2, A = 3/4, M0 = 3/8.
AF2011 = [(0, 0, 0, 0), (0, 1, 0, 1), (1, 1, 1, 1), (0, 1, 0, 0)]
DIMS = ["income", "schooling", "bmi", "health_insurance"]


def test_alkire_foster_2011_worked_example(tmp_path, capsys):
    out = mpi(tmp_path, capsys, AF2011, DIMS, 0.5)
    assert (out["H"], out["A"], out["M0"]) == (0.5, 0.75, 0.375)
    # censoring removes person 4's schooling deprivation: g0(k) headcounts 1/4, 2/4, 1/4, 2/4
    assert out["censored_headcount"] == {"income": 0.25, "schooling": 0.5, "bmi": 0.25, "health_insurance": 0.5}
    assert out["contribution"] == pytest.approx(
        {"income": 1 / 6, "schooling": 1 / 3, "bmi": 1 / 6, "health_insurance": 1 / 3}
    )
    assert sum(out["contribution"].values()) == pytest.approx(1)


def test_union_and_intersection_are_the_extremes(tmp_path, capsys):
    union = mpi(tmp_path, capsys, AF2011, DIMS, 0.25)  # any deprivation
    assert union["H"] == 0.75 and union["M0"] == pytest.approx(7 / 16)
    intersection = mpi(tmp_path, capsys, AF2011, DIMS, 1)  # all deprivations
    assert intersection["H"] == 0.25 and intersection["A"] == 1 and intersection["M0"] == 0.25


# Alkire et al. (2015), Multidimensional Poverty Measurement and Analysis, chapter 5, Box 5.5:
# two societies with deprivation scores c = (0, 0.5, 1, 0.25) and c' = (0, 0.5, 0.5, 0.5), equal
# weights, k = 0.5: the same M0 (0.375) from H = 0.5, A = 0.75 and from H = 0.75, A = 0.5.
BOX_55_X = [(0, 0, 0, 0), (1, 0, 1, 0), (1, 1, 1, 1), (0, 1, 0, 0)]
BOX_55_X2 = [(0, 0, 0, 0), (1, 0, 1, 0), (0, 1, 0, 1), (1, 1, 0, 0)]


def test_same_m0_different_composition(tmp_path, capsys):
    first = mpi(tmp_path, capsys, BOX_55_X, DIMS, 0.5)
    second = mpi(tmp_path, capsys, BOX_55_X2, DIMS, 0.5)
    assert (first["H"], first["A"], first["M0"]) == (0.5, 0.75, 0.375)
    assert (second["H"], second["A"], second["M0"]) == (0.75, 0.5, 0.375)


def test_k_of_a_quarter_counts_exactly_3_of_12():
    indicators = [f"i{j}" for j in range(12)]
    three = [1, 1, 1] + [0] * 9
    two = [1, 1] + [0] * 10
    frame = pl.DataFrame([three, two], schema=indicators, orient="row")
    result = alkire_foster(frame, indicators, 0.25)
    assert result.poor == 1 and result.H == 0.5 and result.A == 0.25
    # the same with weights that only sum to 1 after normalisation, given as decimals
    result = alkire_foster(frame, indicators, "0.25", [0.1] * 12)
    assert result.poor == 1


def test_weights_are_normalised(tmp_path, capsys):
    equal = mpi(tmp_path, capsys, AF2011, DIMS, 0.5)
    scaled = mpi(tmp_path, capsys, AF2011, DIMS, 0.5, weights=[2, 2, 2, 2])
    assert equal == scaled
    # income counts half: person 2 (schooling + insurance = 1/6 + 1/6) is not poor at k = 0.5
    weighted = mpi(tmp_path, capsys, AF2011, DIMS, 0.5, weights=[3, 1, 1, 1])
    assert weighted["H"] == 0.25 and weighted["M0"] == 0.25


def test_nested_weights_of_the_vietnamese_standard():
    dims = {
        "employment": ["employment", "dependants"],
        "health": ["nutrition", "health_insurance"],
        "education": ["adult_education", "child_schooling"],
        "housing": ["housing_quality", "housing_area"],
        "water": ["water", "latrine"],
        "information": ["telecom", "information_access"],
    }
    w = nested_weights(dims)
    assert sum(w.values()) == 1 and w["employment"] == Fraction(1, 12)
    uneven = nested_weights({"a": ["x"], "b": ["y", "z"]})
    assert uneven == {"x": Fraction(1, 2), "y": Fraction(1, 4), "z": Fraction(1, 4)}


def test_nobody_poor_gives_zeros(tmp_path, capsys):
    out = mpi(tmp_path, capsys, [(0, 0, 0, 0), (1, 0, 0, 0)], DIMS, 0.5)
    assert out["H"] == 0 and out["A"] == 0 and out["M0"] == 0 and set(out["contribution"].values()) == {0}


@pytest.mark.parametrize(
    "content, args, message",
    [
        ("id,a,b\n1,1,2\n", ["--k", "0.5"], "row 2, column b"),
        ("id,a,b\n1,1,\n", ["--k", "0.5"], "row 2, column b"),
        ("x,a,b\n1,1,0\n", ["--k", "0.5"], "column id"),
        ("id,a,b\n1,1,0\n", ["--k", "0"], "invalid argument"),
        ("id,a,b\n1,1,0\n", ["--k", "1.5"], "invalid argument"),
        ("id,a,b\n1,1,0\n", ["--k", "0.5", "--weights", "1,2,3"], "expected 2 weights"),
    ],
)
def test_bad_input_exits_2(tmp_path, capsys, content, args, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    assert main(["mpi", "--deprivations", str(path), "--lang", "en", *args]) == 2
    assert message in capsys.readouterr().err
