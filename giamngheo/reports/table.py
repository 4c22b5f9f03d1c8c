"""A report as plain data: a two-level header, rows with a level, notes. Every renderer reads this.

Rates are computed from counts at each level (a district's rate is its counts' rate, never an
average of its communes' rates), so totals and subtotals agree with the raw records.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import polars as pl

from ..core.spreadsheets import csv_cell
from ..core.words import Said

LEVELS = ("total", "province", "district", "commune", "unassigned", "group", "item", "member")


@dataclass(frozen=True)
class Col:
    key: str
    vi: str
    en: str
    kind: str = "int"  # text | int | pct | num | date
    group_vi: str = ""
    group_en: str = ""


@dataclass
class Table:
    name: str
    title_vi: str
    title_en: str
    scope_vi: str
    period_vi: str
    columns: list[Col]
    rows: list[dict]  # each has "_level" and a value per column key
    notes: list[str] = field(default_factory=list)
    chart: dict | None = None  # a Vega-Lite spec for the page and the PDF

    def header_groups(self) -> list[tuple[str, str, int]]:
        """Consecutive columns sharing a group: (vi, en, span); an ungrouped column is its own (, , 1)."""
        groups: list[tuple[str, str, int]] = []
        for col in self.columns:
            if col.group_vi and groups and groups[-1][0] == col.group_vi:
                groups[-1] = (col.group_vi, col.group_en, groups[-1][2] + 1)
            else:
                groups.append((col.group_vi, col.group_en, 1))
        return groups

    @property
    def has_groups(self) -> bool:
        return any(c.group_vi for c in self.columns)

    def total_row(self) -> dict | None:
        return next((r for r in self.rows if r["_level"] == "total"), None)

    def to_csv(self) -> bytes:
        """UTF-8 with BOM (Excel opens Vietnamese correctly), one header line of group + column names."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["level", *[f"{c.group_vi} - {c.vi}" if c.group_vi else c.vi for c in self.columns]])
        for row in self.rows:
            writer.writerow([row["_level"], *[csv_cell(_plain(row.get(c.key))) for c in self.columns]])
        return ("\ufeff" + out.getvalue()).encode("utf-8")


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def rate(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """A percentage with two decimals; empty when the denominator is 0."""
    return pl.when(denominator > 0).then((numerator * 100.0 / denominator).round(2)).otherwise(None)


def unit_rows(
    per_commune: pl.DataFrame, units: pl.DataFrame, counts: list[str], rates: dict[str, tuple[str, str]]
) -> list[dict]:
    """Rows province -> [district ->] commune with subtotals and a grand total first.

    `per_commune` has `commune_id` and the count columns; `rates` maps a key to (numerator, denominator).
    Communes with no households still appear (zeros), so a missing commune is visible.
    """
    joined = units.join(per_commune, on="commune_id", how="left").with_columns(pl.col(counts).fill_null(0))
    extra = per_commune.filter(pl.col("commune_id") < 0)  # households not assignable to a period commune
    rate_exprs = [rate(pl.col(n), pl.col(d)).alias(k) for k, (n, d) in rates.items()]

    def summed(frame: pl.DataFrame) -> dict:
        return frame.select(pl.col(counts).sum()).with_columns(rate_exprs).row(0, named=True)

    rows = [
        {
            "_level": "total",
            "name": Said("Tổng cộng", "Total"),
            "code": "",
            **summed(
                pl.concat([joined.select(counts), extra.select(counts)]) if extra.height else joined.select(counts)
            ),
        }
    ]
    for (p_code, p_name), province in joined.group_by(["province_code", "province_name"], maintain_order=True):
        rows.append({"_level": "province", "name": p_name, "code": p_code, **summed(province)})
        for (d_code, d_name), district in province.group_by(["district_code", "district_name"], maintain_order=True):
            if d_code is not None:
                rows.append({"_level": "district", "name": d_name, "code": d_code, **summed(district)})
            for commune in district.with_columns(rate_exprs).iter_rows(named=True):
                rows.append(
                    {
                        "_level": "commune",
                        "name": commune["commune_name"],
                        "code": commune["commune_code"],
                        **{k: commune[k] for k in [*counts, *rates]},
                    }
                )
    if extra.height:
        rows.append(
            {
                "_level": "unassigned",
                "name": Said(
                    "Chưa xác định được xã trước 01/07/2025 (xã mới hợp thành từ nhiều xã cũ)",
                    "Commune before 01/07/2025 not known (a new commune formed from several old ones)",
                ),
                "code": "",
                **summed(extra),
            }
        )
    return rows


def cell_text(value, kind: str) -> str:
    """A cell as shown on pages and PDFs: 1.234, 14,26 (Vietnamese separators), '' for empty."""
    from ..standards.formats import number_vi

    if value is None or value == "":
        return ""
    if kind == "int" and isinstance(value, int | float):
        return number_vi(value)
    if kind in ("pct", "num") and isinstance(value, int | float):
        return number_vi(value, 2)
    return str(value)


def formatted_rows(table: Table, lang: str = "vi") -> list[tuple[str, list[tuple[str, str]]]]:
    """(level, [(text, kind)]) for templates, so they only lay cells out."""
    return [
        (row["_level"], [(cell_text(_in(row.get(c.key), lang), c.kind), c.kind) for c in table.columns])
        for row in table.rows
    ]


def _in(value, lang: str):
    """A row label made with its English (`core.words.Said`) shows it on an English page."""
    english = getattr(value, "en", None)
    return english if lang == "en" and english else value


def header_rows(table: Table, lang: str = "vi") -> list[list[tuple[str, int, int]]]:
    """The header as rows of (text, colspan, rowspan): groups on top, ungrouped columns span both rows."""

    def label(vi: str, en: str) -> str:
        return en if lang == "en" else vi

    if not table.has_groups:
        return [[(label(c.vi, c.en), 1, 1) for c in table.columns]]
    top, bottom, i = [], [], 0
    for group_vi, group_en, span in table.header_groups():
        if group_vi:
            top.append((label(group_vi, group_en), span, 1))
            bottom += [(label(c.vi, c.en), 1, 1) for c in table.columns[i : i + span]]
        else:
            top.append((label(table.columns[i].vi, table.columns[i].en), 1, 2))
        i += span
    return [top, bottom]
