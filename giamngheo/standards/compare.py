"""What a different standard would change: households moving between categories, per commune."""

from __future__ import annotations

import polars as pl

from .contract import CATEGORIES


def compare_results(before: pl.DataFrame, after: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(moves, by_unit): category A -> category B counts, and per admin_code totals under each.

    Rows are matched by household_id, never by position.
    """
    pair = before.select("household_id", "admin_code", pl.col("category").alias("from")).join(
        after.select("household_id", pl.col("category").alias("to")), on="household_id", how="inner"
    )
    moves = pair.group_by("from", "to").agg(pl.len().alias("households"))
    order = {c: i for i, c in enumerate(CATEGORIES)}
    moves = (
        moves.with_columns(
            pl.col("from").replace_strict(order).alias("_a"), pl.col("to").replace_strict(order).alias("_b")
        )
        .sort("_a", "_b")
        .drop("_a", "_b")
    )
    counts = [
        *[(pl.col("from") == c).sum().alias(f"{c}_before") for c in ("poor", "near_poor")],
        *[(pl.col("to") == c).sum().alias(f"{c}_after") for c in ("poor", "near_poor")],
        pl.len().alias("households"),
    ]
    by_unit = pair.group_by("admin_code").agg(counts).sort("admin_code")
    return moves, by_unit
