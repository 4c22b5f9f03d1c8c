"""Charts as Vega-Lite specs (Altair), drawn in the browser by the vendored bundle and as PNG in PDFs.

No CDN anywhere: pages load `web/vendor/vega-bundle.js` (Vega, Vega-Lite, Vega-Embed, built by
vl-convert, see scripts/vendor_vega.py) and PDFs render the same spec with vl-convert. Numbers
use the Vietnamese locale (1.234,5).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps
from typing import ParamSpec, TypeVar

import altair as alt
from altair.utils.schemapi import debug_mode

from ..core.words import in_language, pick
from ..standards.contract import CATEGORY_LABELS
from .table import Table

VI_LOCALE = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " đ"]},
    "time": {
        "dateTime": "%A, %e %B %Y",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["SA", "CH"],
        "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
        "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
        "months": [f"Tháng {i}" for i in range(1, 13)],
        "shortMonths": [f"Th{i}" for i in range(1, 13)],
    },
}
P = ParamSpec("P")
R = TypeVar("R")


def _poor_colours() -> alt.Scale:
    """Poor red, near-poor orange, named in the reader's language (the rows' `group` uses the same words)."""
    return alt.Scale(domain=[_group("poor"), _group("near_poor")], range=["#c0392b", "#e67e22"])


def _group(category: str) -> str:
    return pick(*CATEGORY_LABELS[category])


# Tooltip titles: a field shown by its name ("rate", "group") read English on a Vietnamese page.
_NAME = ("Tên", "Name")
_GROUP = ("Loại hộ", "Category")
_HOUSEHOLDS = ("Số hộ", "Households")


def _tip(field: str, words: tuple[str, str], **kwargs) -> alt.Tooltip:
    return alt.Tooltip(field, title=pick(*words), **kwargs)


def _unvalidated(build: Callable[P, R]) -> Callable[P, R]:
    """Build a chart without Altair checking every part against the Vega-Lite schema as it is made and
    written: the checks were half of the dashboard's CPU (30 of 64 ms). The builders' output is checked
    against the schema in reports/tests/test_chart_specs.py instead. (Altair's switch is process-wide: a
    thread that restores it early only makes another thread's chart validate, which is harmless.)"""

    @wraps(build)
    def unvalidated(*args: P.args, **kwargs: P.kwargs) -> R:
        with debug_mode(False):
            return build(*args, **kwargs)

    return unvalidated


def _spec(chart: alt.TopLevelMixin) -> dict:
    spec = chart.configure(locale=VI_LOCALE, font="Be Vietnam Pro").to_dict(validate=False)
    spec.pop("$schema", None)
    return spec


@_unvalidated
def bars(rows: list[dict], category: str, value: str, title: str, value_title: str, fmt: str = ",.2f") -> dict:
    """Horizontal bars, longest first."""
    chart = (
        alt.Chart(alt.Data(values=rows), title=title)
        .mark_bar(color="#2e6da4")
        .encode(
            y=alt.Y(f"{category}:N", sort="-x", title=None),
            x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=fmt)),
            tooltip=[_tip(f"{category}:N", _NAME), _tip(f"{value}:Q", (value_title, value_title), format=fmt)],
        )
        .properties(width=520, height=alt.Step(16))
    )
    return _spec(chart)


@_unvalidated
def stacked_rates(rows: list[dict], title: str) -> dict:
    """Poor and near-poor rates per unit, stacked; rows have `name`, `group` and `rate`."""
    chart = (
        alt.Chart(alt.Data(values=rows), title=title)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", sort="-x", title=None),
            x=alt.X("sum(rate):Q", title=pick("Tỷ lệ %", "Rate %"), axis=alt.Axis(format=",.1f")),
            color=alt.Color("group:N", scale=_poor_colours(), title=None, legend=alt.Legend(orient="top")),
            tooltip=[
                _tip("name:N", _NAME),
                _tip("group:N", _GROUP),
                _tip("rate:Q", ("Tỷ lệ %", "Rate %"), format=",.2f"),
            ],
        )
        .properties(width=520, height=alt.Step(14))
    )
    return _spec(chart)


