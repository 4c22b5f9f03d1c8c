"""Write result tables by extension, atomically: a failed run leaves no output file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import polars as pl

SUPPORTED = (".csv", ".parquet", ".xlsx")


def write_table(frame: pl.DataFrame, path: str | Path, sheet: str = "classification") -> None:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ValueError(f"output must end in .csv, .parquet or .xlsx: {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".partial-", suffix=suffix, dir=path.parent)
    os.close(fd)
    try:
        if suffix == ".csv":
            frame.write_csv(tmp)
        elif suffix == ".parquet":
            frame.write_parquet(tmp)
        else:
            frame.write_excel(tmp, worksheet=sheet, autofit=True)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
