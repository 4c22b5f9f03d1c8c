"""Write result tables by extension, atomically: a failed run leaves no output file behind."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ..core.atomic import atomic_output

SUPPORTED = (".csv", ".parquet", ".xlsx")


def write_table(frame: pl.DataFrame, path: str | Path, sheet: str = "classification") -> None:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ValueError(f"output must end in .csv, .parquet or .xlsx: {path}")
    with atomic_output(path) as tmp:
        if suffix == ".csv":
            frame.write_csv(tmp)
        elif suffix == ".parquet":
            frame.write_parquet(tmp)
        else:
            frame.write_excel(tmp, worksheet=sheet, autofit=True)
