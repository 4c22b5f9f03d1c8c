"""Masking personal ids for viewers who may not see them (pages, reports, exports alike)."""

from typing import Any

import polars as pl


def mask_national_id(value: str | None) -> str:
    """Only the last 4 digits of a national id; '' for none."""
    if not value:
        return ""
    return "•" * (len(value) - 4) + value[-4:]


INCOME_FIELDS = frozenset({"income_per_capita_month", "income_score", "income"})
HIDDEN = "•••"


def mask_event_data(data, *, show_ids: bool, show_incomes: bool):
    """An audit event's details as a viewer may see them: incomes hidden, national ids masked,
    at any depth (a change is stored as {"changes": {"income_per_capita_month": [before, after]}})."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            if key in INCOME_FIELDS and not show_incomes:
                out[key] = HIDDEN
            elif key == "national_id" and not show_ids:
                out[key] = (
                    [mask_national_id(str(v)) for v in value]
                    if isinstance(value, list)
                    else mask_national_id(str(value))
                )
            else:
                out[key] = mask_event_data(value, show_ids=show_ids, show_incomes=show_incomes)
        return out
    if isinstance(data, list):
        return [mask_event_data(v, show_ids=show_ids, show_incomes=show_incomes) for v in data]
    return data


def masked_frame(frame: pl.DataFrame, *, show_ids: bool, show_incomes: bool) -> pl.DataFrame:
    """A frame as a viewer may see it, by the same rule as `mask_national_id` (every character but the
    last 4 as a dot, whatever the length) and with incomes emptied: files and pages mask alike."""
    if not show_ids and "national_id" in frame.columns:
        nid = pl.col("national_id").cast(pl.String)
        frame = frame.with_columns(
            (nid.str.head(-4).str.replace_all(".", "•", literal=False) + nid.str.tail(4)).alias("national_id")
        )
    if not show_incomes:
        hidden = [c for c in ("income_per_capita_month", "income_score") if c in frame.columns]
        frame = frame.with_columns([pl.lit(None, dtype=frame.schema[c]).alias(c) for c in hidden])
    return frame
