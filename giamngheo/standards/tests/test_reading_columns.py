"""read_table(columns=...): only the engine's columns, found by name or Vietnamese label, same result."""

import datetime as dt

import polars as pl
from polars.testing import assert_frame_equal

from giamngheo.standards import classify
from giamngheo.standards.engine import READS
from giamngheo.standards.reading import read_table

from .golden_cases import inputs


def test_parquet_keeps_only_the_columns_asked_for_by_name_or_label(tmp_path):
    frame = pl.DataFrame({"Mã hộ": [" 001 "], "full_name": ["Lò Văn A"], "extra": [1]})
    frame.write_parquet(tmp_path / "h.parquet")
    read = read_table(tmp_path / "h.parquet", columns=READS)
    assert read.columns == ["_row", "household_id"]
    assert read.item(0, "household_id") == "001"  # still trimmed


def test_classify_on_the_engine_columns_equals_classify_on_all(tmp_path):
    hh, mem = inputs()
    for name, frame in (("h", hh), ("m", mem)):
        frame.write_parquet(tmp_path / f"{name}.parquet")
        frame.write_csv(tmp_path / f"{name}.csv")
    when = dt.date(2025, 9, 1)
    for suffix in ("parquet", "csv"):
        whole = classify(
            read_table(tmp_path / f"h.{suffix}"), read_table(tmp_path / f"m.{suffix}"), "vn-2022-2025", when
        )
        pruned = read_table(tmp_path / f"m.{suffix}", columns=READS)
        assert "full_name" not in pruned.columns and "national_id" in pruned.columns
        kept = classify(read_table(tmp_path / f"h.{suffix}", columns=READS), pruned, "vn-2022-2025", when)
        assert_frame_equal(kept, whole)
