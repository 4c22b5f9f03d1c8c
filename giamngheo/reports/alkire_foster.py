"""Alkire-Foster multidimensional poverty measures (Alkire and Foster 2011, J. Public Econ. 95).

Identification is exact: weights and the cut-off k are turned into fractions with a common
denominator, so "k = 0.25 with 12 equal weights" counts exactly 3 of 12, never 2.9999999.
Pure Polars: the same function serves the CLI, the reports and a nation's registry.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

import polars as pl


@dataclass(frozen=True)
class AFResult:
    n: int
    poor: int
    H: float  # headcount ratio: share of people identified as poor
    A: float  # intensity: average weighted deprivation share among the poor
    M0: float  # adjusted headcount ratio = H * A
    censored_headcount: dict[str, float]  # share of all people who are poor and deprived in j
    contribution: dict[str, float]  # w_j * censored headcount_j / M0 (sums to 1 when M0 > 0)

    def as_dict(self) -> dict:
        return {
            "H": self.H,
            "A": self.A,
            "M0": self.M0,
            "censored_headcount": self.censored_headcount,
            "contribution": self.contribution,
            "n": self.n,
            "poor": self.poor,
        }


def exact(value: float | int | str | Fraction) -> Fraction:
    """A decimal as written (0.1 is 1/10, not the nearest binary float)."""
    return value if isinstance(value, Fraction) else Fraction(str(value))


K_DECIMAL = re.compile(r"[0-9]{1,2}(?:[.,][0-9]{1,6})?", re.ASCII)
K_FRACTION = re.compile(r"([0-9]{1,3})/([0-9]{1,3})", re.ASCII)


def parse_k(value: str | Fraction | float) -> Fraction:
    """The cut-off k as written by a user: a short decimal (0.25, 0,25) or a fraction of small integers
    (1/3), in (0, 1]. Anything else is refused before it reaches `Fraction`: "1e-10000000" held the
    interpreter for 11 s and stalled every other request."""
    if isinstance(value, Fraction):
        k = value
    else:
        text = str(value).strip()
        if match := K_FRACTION.fullmatch(text):
            k = Fraction(int(match[1]), int(match[2])) if int(match[2]) else Fraction(-1)
        elif K_DECIMAL.fullmatch(text):
            k = Fraction(text.replace(",", "."))
        else:
            raise ValueError(
                f"k phải là số thập phân ngắn (0,25) hoặc phân số (1/3): {text[:20]!r} / "
                f"k must be a short decimal (0.25) or a fraction (1/3): {text[:20]!r}"
            )
    if not 0 < k <= 1:
        raise ValueError(f"k phải trong khoảng (0, 1]: {k} / k must be in (0, 1]: {k}")
    return k


def normalised_weights(indicators: list[str], weights: list | dict | None) -> dict[str, Fraction]:
    if weights is None:
        return {j: Fraction(1, len(indicators)) for j in indicators}
    raw = {
        j: exact(w)
        for j, w in (weights.items() if isinstance(weights, dict) else zip(indicators, weights, strict=True))
    }
    total = sum(raw.values())
    if total <= 0 or any(w < 0 for w in raw.values()):
        raise ValueError("weights must be non-negative and not all zero")
    return {j: raw[j] / total for j in indicators}


def nested_weights(dimensions: dict[str, list[str]]) -> dict[str, Fraction]:
    """Each dimension weighs the same; indicators share their dimension's weight equally."""
    per_dimension = Fraction(1, len(dimensions))
    return {j: per_dimension / len(members) for members in dimensions.values() for j in members}


def alkire_foster(
    deprivations: pl.DataFrame, indicators: list[str], k: float | str | Fraction, weights: list | dict | None = None
) -> AFResult:
    """H, A, M0, censored headcounts and contributions for 0/1 deprivation columns and cut-off k."""
    k = parse_k(k)
    if not indicators or deprivations.height == 0:  # nothing to measure: nobody is poor
        zero = dict.fromkeys(indicators, 0.0)
        return AFResult(deprivations.height, 0, 0.0, 0.0, 0.0, zero, dict(zero))
    w = normalised_weights(indicators, weights)
    denominator = math.lcm(*(f.denominator for f in w.values()), k.denominator)
    integer_w = {j: int(w[j] * denominator) for j in indicators}
    threshold = int(k * denominator)
    n = deprivations.height
    score = pl.sum_horizontal([pl.col(j).cast(pl.Int64) * integer_w[j] for j in indicators]).alias("_score")
    frame = deprivations.select(*indicators, score).with_columns((pl.col("_score") >= threshold).alias("_poor"))
    poor = int(frame.get_column("_poor").sum())
    censored = (
        frame.select(
            [(pl.col(j).cast(pl.Int64) * pl.col("_poor").cast(pl.Int64)).sum().alias(j) for j in indicators]
        ).row(0, named=True)
        if n
        else dict.fromkeys(indicators, 0)
    )
    intensity_sum = Fraction(int(frame.filter(pl.col("_poor")).get_column("_score").sum() or 0), denominator)
    H = Fraction(poor, n) if n else Fraction(0)
    A = intensity_sum / poor if poor else Fraction(0)
    M0 = H * A
    headcount = {j: Fraction(censored[j], n) if n else Fraction(0) for j in indicators}
    contribution = {j: (w[j] * headcount[j] / M0) if M0 else Fraction(0) for j in indicators}
    return AFResult(
        n,
        poor,
        float(H),
        float(A),
        float(M0),
        {j: float(v) for j, v in headcount.items()},
        {j: float(v) for j, v in contribution.items()},
    )


def decompose(
    deprivations: pl.DataFrame,
    indicators: list[str],
    k: float | str | Fraction,
    by: str,
    weights: list | dict | None = None,
) -> list[dict]:
    """Subgroup measures and each subgroup's contribution to the overall M0 (M0 is decomposable:
    M0 = sum over groups of population share x group M0). Groups in sorted order; a null group is "".
    """
    overall = alkire_foster(deprivations, indicators, k, weights)
    n = deprivations.height
    rows = []
    keyed = deprivations.with_columns(pl.col(by).cast(pl.String).fill_null("").alias("_group"))
    for (group,), part in sorted(keyed.group_by(["_group"]), key=lambda item: item[0][0]):
        result = alkire_foster(part, indicators, k, weights)
        share = part.height / n if n else 0.0
        rows.append(
            {
                "group": group,
                "n": part.height,
                "share": share,
                "result": result,
                "contribution": share * result.M0 / overall.M0 if overall.M0 else 0.0,
            }
        )
    return rows
