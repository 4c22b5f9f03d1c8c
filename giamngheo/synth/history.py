"""A synthetic recognised history for the demo and benchmarks: last year's facts and Form B answers.

Last year's facts are this year's with some incomes moved (a share of households were poorer,
a share better off), so the two reviews differ the way real ones do: some escape, some fall in.
Causes and needs are drawn from the configurable code lists. Pure Polars and numpy.
"""

from __future__ import annotations

import numpy as np
import polars as pl

CAUSE_WEIGHTS = {
    "no_capital": 0.30,
    "no_land": 0.14,
    "no_labour": 0.14,
    "illness": 0.12,
    "no_know_how": 0.1,
    "no_skills": 0.1,
    "no_tools": 0.06,
    "other": 0.04,
}
NEED_WEIGHTS = {"credit": 0.3, "production": 0.25, "housing": 0.15, "health": 0.12, "education": 0.12, "other": 0.06}


def earlier_facts(households: pl.DataFrame, seed: int, poorer: float = 0.05, richer: float = 0.05) -> pl.DataFrame:
    """The same households a year earlier.

    `poorer`: the share poorer today than then (their income then was 180 % of today's);
    `richer`: the share better off today (their income then was 55 % of today's).
    """
    rng = np.random.default_rng(seed)
    draw = rng.random(households.height)
    factor = np.where(draw < poorer, 1.8, np.where(draw < poorer + richer, 0.55, 1.0))
    return households.with_columns(
        ((pl.col("income_per_capita_month").cast(pl.Float64) * pl.Series(factor) / 1000).round(0) * 1000)
        .cast(pl.Int64)
        .alias("income_per_capita_month")
    )


def _pick(rng: np.random.Generator, weights: dict[str, float], n: int) -> list[list[str]]:
    codes, p = list(weights), np.array(list(weights.values()))
    counts = rng.integers(1, 3, size=n)
    return [sorted(set(rng.choice(codes, size=k, p=p / p.sum()).tolist())) for k in counts]


def form_b_answers(results: pl.DataFrame, seed: int) -> pl.DataFrame:
    """`causes` and `needs` for poor and near-poor households (1-2 each), empty lists for the others."""
    rng = np.random.default_rng(seed)
    poor = results.get_column("category").is_in(["poor", "near_poor"]).to_list()
    causes, needs = _pick(rng, CAUSE_WEIGHTS, len(poor)), _pick(rng, NEED_WEIGHTS, len(poor))
    return results.with_columns(
        pl.Series("causes", [c if p else [] for c, p in zip(causes, poor, strict=True)], dtype=pl.List(pl.String)),
        pl.Series("needs", [c if p else [] for c, p in zip(needs, poor, strict=True)], dtype=pl.List(pl.String)),
    )
