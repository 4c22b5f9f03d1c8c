"""The engine run on the live registry of a unit: Alkire-Foster statistics and what-if runs.

Both read the unit's communes in one bulk read (`registry.frames.commune_frames`) and classify every
household with the pure engine, so a province takes seconds. Nothing is written: a what-if is a
question, not a decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from ..accounts.access import Scope
from ..core.ethnicities import KINH
from ..core.words import Said, pick
from ..geo.models import AdminUnit
from ..registry.frames import commune_frames, head_rows
from ..standards import InputError, classify
from ..standards.compare import compare_results
from ..standards.contract import CATEGORY_LABELS
from ..standards.formats import number_vi
from ..standards.params import Standard, resolve_standard
from .alkire_foster import AFResult, alkire_foster, decompose, nested_weights, parse_k
from .data import shared_entry
from .table import Col, Table

# The head's ethnicity groups as the frame names them, for the rows' labels in each language.
ETHNIC_GROUPS = {
    "Chưa ghi": Said("Chưa ghi", "Not recorded"),
    "Kinh": Said("Kinh", "Kinh"),
    "Dân tộc thiểu số": Said("Dân tộc thiểu số", "Ethnic minorities"),
}


@dataclass
class LiveRun:
    """One engine run over a unit's registry: the frames read and the engine's result."""

    households: pl.DataFrame
    members: pl.DataFrame
    result: pl.DataFrame
    standard: Standard
    when: dt.date
    names: dict[str, str]  # admin_code -> commune name
    left_out: tuple[str, ...] = ()  # households the engine cannot classify (no member, no income...)
    missing: tuple[str, ...] = ()  # the facts it named for them (a new standard asks for new facts)

    def left_out_note(self) -> list[str]:
        if not self.left_out:
            return []
        shown = ", ".join(self.left_out[:10]) + (" …" if len(self.left_out) > 10 else "")
        facts = f": {', '.join(self.missing)}" if self.missing else ""
        return [
            Said(
                f"{len(self.left_out)} hộ không tính được theo chuẩn {self.standard.id} (thiếu thành viên hoặc "
                f"thông tin chuẩn này cần{facts}), không có trong bảng: {shown}",
                f"{len(self.left_out)} household(s) left out: they cannot be classified under "
                f"{self.standard.id} (no members, or facts it needs are missing{facts}): {shown}",
            )
        ]


def live_run(
    scope: Scope,
    standard: str | Standard = "auto",
    frames: tuple[pl.DataFrame, pl.DataFrame] | None = None,
) -> LiveRun:
    """The engine on the registry of the scope's communes, on the day the scope is read on."""
    communes, when = list(scope.commune_ids), scope.on
    if frames is None:
        entry = shared_entry(("registry", tuple(communes)))
        if "frames" not in entry:
            entry["frames"] = commune_frames(communes, replica_ok=True)
        frames = entry["frames"]
    hh, members = frames
    std = resolve_standard(standard, when)
    hh, members, result, left_out, missing = _classify_what_can_be(hh, members, std, when)
    names = dict(AdminUnit.objects.filter(pk__in=communes).values_list("code", "name"))
    return LiveRun(hh, members, result, std, when, names, left_out, missing)


def _classify_what_can_be(hh: pl.DataFrame, members: pl.DataFrame, std: Standard, when: dt.date):
    """Classify every household the engine can; the ones it refuses (a household whose members all
    left, one without income) are left out and named, so one record never takes a report down."""
    try:
        return hh, members, classify(hh.drop("household_pk", "unit_id"), members, std, when, explain=False), (), ()
    except InputError as exc:
        bad = {p.household_id for p in exc.problems}
        if None in bad:  # not about particular households: a real fault, shown as such
            raise
        missing = tuple(sorted({p.column for p in exc.problems if p.column}))
    hh = hh.filter(~pl.col("household_id").is_in(list(bad)))
    members = members.filter(~pl.col("household_id").is_in(list(bad)))
    result = classify(hh.drop("household_pk", "unit_id"), members, std, when, explain=False)
    return hh, members, result, tuple(sorted(b for b in bad if b is not None)), missing


