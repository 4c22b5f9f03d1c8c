"""Every workbook and CSV the app writes goes through here, so a name or village typed as
`=HYPERLINK(...)` or `=1+1` stays text: no formula cell in a workbook, no CSV cell that a
spreadsheet would run (values starting with = + - @ tab or carriage return get a leading ').
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import polars as pl
import xlsxwriter

SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
RUNNABLE = ("=", "+", "-", "@", "\t", "\r")


def workbook(target: str | Path | IO[bytes], **options: Any) -> xlsxwriter.Workbook:
    """An XlsxWriter workbook that writes every string as a string."""
    return xlsxwriter.Workbook(target if not isinstance(target, Path) else str(target), {**SAFE_OPTIONS, **options})


def csv_cell(value: object) -> object:
    """One CSV value, neutralised when a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(RUNNABLE):
        return "'" + value
    return value


def csv_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with its text columns neutralised for CSV (numbers stay numbers)."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(
            pl.col(name).str.starts_with("=")
            | pl.col(name).str.starts_with("+")
            | pl.col(name).str.starts_with("-")
            | pl.col(name).str.starts_with("@")
            | pl.col(name).str.starts_with("\t")
            | pl.col(name).str.starts_with("\r")
        )
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text
    )


def write_frame(frame: pl.DataFrame, path: str | Path, sheet: str) -> None:
    """A frame to .xlsx (strings as strings) or, for any other suffix, to a neutralised CSV."""
    if Path(path).suffix.lower() == ".xlsx":
        with workbook(path) as book:
            frame.write_excel(book, worksheet=sheet, autofit=True)
    else:
        csv_safe(frame).write_csv(path)
