"""The classify, explain and compare commands as a user runs them: files in, files or words out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from giamngheo.cli.main import main

HOUSEHOLDS = """household_id,admin_code,area,income_per_capita_month,walls_durable,columns_durable,roof_durable,floor_area_m2,water_source,latrine,uses_telecom,has_info_device,hears_loudspeaker
001,00376,,1500000,true,true,true,60,surface_water,none,false,true,true
002,00004,,1900000,có,có,không,30,piped,septic,1,1,
003,00376,rural,2500000,true,true,true,60,piped,septic,true,true,true
"""
MEMBERS = """household_id,member_id,full_name,birth_date,highest_education,in_school,has_health_insurance,employment,sex,social_allowance,stunted,underweight
001,001-1,Nguyễn Văn Ánh,1980-05-01,upper_secondary,false,true,self_employed,male,false,,
001,001-2,Trần Thị Bé,15/03/2018,primary,true,false,not_in_labour_force,female,false,false,false
002,002-1,Lê Văn Cường,1975-01-01,university,false,true,wage_with_contract,male,false,,
003,003-1,Phạm Thị Dung,1990-01-01,college,false,true,self_employed,female,false,,
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    hh, mem = tmp_path / "households.csv", tmp_path / "members.csv"
    hh.write_text(HOUSEHOLDS, encoding="utf-8")
    mem.write_text(MEMBERS, encoding="utf-8")
    return hh, mem


def run(*args: str) -> int:
    return main(list(args))


def on_files(command: str, hh: Path, mem: Path, *more: str, as_of: str = "2025-09-01") -> int:
    """A command of the engine on the two contract files (what nearly every test here runs)."""
    return run(command, "--as-of", as_of, "--households", str(hh), "--members", str(mem), *more)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_classify_writes_every_format(files, tmp_path, suffix):
    hh, mem = files
    out = tmp_path / f"result{suffix}"
    code = on_files("classify", hh, mem, "--standard", "vn-2022-2025", "--output", str(out))
    assert code == 0
    frame = {
        ".csv": lambda p: pl.read_csv(p, schema_overrides={"household_id": pl.String}),
        ".parquet": pl.read_parquet,
        ".xlsx": lambda p: pl.read_excel(p),
    }[suffix](out)
    result = dict(
        zip(frame.get_column("household_id").cast(pl.String).str.zfill(3), frame.get_column("category"), strict=True)
    )
    # 001: rural 1.5M lacking water, latrine, telecom and a child's insurance -> poor;
    # 002: urban ward, 1.9M, 1 non-durable part only -> near-poor; 003: 2.5M rural -> other.
    assert result == {"001": "poor", "002": "near_poor", "003": "other"}
    assert {"standard", "income_line", "deprivation_count", "deprived_water"} <= set(frame.columns)


def test_ids_keep_their_leading_zeros(files, tmp_path):
    hh, mem = files
    out = tmp_path / "r.parquet"
    assert on_files("classify", hh, mem, "--output", str(out)) == 0
    assert pl.read_parquet(out).get_column("household_id").to_list() == ["001", "002", "003"]