def _household_groups(run: LiveRun) -> pl.DataFrame:
    heads = head_rows(run.members).select("household_id", pl.col("ethnicity").alias("head_ethnicity"))
    return (
        run.result.select("household_id", pl.col("admin_code").cast(pl.String), pl.col("area").cast(pl.String))
        .join(heads, on="household_id", how="left")
        .with_columns(
            pl.when(pl.col("head_ethnicity").is_null() | (pl.col("head_ethnicity") == ""))
            .then(pl.lit("Chưa ghi"))
            .when(pl.col("head_ethnicity") == KINH)
            .then(pl.lit("Kinh"))
            .otherwise(pl.lit("Dân tộc thiểu số"))
            .alias("ethnic_group")
        )
    )


def af_inputs(run: LiveRun, weighting: str = "equal") -> tuple[pl.DataFrame, list[str], dict | None, Fraction]:
    """(deprivation frame with group columns, indicators, weights, default k) from an engine run.

    An indicator the engine left unknown (it could not change the category) counts as not deprived.
    The default k is the standard's own rule: its minimum deprivation count over its indicator count.
    """
    indicators = run.standard.indicator_ids
    frame = run.result.select(
        "household_id", *[pl.col(f"deprived_{i}").fill_null(False).cast(pl.Int8).alias(i) for i in indicators]
    ).join(_household_groups(run), on="household_id")
    weights = None
    if weighting == "nested":
        dims: dict[str, list[str]] = {}
        for ind in run.standard.indicators:
            dims.setdefault(ind.dimension, []).append(ind.id)
        weights = nested_weights(dims)
    cutoff = run.standard.value("deprivation_cutoff", run.when)
    k = Fraction(int(cutoff), len(indicators)) if cutoff else Fraction(1, 3)
    return frame, indicators, weights, k


def af_overall(
    run: LiveRun, k: str | Fraction | None = None, weighting: str = "equal"
) -> tuple[AFResult, Fraction, pl.DataFrame, list[str], dict | None]:
    """(H, A, M0 of the whole run, k used, frame, indicators, weights): the standard's own cut-off
    unless `k` is given. The one Alkire-Foster computation of the pages, files, CLI and API."""
    frame, indicators, weights, default_k = af_inputs(run, weighting)
    used = parse_k(k) if k is not None else default_k
    return alkire_foster(frame, indicators, used, weights), used, frame, indicators, weights


def _af_row(
    level: str, name: str, code: str, result: AFResult, share: float | None, contribution: float | None
) -> dict:
    return {
        "_level": level,
        "name": name,
        "code": code,
        "n": result.n,
        "poor": result.poor,
        "share": None if share is None else round(share * 100, 2),
        "H": round(result.H * 100, 2),
        "A": round(result.A * 100, 2),
        "M0": round(result.M0, 4),
        "contribution": None if contribution is None else round(contribution * 100, 2),
    }


AF_COLUMNS = [
    Col("code", "Mã", "Code", "text"),
    Col("name", "Nhóm", "Group", "text"),
    Col("n", "Số hộ", "Households"),
    Col("poor", "Hộ nghèo đa chiều", "Multidimensionally poor"),
    Col("share", "% số hộ", "% of households", "pct"),
    Col("H", "H (%)", "H (%)", "pct"),
    Col("A", "A (%)", "A (%)", "pct"),
    Col("M0", "M0", "M0", "num"),
    Col("contribution", "Đóng góp vào M0 (%)", "Contribution to M0 (%)", "pct"),
]


