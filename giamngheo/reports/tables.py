"""The standard report set (domain reference §6), each a function from `ReportData` to a `Table`.

Pure Polars over the frames `data.py` read; no query here. The names are the report's URL and
CLI name. Which facts each number counts is said in the docstring, so a reader can recount it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from ..core.ethnicities import ETHNICITIES, KINH
from ..core.words import Said
from ..review.transitions import LABELS as TRANSITION_LABELS
from ..review.transitions import LABELS_EN as TRANSITION_LABELS_EN
from ..standards import load_standard
from ..standards.capacity import DISABLED, PUPILS, employment_indicator, exceptions_used
from ..standards.contract import label_en, label_vi
from ..standards.formats import number_vi
from ..standards.params import CONFIDENCE_WORDS
from ..standards.procedure import review_law
from .data import UNASSIGNED, ReportData
from .table import Col, Table, rate, unit_rows

UNIT_COLS = [Col("code", "Mã", "Code", "text"), Col("name", "Đơn vị", "Unit", "text")]
ONE = pl.col("household_pk").is_not_null()
POOR = pl.col("end_simple") == "poor"
NEAR = pl.col("end_simple") == "near_poor"
WORKING_AGE_PARAMS = ("working_age_min", "retirement_age_months_male", "retirement_age_months_female")


def _no_work_notes(data: ReportData, hh: pl.DataFrame) -> list[str]:
    """What "no working capacity" counts, read from the values it uses, with their confidence (none is V)."""
    ind = employment_indicator(data.standard)
    if ind is None:
        return [
            Said(
                f"Chuẩn {data.standard.id} không quy định độ tuổi lao động: cột không có khả năng lao động không tính.",
                f"Standard {data.standard.id} sets no working age: the no-working-capacity column is not counted.",
            )
        ]
    law = review_law()
    excepted = [
        (
            "ngoài độ tuổi lao động (tuổi tối thiểu, tuổi nghỉ hưu tính theo tháng, của chỉ số việc làm)",
            "outside the working age (the employment indicator's minimum age and retirement age in months)",
        )
    ]
    if law.value(PUPILS, data.when):
        excepted.append(("đang đi học", "in school"))
    if degrees := law.value(DISABLED, data.when):
        excepted.append(
            (
                "khuyết tật " + ", ".join(label_vi(d, "disability").lower() for d in degrees),
                "with a disability: " + ", ".join(label_en(d, "disability").lower() for d in degrees),
            )
        )
    marks = sorted({ind.params[p].confidence for p in WORKING_AGE_PARAMS} | {p.confidence for p in exceptions_used()})
    words = ["; ".join(CONFIDENCE_WORDS[m][i] for m in marks if m != "V") for i in (0, 1)]
    notes: list[str] = [
        Said(
            f"Hộ không có khả năng lao động: mọi thành viên {' hoặc '.join(vi for vi, _ in excepted)}"
            + (f" ({words[0]})." if words[0] else "."),
            f"Households with no working capacity: every member {' or '.join(en for _, en in excepted)}"
            + (f" ({words[1]})." if words[1] else "."),
        )
    ]
    undecided = hh.filter((POOR | NEAR) & pl.col("no_working_capacity").is_null() & (pl.col("n_members") > 0)).height
    if undecided:
        notes.append(
            Said(
                f"{number_vi(undecided)} hộ chưa xác định được (thiếu ngày sinh hoặc giới tính), không tính vào cột này.",
                f"{number_vi(undecided)} household(s) undecided (a birth date or sex is missing), not counted in "
                "this column.",
            )
        )
    return notes


def _per_commune(hh: pl.DataFrame, counts: dict[str, pl.Expr]) -> pl.DataFrame:
    """Each count summed per commune; a frame with `n` (grouped households, `household_counts`) adds `n`."""
    if "n" in hh.columns:
        return hh.group_by("commune_id").agg(
            [pl.when(expr).then(pl.col("n")).otherwise(0).sum().cast(pl.Int64).alias(k) for k, expr in counts.items()]
        )
    return hh.group_by("commune_id").agg([expr.sum().cast(pl.Int64).alias(k) for k, expr in counts.items()])


def _unit_table(
    data: ReportData,
    name: str,
    title: tuple[str, str],
    columns: list[Col],
    counts: dict[str, pl.Expr],
    rates: dict[str, tuple[str, str]],
    frame: pl.DataFrame | None = None,
    notes: list[str] | None = None,
) -> Table:
    per_commune = _per_commune(data.households if frame is None else frame, counts)
    rows = unit_rows(per_commune, data.units, list(counts), rates)
    return Table(
        name,
        title[0],
        title[1],
        _scope(data),
        data.period.label_vi,
        UNIT_COLS + columns,
        rows,
        [*_unit_notes(data), *(notes or [])],
    )


def _scope(data: ReportData) -> str:
    return data.unit.name


def _unit_notes(data: ReportData) -> list[str]:
    if data.period.before_reform:
        levels = ("tỉnh → huyện → xã (trước 01/07/2025)", "province → district → commune (before 01/07/2025)")
    else:
        levels = ("tỉnh → xã (từ 01/07/2025)", "province → commune (from 01/07/2025)")
    return [
        Said(
            f"Đơn vị hành chính ngày {data.when:%d/%m/%Y}: {levels[0]}.",
            f"Administrative units on {data.when:%d/%m/%Y}: {levels[1]}.",
        ),
        Said(
            "Tình trạng hộ: quyết định công nhận gần nhất đến hết kỳ; tỷ lệ % so với tổng số hộ dân cư.",
            "Household status: the latest recognition decision up to the end of the period; rates are % of all "
            "resident households.",
        ),
    ]


def results(data: ReportData) -> Table:
    """Households by recognised status at the period's end: poor, near-poor, average-living; ethnic minority.
    Counted from `household_counts` (the kept summary rows for a current period: no member is read)."""
    avg = pl.col("end_category") == "average"
    minority = pl.col("ethnic_minority")
    counts = {
        "households": pl.lit(True),
        "minority_households": minority,
        "poor": POOR,
        "poor_minority": POOR & minority,
        "near": NEAR,
        "near_minority": NEAR & minority,
        "both": POOR | NEAR,
        "average": avg,
    }
    rates = {
        "poor_rate": ("poor", "households"),
        "near_rate": ("near", "households"),
        "both_rate": ("both", "households"),
        "average_rate": ("average", "households"),
    }
    g = (
        ("Hộ nghèo", "Poor"),
        ("Hộ cận nghèo", "Near-poor"),
        ("Hộ nghèo và cận nghèo", "Poor and near-poor"),
        ("Hộ có mức sống trung bình", "Average living standard"),
    )
    cols = [
        Col("households", "Tổng số hộ dân cư", "Resident households"),
        Col("minority_households", "Hộ DTTS", "Ethnic-minority households"),
        Col("poor", "Số hộ", "Households", "int", *g[0]),
        Col("poor_rate", "Tỷ lệ %", "Rate %", "pct", *g[0]),
        Col("poor_minority", "Hộ DTTS", "Ethnic minority", "int", *g[0]),
        Col("near", "Số hộ", "Households", "int", *g[1]),
        Col("near_rate", "Tỷ lệ %", "Rate %", "pct", *g[1]),
        Col("near_minority", "Hộ DTTS", "Ethnic minority", "int", *g[1]),
        Col("both", "Số hộ", "Households", "int", *g[2]),
        Col("both_rate", "Tỷ lệ %", "Rate %", "pct", *g[2]),
        Col("average", "Số hộ", "Households", "int", *g[3]),
        Col("average_rate", "Tỷ lệ %", "Rate %", "pct", *g[3]),
    ]
    return _unit_table(
        data,
        "ket-qua",
        (
            "Tổng hợp kết quả rà soát hộ nghèo, hộ cận nghèo, hộ có mức sống trung bình",
            "Review results: poor, near-poor and average-living households",
        ),
        cols,
        counts,
        rates,
        frame=data.household_counts,
        notes=[
            Said(
                'Hộ có mức sống trung bình: theo kết quả công nhận; tiêu chí "làm nông, lâm, ngư, '
                'diêm nghiệp" không được ghi nhận riêng.',
                'Average-living households: as recognised; the criterion "works in agriculture, forestry, '
                'fishery or salt making" is not recorded separately.',
            )
        ],
    )


def _changes(data: ReportData, poor: bool) -> Table:
    t = pl.col("transition")
    if poor:
        counts = {
            "households": ONE,
            "start": pl.col("start_simple") == "poor",
            "escaped": t.is_in(["escaped_poverty", "escaped_to_near_poor"]),
            "escaped_to_near": t == "escaped_to_near_poor",
            "relapsed": t == "relapsed_poor",
            "new": t == "newly_poor",
            "end": POOR,
            "end_minority": POOR & pl.col("ethnic_minority"),
        }
        labels = [
            ("start", "Đầu kỳ", "Start of period", ""),
            ("escaped", "Thoát nghèo", "Escaped", "Biến động"),
            ("escaped_to_near", "Trong đó: thành hộ cận nghèo", "Of which became near-poor", "Biến động"),
            ("relapsed", "Tái nghèo", "Relapsed", "Biến động"),
            ("new", "Nghèo phát sinh", "New", "Biến động"),
        ]
        title = ("Tổng hợp diễn biến hộ nghèo", "Changes in poor households")
        name = "dien-bien-ngheo"
    else:
        counts = {
            "households": ONE,
            "start": pl.col("start_simple") == "near_poor",
            "escaped": t == "escaped_near_poverty",
            "to_poor": (pl.col("start_simple") == "near_poor") & POOR,
            "from_poor": t == "escaped_to_near_poor",
            "relapsed": t == "relapsed_near_poor",
            "new": t == "newly_near_poor",
            "end": NEAR,
            "end_minority": NEAR & pl.col("ethnic_minority"),
        }
        labels = [
            ("start", "Đầu kỳ", "Start of period", ""),
            ("escaped", "Thoát cận nghèo", "Escaped", "Biến động"),
            ("to_poor", "Chuyển thành hộ nghèo", "Became poor", "Biến động"),
            ("from_poor", "Từ hộ nghèo chuyển sang", "From poor", "Biến động"),
            ("relapsed", "Tái cận nghèo", "Relapsed", "Biến động"),
            ("new", "Cận nghèo phát sinh", "New", "Biến động"),
        ]
        title = ("Tổng hợp diễn biến hộ cận nghèo", "Changes in near-poor households")
        name = "dien-bien-can-ngheo"
    cols = [Col("households", "Tổng số hộ dân cư", "Resident households")]
    for key, vi, en, group in labels:
        g = ("Biến động trong kỳ", "Changes during the period") if group else ("", "")
        cols.append(Col(key, vi, en, "int", *g))
    end = ("Cuối kỳ", "End of period")
    cols += [
        Col("end", "Số hộ", "Households", "int", *end),
        Col("end_rate", "Tỷ lệ %", "Rate %", "pct", *end),
        Col("end_minority", "Hộ DTTS", "Ethnic minority", "int", *end),
    ]
    identity = (
        ("Cuối kỳ = đầu kỳ − thoát nghèo + tái nghèo + phát sinh.", "End = start − escaped + relapsed + new.")
        if poor
        else (
            "Cuối kỳ = đầu kỳ − thoát cận nghèo − chuyển thành hộ nghèo + từ hộ nghèo chuyển sang + tái cận "
            "nghèo + phát sinh.",
            "End = start − escaped − became poor + from poor + relapsed + new.",
        )
    )
    return _unit_table(
        data,
        name,
        title,
        cols,
        counts,
        {"end_rate": ("end", "households")},
        notes=[
            Said(
                f"Đầu kỳ: tình trạng trước {data.period.start:%d/%m/%Y}. {identity[0]}",
                f"Start of period: the status before {data.period.start:%d/%m/%Y}. {identity[1]}",
            )
        ],
    )


def poor_changes(data: ReportData) -> Table:
    """Start-of-period poor, escaped (of which to near-poor), relapsed, new, end; per the transitions table."""
    return _changes(data, poor=True)


def near_poor_changes(data: ReportData) -> Table:
    """The near-poor version, with moves to and from the poor list so the columns add up."""
    return _changes(data, poor=False)


def _deprivation(data: ReportData, poor: bool) -> Table:
    """Households of the class deprived in each indicator (the classification behind their status)."""
    target = "poor" if poor else "near_poor"
    hh = data.households.filter(pl.col("end_simple") == target).join(data.deprivations, on="household_pk", how="left")
    indicators = data.indicator_ids()
    names = _indicator_names(data)
    counts = {
        "households": ONE,
        "classified": pl.col("round_id").is_not_null(),
        **{i: pl.col(i).fill_null(0) == 1 for i in indicators if i in hh.columns},
    }
    rates = {f"{i}_rate": (i, "classified") for i in indicators if i in hh.columns}
    cols = [Col("households", "Số hộ", "Households"), Col("classified", "Có phiếu B", "With Form B")]
    for i in indicators:
        if i in hh.columns:
            cols += [Col(i, "Số hộ", "Households", "int", *names[i]), Col(f"{i}_rate", "%", "%", "pct", *names[i])]
    label = ("hộ nghèo", "poor") if poor else ("hộ cận nghèo", "near-poor")
    return _unit_table(
        data,
        "thieu-hut-ngheo" if poor else "thieu-hut-can-ngheo",
        (
            f"Phân tích chỉ số thiếu hụt dịch vụ xã hội cơ bản {label[0]}",
            f"Deprivations in basic social services, {label[1]} households",
        ),
        cols,
        counts,
        rates,
        frame=hh,
        notes=[
            Said(
                "Thiếu hụt theo phiếu B của lần công nhận gần nhất; % so với số hộ có phiếu B.",
                "Deprivations as on the Form B of the latest recognition; % of the households with a Form B.",
            )
        ],
    )


def poor_deprivations(data: ReportData) -> Table:
    return _deprivation(data, poor=True)


def near_poor_deprivations(data: ReportData) -> Table:
    return _deprivation(data, poor=False)


def _indicator_names(data: ReportData) -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for standard_id in {data.standard.id, *data.deprivations.get_column("standard_id").unique().to_list()}:
        for ind in load_standard(standard_id).indicators:
            names.setdefault(ind.id, (ind.name_vi, ind.name_en))
    return names


def groups(data: ReportData) -> Table:
    """Poor and near-poor households with no working capacity, a meritorious-service member, ethnic minority;
    and the support they need (Form B)."""
    hh = data.households.join(data.deprivations.select("household_pk", "needs"), on="household_pk", how="left").join(
        data.working_capacity, on="household_pk", how="left"
    )
    counts: dict[str, pl.Expr] = {}
    cols: list[Col] = []
    for key, cond, g in (("poor", POOR, ("Hộ nghèo", "Poor")), ("near", NEAR, ("Hộ cận nghèo", "Near-poor"))):
        counts |= {
            key: cond,
            f"{key}_nowork": cond & pl.col("no_working_capacity").fill_null(False),
            f"{key}_merit": cond & pl.col("meritorious"),
            f"{key}_minority": cond & pl.col("ethnic_minority"),
        }
        cols += [
            Col(key, "Tổng số", "Total", "int", *g),
            Col(f"{key}_nowork", "Không có khả năng lao động", "No working capacity", "int", *g),
            Col(f"{key}_merit", "Có người có công", "Meritorious-service member", "int", *g),
            Col(f"{key}_minority", "Hộ DTTS", "Ethnic minority", "int", *g),
        ]
    needs_group = ("Nhu cầu hỗ trợ (hộ nghèo, cận nghèo)", "Support needed (poor and near-poor)")
    needs_en = review_law().needs(data.when, "en")
    for code, label in review_law().needs(data.when).items():
        counts[f"need_{code}"] = (POOR | NEAR) & pl.col("needs").list.contains(code).fill_null(False)
        cols.append(Col(f"need_{code}", label, needs_en.get(code, code), "int", *needs_group))
    return _unit_table(
        data,
        "nhom-doi-tuong",
        ("Phân tích hộ nghèo, hộ cận nghèo theo các nhóm đối tượng", "Poor and near-poor households by group"),
        cols,
        counts,
        {},
        frame=hh,
        notes=[
            *_no_work_notes(data, hh),
            Said(
                "Danh mục nhu cầu hỗ trợ: theo mã nguồn công khai, chưa đối chiếu phiếu B của Thông tư 07/2021 (C).",
                "The list of support needs: from public code, not yet checked against Form B of Circular 07/2021 (C).",
            ),
        ],
    )


def by_ethnicity(data: ReportData) -> Table:
    """Per ethnicity of the household head: households, poor, near-poor and their rates; Kinh vs minority."""
    hh = data.households.with_columns(pl.col("head_ethnicity").fill_null("").alias("eth"))
    agg = [pl.len().alias("households"), POOR.sum().alias("poor"), NEAR.sum().alias("near")]
    rates = [
        rate(pl.col("poor"), pl.col("households")).alias("poor_rate"),
        rate(pl.col("near"), pl.col("households")).alias("near_rate"),
    ]
    per = hh.group_by("eth").agg(agg).with_columns(rates)
    names = dict(ETHNICITIES)
    rows = [
        {
            "_level": "total",
            "name": Said("Tổng cộng", "Total"),
            "code": "",
            **hh.select(agg).with_columns(rates).row(0, named=True),
        }
    ]
    for label, cond in (
        (Said("Dân tộc Kinh", "Kinh"), pl.col("eth") == KINH),
        (Said("Dân tộc thiểu số", "Ethnic minorities"), (pl.col("eth") != KINH) & (pl.col("eth") != "")),
    ):
        rows.append(
            {
                "_level": "group",
                "name": label,
                "code": "",
                **hh.filter(cond).select(agg).with_columns(rates).row(0, named=True),
            }
        )
    for row in per.sort("eth").iter_rows(named=True):
        code = row.pop("eth")
        rows.append(
            {
                "_level": "item",
                "name": names.get(code) or Said("Chưa ghi dân tộc", "Ethnicity not recorded"),
                "code": code,
                **row,
            }
        )
    cols = [
        *UNIT_COLS[:1],
        Col("name", "Dân tộc (chủ hộ)", "Ethnicity (head)", "text"),
        Col("households", "Tổng số hộ", "Households"),
        Col("poor", "Số hộ", "Households", "int", "Hộ nghèo", "Poor"),
        Col("poor_rate", "Tỷ lệ %", "Rate %", "pct", "Hộ nghèo", "Poor"),
        Col("near", "Số hộ", "Households", "int", "Hộ cận nghèo", "Near-poor"),
        Col("near_rate", "Tỷ lệ %", "Rate %", "pct", "Hộ cận nghèo", "Near-poor"),
    ]
    return Table(
        "dan-toc",
        "Phân tích hộ nghèo, hộ cận nghèo theo dân tộc",
        "Poor and near-poor households by ethnicity",
        _scope(data),
        data.period.label_vi,
        cols,
        rows,
        [
            Said(
                "Dân tộc của chủ hộ; mã dân tộc theo danh mục 54 dân tộc (B).",
                "The household head's ethnicity; codes from the list of 54 ethnic groups (B).",
            )
        ],
    )


def by_cause(data: ReportData) -> Table:
    """Per cause of poverty recorded on Form B: poor and near-poor households citing it (several allowed)."""
    hh = data.households.filter(POOR | NEAR).join(
        data.deprivations.select("household_pk", "causes"), on="household_pk", how="left"
    )
    totals = hh.select(POOR.sum().alias("poor"), NEAR.sum().alias("near")).row(0, named=True)
    total = Said("Tổng số hộ", "All households")
    rows = [{"_level": "total", "name": total, "code": "", **totals, "poor_rate": None, "near_rate": None}]
    causes_en = review_law().causes(data.when, "en")
    for code, label in review_law().causes(data.when).items():
        cited = pl.col("causes").list.contains(code).fill_null(False)
        counts = hh.select((POOR & cited).sum().alias("poor"), (NEAR & cited).sum().alias("near")).row(0, named=True)
        rows.append(
            {
                "_level": "item",
                "name": Said(label, causes_en.get(code, "")),
                "code": code,
                **counts,
                "poor_rate": round(counts["poor"] * 100 / totals["poor"], 2) if totals["poor"] else None,
                "near_rate": round(counts["near"] * 100 / totals["near"], 2) if totals["near"] else None,
            }
        )
    cols = [
        *UNIT_COLS[:1],
        Col("name", "Nguyên nhân", "Cause", "text"),
        Col("poor", "Số hộ", "Households", "int", "Hộ nghèo", "Poor"),
        Col("poor_rate", "% số hộ nghèo", "% of poor", "pct", "Hộ nghèo", "Poor"),
        Col("near", "Số hộ", "Households", "int", "Hộ cận nghèo", "Near-poor"),
        Col("near_rate", "% số hộ cận nghèo", "% of near-poor", "pct", "Hộ cận nghèo", "Near-poor"),
    ]
    return Table(
        "nguyen-nhan",
        "Phân tích hộ nghèo, hộ cận nghèo theo nguyên nhân nghèo",
        "Poor and near-poor households by cause of poverty",
        _scope(data),
        data.period.label_vi,
        cols,
        rows,
        [
            Said(
                "Một hộ có thể có nhiều nguyên nhân. Danh mục nguyên nhân: theo mã nguồn công khai, chưa đối "
                "chiếu phiếu B (C).",
                "A household may cite several causes. The list of causes: from public code, not yet checked "
                "against Form B (C).",
            )
        ],
    )


def children(data: ReportData) -> Table:
    """Children of poor and near-poor households: count, without health insurance, malnourished, out of school."""
    school = next((i for i in data.standard.indicators if i.formula == "child_out_of_school"), None)
    members = data.members
    if school is not None:
        from ..standards.indicators import age_at_least, age_below

        school_age = age_at_least(school.value("age_min", data.when), data.when) & age_below(
            school.value("age_below", data.when), data.when
        )
        members = members.with_columns(
            (school_age & (pl.col("in_school") == False))  # noqa: E712 (a Polars expression, not a Python bool)
            .fill_null(False)
            .alias("out_of_school")
        )
    else:
        members = members.with_columns(pl.lit(None, pl.Boolean).alias("out_of_school"))
    kids = members.filter(pl.col("is_child").fill_null(False)).join(
        data.households.select("household_pk", "commune_id", "end_simple"), on="household_pk", how="inner"
    )
    counts: dict[str, pl.Expr] = {}
    cols: list[Col] = []
    for key, cond, g in (
        ("poor", POOR, ("Trẻ em thuộc hộ nghèo", "Children of poor households")),
        ("near", NEAR, ("Trẻ em thuộc hộ cận nghèo", "Children of near-poor households")),
    ):
        counts |= {
            key: cond,
            f"{key}_uninsured": cond & (pl.col("has_health_insurance") == False),  # noqa: E712
            f"{key}_malnourished": cond & (pl.col("stunted").fill_null(False) | pl.col("underweight").fill_null(False)),
            f"{key}_out_of_school": cond & pl.col("out_of_school").fill_null(False),
        }
        cols += [
            Col(key, "Số trẻ em", "Children", "int", *g),
            Col(f"{key}_uninsured", "Không có BHYT", "No health insurance", "int", *g),
            Col(f"{key}_malnourished", "Suy dinh dưỡng", "Malnourished", "int", *g),
            Col(f"{key}_out_of_school", "Không đi học đúng độ tuổi", "Not in school", "int", *g),
        ]
    child = next((i for i in data.standard.indicators if "child_age_below" in i.params), None)
    note = (
        Said(
            f"Trẻ em: dưới {child.value('child_age_below', data.when)} tuổi theo chỉ số "
            f'"{child.name_vi}" của chuẩn {data.standard.id}.',
            f"Children: under {child.value('child_age_below', data.when)} years, as the indicator "
            f'"{child.name_en or child.name_vi}" of standard {data.standard.id} counts them.',
        )
        if child
        else Said(
            "Chuẩn này không có chỉ số về trẻ em: không đếm được trẻ em.",
            "This standard has no indicator about children: children are not counted.",
        )
    )
    return _unit_table(
        data,
        "tre-em",
        (
            "Tổng hợp chỉ tiêu thiếu hụt của trẻ em thuộc hộ nghèo, hộ cận nghèo",
            "Deprivations of children in poor and near-poor households",
        ),
        cols,
        counts,
        {},
        frame=kids,
        notes=[note],
    )


def _vietnamese_rank(frame: pl.DataFrame, column: str) -> pl.Expr:
    """`column`'s place in Vietnamese alphabetical order (`core.text.vi_sort_key`), to sort by: one key per
    distinct name (a commune's few villages), not per row; missing names first."""
    from ..core.text import vi_sort_key

    names = sorted(frame.get_column(column).fill_null("").unique().to_list(), key=vi_sort_key)
    return pl.col(column).fill_null("").replace_strict(names, list(range(len(names))), return_dtype=pl.UInt32)


def _detail(data: ReportData, poor: bool) -> Table:
    """Every household of the class with its members (national ids masked unless the user may see them)."""
    from ..accounts.access import sees_personal_ids
    from ..core.masking import mask_national_id

    target = "poor" if poor else "near_poor"
    show_ids = sees_personal_ids(data.actor)
    hh = data.households.filter(pl.col("end_simple") == target).join(
        data.units.select("commune_id", "commune_name"), on="commune_id", how="left"
    )
    hh = hh.sort(_vietnamese_rank(hh, "commune_name"), _vietnamese_rank(hh, "village_name"), "household_id")
    members = data.members.join(hh.select("household_pk"), on="household_pk", how="semi").sort(
        "household_pk", "member_id"
    )
    by_household: dict[int, list[dict]] = {}
    for m in members.iter_rows(named=True):
        by_household.setdefault(m["household_pk"], []).append(m)
    names = dict(ETHNICITIES)
    total = Said(
        f"Tổng cộng: {number_vi(hh.height)} hộ, {number_vi(members.height)} người",
        f"Total: {number_vi(hh.height)} households, {number_vi(members.height)} people",
    )
    rows: list[dict] = [{"_level": "total", "name": total, "code": ""}]
    for n, h in enumerate(hh.iter_rows(named=True), start=1):
        rows.append(
            {
                "_level": "item",
                "stt": n,
                "code": h["household_id"],
                "name": h["head_name"] or "",
                "commune": h["commune_name"],
                "village": h["village_name"],
                "address": h["address"],
                "ethnicity": names.get(h["head_ethnicity"] or "", ""),
                "n_members": h["n_members"],
                "transition": Said(
                    TRANSITION_LABELS.get(h["transition"] or "", ""),
                    TRANSITION_LABELS_EN.get(h["transition"] or "", ""),
                ),
            }
        )
        for m in by_household.get(h["household_pk"], []):
            born = m["birth_date"].strftime("%d/%m/%Y") if m["birth_date"] else (m["birth_year"] or "")
            nid = m["national_id"] or ""
            rows.append(
                {
                    "_level": "member",
                    "name": m["full_name"],
                    "born": str(born),
                    "relation": Said(
                        RELATION_VI.get(m["relation_to_head"] or "", ""),
                        label_en(m["relation_to_head"]) if m["relation_to_head"] else "",
                    ),
                    "national_id": nid if show_ids else mask_national_id(nid),
                    "ethnicity": names.get(m["ethnicity"] or "", ""),
                }
            )
    cols = [
        Col("stt", "STT", "No.", "text"),
        Col("code", "Mã hộ", "Household id", "text"),
        Col("name", "Họ và tên", "Name", "text"),
        Col("born", "Ngày/năm sinh", "Born", "text"),
        Col("relation", "Quan hệ với chủ hộ", "Relation", "text"),
        Col("national_id", "Số định danh", "National id", "text"),
        Col("ethnicity", "Dân tộc", "Ethnicity", "text"),
        Col("commune", "Xã", "Commune", "text"),
        Col("village", "Thôn", "Village", "text"),
        Col("address", "Địa chỉ", "Address", "text"),
        Col("n_members", "Số nhân khẩu", "Members", "int"),
        Col("transition", "Diễn biến", "Change", "text"),
    ]
    label = ("hộ nghèo", "poor") if poor else ("hộ cận nghèo", "near-poor")
    notes: list[str] = (
        []
        if show_ids
        else [Said("Số định danh được che theo quyền của người xem.", "National ids are masked for your role.")]
    )
    return Table(
        "danh-sach-ngheo" if poor else "danh-sach-can-ngheo",
        f"Danh sách chi tiết {label[0]}",
        f"Detailed list of {label[1]} households",
        _scope(data),
        data.period.label_vi,
        cols,
        rows,
        notes,
    )


RELATION_VI = {
    "head": "Chủ hộ",
    "spouse": "Vợ/chồng",
    "child": "Con",
    "parent": "Bố/mẹ",
    "grandchild": "Cháu",
    "sibling": "Anh/chị/em",
    "other": "Khác",
}


def poor_list(data: ReportData) -> Table:
    return _detail(data, poor=True)


def near_poor_list(data: ReportData) -> Table:
    return _detail(data, poor=False)


@dataclass(frozen=True)
class ReportKind:
    name: str
    title_vi: str
    title_en: str
    build: Callable[[ReportData], Table]
    description_vi: str = ""  # a line under the title on the report menu, where there is one
    description_en: str = ""


REPORTS: dict[str, ReportKind] = {
    k.name: k
    for k in (
        ReportKind("ket-qua", "Kết quả rà soát theo đơn vị", "Review results by unit", results),
        ReportKind("dien-bien-ngheo", "Diễn biến hộ nghèo", "Changes in poor households", poor_changes),
        ReportKind(
            "dien-bien-can-ngheo", "Diễn biến hộ cận nghèo", "Changes in near-poor households", near_poor_changes
        ),
        ReportKind("thieu-hut-ngheo", "Thiếu hụt của hộ nghèo", "Deprivations of poor households", poor_deprivations),
        ReportKind(
            "thieu-hut-can-ngheo",
            "Thiếu hụt của hộ cận nghèo",
            "Deprivations of near-poor households",
            near_poor_deprivations,
        ),
        ReportKind("nhom-doi-tuong", "Theo nhóm đối tượng", "By group", groups),
        ReportKind("dan-toc", "Theo dân tộc", "By ethnicity", by_ethnicity),
        ReportKind("nguyen-nhan", "Theo nguyên nhân nghèo", "By cause of poverty", by_cause),
        ReportKind("tre-em", "Thiếu hụt của trẻ em", "Children's deprivations", children),
        ReportKind("danh-sach-ngheo", "Danh sách hộ nghèo", "List of poor households", poor_list),
        ReportKind("danh-sach-can-ngheo", "Danh sách hộ cận nghèo", "List of near-poor households", near_poor_list),
    )
}

__all__ = ["REPORTS", "UNASSIGNED", "ReportKind"]