def test_bad_input_lists_every_problem_and_writes_nothing(tmp_path, capsys):
    hh = tmp_path / "hh.csv"
    mem = tmp_path / "mem.csv"
    hh.write_text(
        "household_id,admin_code,area,income_per_capita_month,walls_durable,columns_durable,roof_durable,"
        "floor_area_m2,water_source,latrine,uses_telecom\n"
        "A,00376,rural,1.2tr,true,true,true,50,river,septic,true\n"
        "A,00376,rural,1000000,maybe,true,true,abc,piped,septic,true\n",
        encoding="utf-8",
    )
    mem.write_text(
        "household_id,member_id,birth_date,highest_education,in_school,has_health_insurance,employment\n"
        "A,m1,31/02/1990,primary,false,true,self_employed\n"
        "Z,m1,1990-01-01,phd,false,true,self_employed\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    code = on_files("classify", hh, mem, "--standard", "vn-2022-2025", "--output", str(out))
    err = capsys.readouterr().err
    assert code == 2
    assert not out.exists() and not list(tmp_path.glob(".partial-*"))
    expected = [
        f"{hh}, dòng 2, cột income_per_capita_month",  # malformed number
        f"{hh}, dòng 2, cột water_source",  # unknown code
        f"{hh}, dòng 3, cột walls_durable",  # malformed boolean
        f"{hh}, dòng 3, cột floor_area_m2",  # malformed decimal
        f"{hh}, cột has_info_device",  # missing required column
        f"{mem}, dòng 2, cột birth_date",  # impossible date
        f"{mem}, dòng 3, cột highest_education",  # unknown code
        f"{mem}, dòng 3, cột household_id",  # member of an unknown household, found in the same run
        f"{hh}, dòng 3, cột household_id",  # duplicate household id
    ]
    for fragment in expected:
        assert fragment in err, fragment


def test_structural_problems_are_reported_with_rows(files, tmp_path, capsys):
    hh, mem = files
    mem.write_text(
        MEMBERS + "009,009-1,X,1990-01-01,college,false,true,self_employed,male,false,,\n"
        "003,003-1,Y,1990-01-01,college,false,true,self_employed,male,false,,\n",
        encoding="utf-8",
    )
    code = on_files("classify", hh, mem, "--output", str(tmp_path / "o.csv"), "--lang", "en")
    err = capsys.readouterr().err
    assert code == 2
    assert f"{mem}, row 6, column household_id" in err  # member of an unknown household
    assert f"{mem}, row 5, column member_id" in err and f"{mem}, row 7, column member_id" in err  # duplicates


def test_empty_value_a_rule_needs_is_an_error(files, tmp_path, capsys):
    hh, mem = files
    # household 001 is poor with 4 deprivations; make it borderline: 2 known + an unknown child nutrition
    hh.write_text(HOUSEHOLDS.replace("60,surface_water,none,false", "60,surface_water,none,true"), encoding="utf-8")
    mem.write_text(
        MEMBERS.replace(
            "primary,true,false,not_in_labour_force,female,false,false,false",
            "primary,true,true,not_in_labour_force,female,false,,",
        ),
        encoding="utf-8",
    )
    code = on_files("classify", hh, mem, "--output", str(tmp_path / "o.csv"))
    err = capsys.readouterr().err
    assert code == 2
    assert f"{mem}, dòng 3, cột stunted/underweight" in err and "hộ 001" in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--standard", "vn-1990"], "unknown standard"),
        (["--as-of", "01/09/2025"], "malformed date"),
    ],
)
def test_unknown_standard_and_bad_date(files, tmp_path, capsys, args, message):
    hh, mem = files
    base = {"--standard": "vn-2022-2025", "--as-of": "2025-09-01"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = [
        "classify",
        *[x for kv in base.items() for x in kv],
        "--households",
        str(hh),
        "--members",
        str(mem),
        "--output",
        str(tmp_path / "o.csv"),
    ]
    assert run(*argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_explain_in_both_languages(files, capsys):
    hh, mem = files
    assert on_files("explain", hh, mem, "--household", "001") == 0
    text = capsys.readouterr().out
    assert "1.500.000 đ" in text and "Hộ nghèo" in text and "Nguồn nước sinh hoạt" in text
    assert "Trần Thị Bé (001-2)" in text  # the member behind the insurance deprivation, by name
    assert "chưa kiểm chứng" in text  # thresholds not read in the legal text are marked
    assert on_files("explain", hh, mem, "--household", "001", "--lang", "en") == 0
    english = capsys.readouterr().out
    assert "Poor" in english and "unverified" in english and "Domestic water source" in english


def test_compare_counts_moves_between_standards(files, capsys):
    hh, mem = files
    assert on_files("compare", hh, mem, "--standards", "vn-2022-2025,vn-2027-2030", "--lang", "en") == 0
    out = capsys.readouterr().out
    # 003 at 2.5M rural: "other" under both; 002 urban 1.9M: near-poor under both.
    assert "Households changing category: 0" in out
    assert "00376" in out and "00004" in out


def test_the_installed_command_runs(files, tmp_path):
    hh, mem = files
    out = tmp_path / "o.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "giamngheo.cli.main",
            "classify",
            "--as-of",
            "2025-09-01",
            "--households",
            str(hh),
            "--members",
            str(mem),
            "--output",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.exists()