def af_table(run: LiveRun, scope: str, k: str | Fraction | None = None, weighting: str = "equal") -> Table:
    """H, A, M0 for the unit, decomposed by commune, urban/rural and the head's ethnicity."""
    overall, k, frame, indicators, weights = af_overall(run, k, weighting)
    rows = [_af_row("total", Said("Toàn bộ", "All households"), "", overall, 1.0, 1.0)]
    groups: tuple[tuple[Said, str, dict], ...] = (
        (
            Said("Theo khu vực", "By area"),
            "area",
            {"urban": Said("Thành thị", "Urban"), "rural": Said("Nông thôn", "Rural")},
        ),
        (Said("Theo dân tộc của chủ hộ", "By the head's ethnicity"), "ethnic_group", ETHNIC_GROUPS),
        (Said("Theo xã", "By commune"), "admin_code", run.names),
    )
    for title, column, label in groups:
        rows.append({"_level": "group", "name": title, "code": ""})
        for part in decompose(frame, indicators, k, column, weights):
            code = part["group"] if column == "admin_code" else ""
            level = "item" if column != "admin_code" else "commune"
            rows.append(
                _af_row(
                    level,
                    label.get(part["group"], part["group"]),
                    code,
                    part["result"],
                    part["share"],
                    part["contribution"],
                )
            )
    names = {i.id: (i.name_vi, i.name_en or i.name_vi) for i in run.standard.indicators}
    nested = weighting == "nested"

    def shares(lang: int) -> str:
        return "; ".join(
            f"{names[j][lang]} {number_vi(overall.censored_headcount[j] * 100, 2)} / "
            f"{number_vi(overall.contribution[j] * 100, 2)}"
            for j in indicators
        )

    notes = [
        Said(
            f"Chuẩn {run.standard.id}, ngày {run.when:%d/%m/%Y}; k = {k.numerator}/{k.denominator} "
            f"({number_vi(float(k), 4)}); trọng số {'lồng nhau theo chiều' if nested else 'bằng nhau'}; "
            "đơn vị là hộ; dữ liệu hiện có trong sổ.",
            f"Standard {run.standard.id}, on {run.when:%d/%m/%Y}; k = {k.numerator}/{k.denominator} "
            f"({number_vi(float(k), 4)}); {'nested weights by dimension' if nested else 'equal weights'}; "
            "the unit is the household; the data in the register now.",
        ),
        Said(
            "Tỷ lệ thiếu hụt kiểm duyệt (%) / đóng góp (%): " + shares(0),
            "Censored headcount (%) / contribution (%): " + shares(1),
        ),
        *run.left_out_note(),
    ]
    return Table(
        "mpi",
        "Chỉ số nghèo đa chiều Alkire-Foster (H, A, M0)",
        "Alkire-Foster measures (H, A, M0)",
        scope,
        Said(f"ngày {run.when:%d/%m/%Y}", f"on {run.when:%d/%m/%Y}"),
        AF_COLUMNS,
        rows,
        notes,
    )


def indicator_table(run: LiveRun, scope: str, k: str | Fraction | None = None, weighting: str = "equal") -> Table:
    """Censored headcount and contribution per indicator and per dimension."""
    overall, k, _, indicators, weights = af_overall(run, k, weighting)
    from .alkire_foster import normalised_weights

    w = normalised_weights(indicators, weights)
    dims = {d.id: Said(d.name_vi, d.name_en) for d in run.standard.dimensions}
    rows = []
    for dim_id, dim_name in dims.items():
        members = [i for i in run.standard.indicators if i.dimension == dim_id]
        rows.append(
            {
                "_level": "group",
                "name": dim_name,
                "code": dim_id,
                "weight": round(float(sum(w[i.id] for i in members)) * 100, 2),
                "censored": None,
                "contribution": round(sum(overall.contribution[i.id] for i in members) * 100, 2),
            }
        )
        for ind in members:
            rows.append(
                {
                    "_level": "item",
                    "name": Said(ind.name_vi, ind.name_en),
                    "code": ind.id,
                    "weight": round(float(w[ind.id]) * 100, 2),
                    "censored": round(overall.censored_headcount[ind.id] * 100, 2),
                    "contribution": round(overall.contribution[ind.id] * 100, 2),
                }
            )
    cols = [
        Col("code", "Mã", "Code", "text"),
        Col("name", "Chiều / chỉ số", "Dimension / indicator", "text"),
        Col("weight", "Trọng số (%)", "Weight (%)", "pct"),
        Col("censored", "Tỷ lệ thiếu hụt kiểm duyệt (%)", "Censored headcount (%)", "pct"),
        Col("contribution", "Đóng góp vào M0 (%)", "Contribution to M0 (%)", "pct"),
    ]
    return Table(
        "mpi-chi-so",
        "Đóng góp của từng chỉ số vào nghèo đa chiều",
        "Indicator contributions to multidimensional poverty",
        scope,
        Said(f"ngày {run.when:%d/%m/%Y}", f"on {run.when:%d/%m/%Y}"),
        cols,
        rows,
        [
            f"k = {k.numerator}/{k.denominator}; H = {number_vi(overall.H * 100, 2)} %, "
            f"A = {number_vi(overall.A * 100, 2)} %, M0 = {number_vi(overall.M0, 4)}.",
            *run.left_out_note(),
        ],
    )