@_unvalidated
def trend(rows: list[dict], title: str) -> dict:
    """Households by status after each decision; rows have `date` (ISO), `group` and `households`."""
    chart = (
        alt.Chart(alt.Data(values=rows), title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", title=pick("Ngày quyết định", "Decision date"), axis=alt.Axis(format="%d/%m/%Y")),
            y=alt.Y("households:Q", title=pick("Số hộ", "Households"), axis=alt.Axis(format=",d")),
            color=alt.Color("group:N", scale=_poor_colours(), title=None, legend=alt.Legend(orient="top")),
            tooltip=[
                _tip("date:T", ("Ngày quyết định", "Decision date"), format="%d/%m/%Y"),
                _tip("group:N", _GROUP),
                _tip("households:Q", _HOUSEHOLDS, format=",d"),
            ],
        )
        .properties(width=520, height=220)
    )
    return _spec(chart)


@_unvalidated
def dots_map(rows: list[dict], title: str) -> dict:
    """Communes as dots at their centroids, area proportional to poor households, colour by rate."""
    chart = (
        alt.Chart(alt.Data(values=rows), title=title)
        .mark_circle(opacity=0.75, stroke="#333", strokeWidth=0.4)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            size=alt.Size("poor:Q", title=pick("Số hộ nghèo", "Poor households"), scale=alt.Scale(range=[4, 900])),
            color=alt.Color(
                "poor_rate:Q", title=pick("Tỷ lệ hộ nghèo %", "Poverty rate %"), scale=alt.Scale(scheme="orangered")
            ),
            tooltip=[
                _tip("name:N", _NAME),
                _tip("poor:Q", ("Số hộ nghèo", "Poor households"), format=",d"),
                _tip("poor_rate:Q", ("Tỷ lệ hộ nghèo %", "Poverty rate %"), format=",.2f"),
            ],
        )
        .project(type="mercator")
        .properties(width=520, height=420)
    )
    return _spec(chart)


def table_chart(table: Table) -> dict | None:
    """The chart that goes with a report (page and PDF), or None for lists; its words in the reader's
    language (files are made in Vietnamese: the callers make them under translation.override("vi"))."""
    total = table.total_row() or {}
    if table.name == "ket-qua":
        rows = [
            {"name": r["name"], "group": _group(category), "rate": r[key] or 0}
            for r in table.rows
            if r["_level"] == "commune"
            for key, category in (("poor_rate", "poor"), ("near_rate", "near_poor"))
        ]
        title = pick("Tỷ lệ hộ nghèo, cận nghèo theo xã", "Poor and near-poor rates by commune")
        return stacked_rates(rows, title) if rows else None
    if table.name.startswith("thieu-hut"):
        rows = [
            {"name": pick(c.group_vi, c.group_en), "rate": total.get(c.key) or 0}
            for c in table.columns
            if c.key.endswith("_rate")
        ]
        title = pick("Tỷ lệ hộ thiếu hụt theo chỉ số", "Households deprived, by indicator")
        return bars(rows, "name", "rate", title, pick("% số hộ", "% of households")) if rows else None
    if table.name == "chinh-sach-bao-phu":  # policies.report_tables: the total's policy rows come first
        rows = []
        for r in table.rows[1:]:
            if r["_level"] != "item":
                break
            if r.get("eligible"):
                rows.append({"name": in_language(r["name"]), "rate": r.get("reached_rate") or 0})
        title = pick("Tỷ lệ đối tượng đủ điều kiện đã nhận hỗ trợ", "Share of the eligible reached, by policy")
        return bars(rows, "name", "rate", title, pick("% đủ điều kiện", "% of the eligible")) if rows else None
    if table.name.startswith("dien-bien"):
        rows = [
            {"name": pick(c.vi, c.en), "households": total.get(c.key) or 0}
            for c in table.columns
            if c.kind == "int" and c.key not in ("households", "end_minority")
        ]
        return bars(rows, "name", "households", pick(table.title_vi, table.title_en), pick("Số hộ", "Households"), ",d")
    if table.name in ("nguyen-nhan", "dan-toc"):
        rows = [
            {"name": in_language(r["name"]), "households": r.get("poor") or 0}
            for r in table.rows
            if r["_level"] == "item"
        ]
        title = pick("Hộ nghèo: " + table.title_vi.split(" theo ")[-1], f"Poor households: {table.title_en}")
        return bars(rows, "name", "households", title, pick("Số hộ", "Households"), ",d")
    return None


def chart_png(spec: dict) -> bytes:
    """The spec as PNG, with Be Vietnam Pro registered so Vietnamese labels draw (no system font needed)."""
    import vl_convert

    _register_font()
    return vl_convert.vegalite_to_png(spec, scale=2)


@cache
def _register_font() -> None:
    import vl_convert

    from ..core.pdf import font_dir

    vl_convert.register_font_directory(str(font_dir()))
