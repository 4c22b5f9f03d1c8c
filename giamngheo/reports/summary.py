"""A province's households counted from the kept summary rows (`registry.HouseholdSummary`).

One grouped query over the scope's rows returns a few thousand (commune, status, minority) counts,
so a cold province summary reads no member and each web worker holds nothing the size of the
province. The rows hold each household's latest status; a period that ended before some of them
was recognised needs the status at its end, so such a period (a past one) is counted from
`ReportData.households` instead: `summary_counts` returns None then.
"""

from __future__ import annotations

import polars as pl

from ..core.bulk_read import read_frame
from ..core.ethnicities import KINH
from .data import ReportData, _ids

GROUPS = ["commune_id", "end_category", "end_simple", "ethnic_minority"]


def summary_sql(data: ReportData) -> str:
    """The scope's active households grouped by the commune they count in before mapping (the
    round's commune behind the latest status, else the registry's), status and minority; the last
    column counts statuses recognised after the period's end."""
    _, relevant = data._mapping
    minority = f"CASE WHEN s.head_ethnicity IS NOT NULL AND s.head_ethnicity <> '' AND s.head_ethnicity <> '{KINH}'"
    return (
        f"SELECT COALESCE(s.round_commune_id, s.unit_id), s.status_category, {minority} THEN 1 ELSE 0 END, "
        f"COUNT(*), SUM(CASE WHEN s.status_valid_from > '{data.period.end.isoformat()}' THEN 1 ELSE 0 END) "
        f"FROM registry_householdsummary s WHERE s.is_active AND s.unit_id IN ({_ids(relevant)}) "
        "GROUP BY COALESCE(s.round_commune_id, s.unit_id), s.status_category, "
        f"{minority} THEN 1 ELSE 0 END"
    )


def summary_counts(data: ReportData) -> pl.DataFrame | None:
    """`ReportData.household_counts` from the summary rows, or None when a household's latest
    status came after the period's end (its end status is then not the one kept)."""
    columns = {"_from": pl.Int64, "end_category": pl.String, "minority": pl.Int64, "n": pl.Int64, "later": pl.Int64}
    rows = read_frame(summary_sql(data), columns, committed_only_ok=False, large=False)
    if rows.is_empty():
        return pl.DataFrame(
            schema={
                "commune_id": pl.Int64,
                "end_category": pl.String,
                "end_simple": pl.String,
                "ethnic_minority": pl.Boolean,
                "n": pl.Int64,
            }
        )
    if rows.get_column("later").cast(pl.Int64).sum():
        return None
    rows = rows.with_columns(pl.col("_from", "n", "minority").cast(pl.Int64))
    counted = data.counted_in(rows).with_columns(
        pl.when(pl.col("end_category").is_in(["poor", "near_poor"])).then(pl.col("end_category")).alias("end_simple"),
        (pl.col("minority") == 1).alias("ethnic_minority"),
    )
    return counted.group_by(GROUPS).agg(pl.col("n").sum().cast(pl.Int64))