def whatif_table(before: LiveRun, after: LiveRun, scope: str) -> tuple[Table, pl.DataFrame]:
    """Per commune: poor and near-poor households now and under the alternative, and how many change."""
    to_str = [pl.col("category").cast(pl.String), pl.col("admin_code").cast(pl.String)]
    a, b = before.result.with_columns(to_str), after.result.with_columns(to_str)
    moves, _ = compare_results(a, b)  # households both standards classify
    changed = (
        a.select("household_id", "admin_code", pl.col("category").alias("x"))
        .join(b.select("household_id", pl.col("category").alias("y")), on="household_id")
        .group_by("admin_code")
        .agg((pl.col("x") != pl.col("y")).sum().alias("changed"))
    )
    # each side counts every household it classifies: across a change of standard the new one may ask
    # for facts the registry lacks, and the old one still answers for those households
    by_unit = (
        pl.concat([a.select("household_id", "admin_code"), b.select("household_id", "admin_code")])
        .unique("household_id")
        .group_by("admin_code")
        .agg(pl.len().alias("households"))
    )
    for frame, side in ((a, "before"), (b, "after")):
        by_unit = by_unit.join(
            frame.group_by("admin_code").agg(
                (pl.col("category") == "poor").sum().alias(f"poor_{side}"),
                (pl.col("category") == "near_poor").sum().alias(f"near_poor_{side}"),
            ),
            on="admin_code",
            how="left",
        )
    by_unit = by_unit.join(changed, on="admin_code", how="left").fill_null(0).sort("admin_code")
    counts = ["households", "poor_before", "poor_after", "near_poor_before", "near_poor_after", "changed"]
    total = by_unit.select(pl.col(counts).sum()).row(0, named=True)
    rows = [{"_level": "total", "name": Said("Tổng cộng", "Total"), "code": "", **total}]
    rows += [
        {
            "_level": "commune",
            "name": before.names.get(r["admin_code"], r["admin_code"]),
            "code": r["admin_code"],
            **{c: r[c] for c in counts},
        }
        for r in by_unit.iter_rows(named=True)
    ]
    g_now, g_alt = ("Hiện hành", "Current"), ("Chạy thử", "What-if")
    cols = [
        Col("code", "Mã", "Code", "text"),
        Col("name", "Xã", "Commune", "text"),
        Col("households", "Số hộ", "Households"),
        Col("poor_before", "Hộ nghèo", "Poor", "int", *g_now),
        Col("near_poor_before", "Hộ cận nghèo", "Near-poor", "int", *g_now),
        Col("poor_after", "Hộ nghèo", "Poor", "int", *g_alt),
        Col("near_poor_after", "Hộ cận nghèo", "Near-poor", "int", *g_alt),
        Col("changed", "Số hộ đổi loại", "Households changing category"),
    ]
    edited = [p for p in after.standard.unverified_parameters() if p.confidence == "E"]
    notes: list[str] = [
        Said(
            f"Hiện hành: chuẩn {before.standard.id}; chạy thử: chuẩn {after.standard.id}. Chạy trên dữ liệu hiện "
            "có của sổ; không ghi gì, không phải quyết định công nhận.",
            f"Current: standard {before.standard.id}; what-if: standard {after.standard.id}. Run on the data in "
            "the register now; nothing is written, and it is no recognition decision.",
        )
    ]
    notes += before.left_out_note() + (after.left_out_note() if after.left_out != before.left_out else [])
    if edited:
        values = ", ".join(f"{p.name} = {p.values[0][1]}" for p in edited)
        notes.append(
            Said(
                "Ngưỡng đã sửa (chạy thử, không phải quy định): " + values,
                "Edited thresholds (a what-if, not law): " + values,
            )
        )
    labels = {c: pick(*v) for c, v in CATEGORY_LABELS.items()}  # the page's table of moves, in its language
    moves = moves.with_columns(pl.col("from").replace_strict(labels), pl.col("to").replace_strict(labels))
    return Table(
        "chay-thu",
        "Chạy thử chuẩn nghèo: số hộ thay đổi theo xã",
        "What-if: households changing category",
        scope,
        Said(f"ngày {after.when:%d/%m/%Y}", f"on {after.when:%d/%m/%Y}"),
        cols,
        rows,
        notes,
    ), moves
