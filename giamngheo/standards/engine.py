"""classify(households, members, standard, as_of): one columnar pass for a commune or a nation.

Facts in, one row per household out: category, the line that applied, one 0/1 column per
indicator and the members behind each. Deprivations are computed in three-valued logic; a
household whose category depends on an unknown fact is an error naming the household and the
column, never a silent "not deprived". Results are aligned by key and returned in input order.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from .contract import HOUSEHOLD_COLUMNS, MEMBER_COLUMNS
from .indicators import Rule, rule_for
from .params import Standard, resolve_standard
from .problems import InputError, Problem
from .reading import ROW, coerce, with_all_columns

HH_ID, MEMBER_ID = "household_id", "member_id"
TRUE_CODE, UNKNOWN_CODE = 2, 1  # Kleene "any" as max over false=0, unknown=1, true=2


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise InputError([Problem("--as-of", None, None, f"ngày không hợp lệ '{value}' (cần YYYY-MM-DD)",
                                  f"malformed date '{value}' (expected YYYY-MM-DD)")]) from exc


def _with_ages(members: pl.DataFrame, when: dt.date) -> pl.DataFrame:
    """Age in completed years and months on the reference date; birth_year means 1 July."""
    birth = pl.col("birth_date")
    if "birth_year" in members.columns:
        from_year = pl.date(pl.col("birth_year"), 7, 1)
        birth = pl.coalesce(birth, from_year) if "birth_date" in members.columns else from_year
    # Int32 before arithmetic: month() and day() are Int8, and month * 100 would overflow.
    y, m, d = (part.cast(pl.Int32) for part in (birth.dt.year(), birth.dt.month(), birth.dt.day()))
    not_yet = ((m * 100 + d) > (when.month * 100 + when.day)).cast(pl.Int32)
    return members.with_columns(
        (when.year - y - not_yet).alias("age"),
        ((when.year - y) * 12 + (when.month - m) - (d > when.day).cast(pl.Int32)).alias("age_months"),
        y.alias("birth_year_effective"),
    )


def _integrity_problems(
    hh: pl.DataFrame, mem: pl.DataFrame, labels: tuple[str, str], std: Standard
) -> list[Problem]:
    problems: list[Problem] = []
    hh_label, mem_label = labels
    for frame, key, label in ((hh, HH_ID, hh_label), (mem, MEMBER_ID, mem_label)):
        dup = frame.filter(pl.col(key).is_not_null() & pl.col(key).is_duplicated())
        for row, value in dup.select(ROW, key).iter_rows():
            problems.append(Problem(label, row, key, f"mã trùng lặp '{value}'", f"duplicate id '{value}'"))
    orphans = mem.filter(pl.col(HH_ID).is_not_null() & ~pl.col(HH_ID).is_in(hh.get_column(HH_ID).implode()))
    for row, hid in orphans.select(ROW, HH_ID).iter_rows():
        problems.append(Problem(mem_label, row, HH_ID, f"thành viên của hộ không có trong tệp hộ '{hid}'",
                                f"member of a household not in the households file '{hid}'", hid))
    empty = hh.filter(pl.col(HH_ID).is_not_null() & ~pl.col(HH_ID).is_in(mem.get_column(HH_ID).implode()))
    for row, hid in empty.select(ROW, HH_ID).iter_rows():
        problems.append(Problem(hh_label, row, HH_ID, "hộ không có thành viên nào",
                                "household has no members", hid))
    no_birth = mem.filter(pl.col("birth_date").is_null() & pl.col("birth_year").is_null())
    for row, hid in no_birth.select(ROW, HH_ID).iter_rows():
        problems.append(Problem(mem_label, row, "birth_date", "thiếu ngày sinh (hoặc năm sinh)",
                                "birth date (or birth year) is empty", hid))
    bad_id = mem.filter(pl.col("national_id").is_not_null() & ~pl.col("national_id").str.contains(r"^\d{12}$"))
    for row, hid, nid in bad_id.select(ROW, HH_ID, "national_id").iter_rows():
        problems.append(Problem(mem_label, row, "national_id", f"số định danh phải có đúng 12 chữ số ('{nid}')",
                                f"national id must be exactly 12 digits ('{nid}')", hid))
    has_score = std.param("income_score_cutoff", "rural") is not None
    no_income = hh.filter(pl.col("income_per_capita_month").is_null()
                          & (pl.col("income_score").is_null() if has_score else pl.lit(True)))
    column = "income_per_capita_month/income_score" if has_score else "income_per_capita_month"
    for row, hid in no_income.select(ROW, HH_ID).iter_rows():
        problems.append(Problem(hh_label, row, column, "thiếu thu nhập bình quân đầu người",
                                "income per person is empty", hid))
    no_area = hh.filter(pl.col("area").is_null())
    for row, hid, code in no_area.select(ROW, HH_ID, "admin_code").iter_rows():
        problems.append(Problem(hh_label, row, "area", f"không xác định được khu vực: mã đơn vị '{code}' không rõ",
                                f"cannot tell rural/urban: unknown unit code '{code}'", hid))
    return problems


def _resolve_area(hh: pl.DataFrame, unit_areas: pl.DataFrame | None) -> pl.DataFrame:
    """Explicit area wins; otherwise the unit type decides (xã rural, phường/thị trấn urban)."""
    if unit_areas is None:
        return hh
    lookup = unit_areas.select(pl.col("admin_code").cast(pl.String), pl.col("area").alias("_unit_area"))
    lookup = lookup.unique("admin_code", keep="first")
    hh = hh.join(lookup, on="admin_code", how="left")
    return hh.with_columns(pl.coalesce("area", "_unit_area").alias("area")).drop("_unit_area")


def _member_flags(mem: pl.DataFrame, rules: dict[str, Rule]) -> pl.DataFrame:
    member_rules = {k: r for k, r in rules.items() if r.level in ("member", "share")}
    return mem.select(
        HH_ID, MEMBER_ID, ROW,
        *[r.expr.alias(f"_f_{k}") for k, r in member_rules.items()],
    )


def _aggregate_members(flags: pl.DataFrame, rules: dict[str, Rule]) -> pl.DataFrame:
    aggs: list[pl.Expr] = [pl.len().alias("n_members")]
    for key, rule in rules.items():
        flag = pl.col(f"_f_{key}")
        if rule.level == "member":
            aggs.append((flag.cast(pl.UInt8) * TRUE_CODE).fill_null(UNKNOWN_CODE).max().alias(f"_m_{key}"))
        elif rule.level == "share":
            aggs.append(flag.fill_null(False).cast(pl.UInt32).sum().alias(f"_lo_{key}"))
            aggs.append(flag.fill_null(True).cast(pl.UInt32).sum().alias(f"_hi_{key}"))
    return flags.group_by(HH_ID).agg(aggs)


def _deprivation(key: str, rule: Rule) -> pl.Expr:
    """Nullable boolean: deprived, not deprived, or unknown."""
    if rule.level == "member":
        code = pl.col(f"_m_{key}")
        return pl.when(code == TRUE_CODE).then(True).when(code == 0).then(False).otherwise(None)
    if rule.level == "share":
        n = pl.col("n_members") * rule.share_above
        return (pl.when(pl.col(f"_lo_{key}") > n).then(True)
                .when(pl.col(f"_hi_{key}") <= n).then(False).otherwise(None))
    return rule.expr


def _category(std: Standard, when: dt.date, count: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Category for a given deprivation count, and the 2016 'multidimensionally deprived' flag."""
    value, line = pl.col("_value"), pl.col("_line")
    cutoff = std.value("deprivation_cutoff", when)
    deprived_enough = count >= cutoff
    average = pl.col("_avg_upper").is_not_null() & (value <= pl.col("_avg_upper"))
    if std.rule == "line_and_count":
        category = (pl.when((value <= line) & deprived_enough).then(pl.lit("poor"))
                    .when(value <= line).then(pl.lit("near_poor"))
                    .when(average).then(pl.lit("average"))
                    .otherwise(pl.lit("other")))
        return category, pl.lit(None, dtype=pl.Boolean)
    if std.rule == "two_lines":
        near = pl.col("_near_line")
        category = (pl.when(value <= line).then(pl.lit("poor"))
                    .when((value <= near) & deprived_enough).then(pl.lit("poor"))
                    .when(value <= near).then(pl.lit("near_poor"))
                    .when(average).then(pl.lit("average"))
                    .otherwise(pl.lit("other")))
        return category, (value > near) & deprived_enough
    raise ValueError(f"{std.id}: unknown rule {std.rule!r}")


def _by_area(std: Standard, name: str, when: dt.date) -> pl.Expr:
    rural, urban = std.value(name, when, "rural"), std.value(name, when, "urban")
    if rural is None:
        return pl.lit(None, dtype=pl.Int64)
    return pl.when(pl.col("area") == "urban").then(pl.lit(urban)).otherwise(pl.lit(rural)).cast(pl.Int64)


def _lines(std: Standard, when: dt.date) -> list[pl.Expr]:
    """The value compared (income, else Form B score) and the lines on the same scale."""
    by_income = pl.col("income_per_capita_month").is_not_null()
    has_score = std.param("income_score_cutoff", "rural") is not None
    score = pl.col("income_score") if has_score else pl.lit(None, dtype=pl.Int64)

    def pick(income_name: str, score_name: str) -> pl.Expr:
        return pl.when(by_income).then(_by_area(std, income_name, when)).otherwise(_by_area(std, score_name, when))

    return [
        pl.when(by_income).then(pl.lit("income")).otherwise(pl.lit("score")).alias("income_basis"),
        pl.coalesce(pl.col("income_per_capita_month"), score).alias("_value"),
        _by_area(std, "income_line", when).alias("income_line"),
        pick("income_line", "income_score_cutoff").alias("_line"),
        pick("near_poor_line", "near_poor_score_cutoff").alias("_near_line"),
        pl.when(by_income).then(_by_area(std, "average_upper", when)).otherwise(None).alias("_avg_upper"),
    ]


def _unresolved_problems(
    frame: pl.DataFrame, flags: pl.DataFrame, rules: dict[str, Rule], labels: tuple[str, str], hh: pl.DataFrame
) -> list[Problem]:
    """For households whose category hinges on unknown facts: which facts, where."""
    problems: list[Problem] = []
    hh_label, mem_label = labels
    for key, rule in rules.items():
        stuck = frame.filter(pl.col(f"deprived_{key}").is_null())
        if stuck.is_empty():
            continue
        ids = stuck.get_column(HH_ID).implode()
        if rule.level == "household":
            rows = hh.filter(pl.col(HH_ID).is_in(ids))
            for col in rule.columns:
                for row, hid in rows.filter(pl.col(col).is_null()).select(ROW, HH_ID).iter_rows():
                    problems.append(Problem(hh_label, row, col,
                                            f"thiếu thông tin cần cho chỉ số '{key}'",
                                            f"value needed by indicator '{key}' is empty", hid))
        else:
            unknown = flags.filter(pl.col(HH_ID).is_in(ids) & pl.col(f"_f_{key}").is_null())
            members = unknown.select(ROW, HH_ID, MEMBER_ID)
            for row, hid, mid in members.iter_rows():
                problems.append(Problem(mem_label, row, "/".join(rule.columns),
                                        f"thiếu thông tin của thành viên {mid} cần cho chỉ số '{key}'",
                                        f"member {mid}: a value needed by indicator '{key}' is empty", hid))
    return problems


def _explanations(flags: pl.DataFrame, rules: dict[str, Rule]) -> list[pl.DataFrame]:
    out = []
    for key, rule in rules.items():
        if rule.level not in ("member", "share"):
            continue
        who = (flags.filter(pl.col(f"_f_{key}").fill_null(False))
               .group_by(HH_ID).agg(pl.col(MEMBER_ID).sort().str.join(",").alias(f"members_{key}")))
        out.append(who)
    return out


def classify(
    households: pl.DataFrame,
    members: pl.DataFrame,
    standard: str | Standard = "auto",
    as_of: dt.date | str | None = None,
    *,
    unit_areas: pl.DataFrame | None = None,
    explain: bool = True,
    labels: tuple[str, str] = ("households", "members"),
) -> pl.DataFrame:
    """Classify every household under `standard` on the reference date `as_of`.

    `unit_areas` (admin_code, area) fills an empty `area` from the unit type. Raises InputError
    listing every problem (file, row, column, household) when the input cannot be classified.
    """
    if as_of is None:
        raise InputError([Problem("--as-of", None, None, "thiếu ngày tham chiếu", "reference date is missing")])
    when = _as_date(as_of)
    std = resolve_standard(standard, when)
    hh, hh_problems = coerce(households, HOUSEHOLD_COLUMNS, labels[0])
    mem, mem_problems = coerce(members, MEMBER_COLUMNS, labels[1])
    problems = hh_problems + mem_problems
    if problems:  # structure first: integrity checks on unparsed cells would only repeat them
        raise InputError(problems)
    hh = _resolve_area(with_all_columns(hh, HOUSEHOLD_COLUMNS), unit_areas)
    mem = with_all_columns(mem, MEMBER_COLUMNS)
    problems = _integrity_problems(hh, mem, labels, std)
    if problems:
        raise InputError(problems)

    rules = {ind.id: rule_for(ind, when) for ind in std.indicators}
    flags = _member_flags(_with_ages(mem, when), rules)
    frame = hh.join(_aggregate_members(flags, rules), on=HH_ID, how="left")
    frame = frame.with_columns(_lines(std, when))
    frame = frame.with_columns([_deprivation(k, r).alias(f"deprived_{k}") for k, r in rules.items()])
    dep = [pl.col(f"deprived_{k}") for k in rules]
    frame = frame.with_columns(
        pl.sum_horizontal([d.fill_null(False).cast(pl.Int8) for d in dep]).alias("deprivation_count"),
        pl.sum_horizontal([d.is_null().cast(pl.Int8) for d in dep]).alias("_unknown"),
    )
    lo_category, lo_flag = _category(std, when, pl.col("deprivation_count"))
    hi_category, hi_flag = _category(std, when, pl.col("deprivation_count") + pl.col("_unknown"))
    frame = frame.with_columns(
        lo_category.alias("category"),
        ((lo_category != hi_category) | (lo_flag != hi_flag).fill_null(False)).alias("_undecided"),
        lo_flag.alias("multidimensional_deprived"),
    )
    undecided = frame.filter(pl.col("_undecided"))
    if undecided.height:
        raise InputError(_unresolved_problems(undecided, flags, rules, labels, hh))

    if explain:
        for who in _explanations(flags, rules):
            frame = frame.join(who, on=HH_ID, how="left")
    return _output(frame, std, when, rules, explain)


def _output(frame: pl.DataFrame, std: Standard, when: dt.date, rules: dict[str, Rule], explain: bool) -> pl.DataFrame:
    unknown_names = pl.concat_str(
        [pl.when(pl.col(f"deprived_{k}").is_null()).then(pl.lit(k)) for k in rules],
        separator=",", ignore_nulls=True,
    )
    columns: list[pl.Expr | str] = [
        HH_ID,
        pl.lit(std.id).alias("standard"),
        pl.lit(std.version).alias("standard_version"),
        pl.lit(when).alias("as_of"),
        "admin_code",
        "area",
        "category",
        "income_line",
        "income_basis",
        pl.col("income_per_capita_month"),
        pl.col("income_score"),
        pl.col("deprivation_count").cast(pl.Int64),
        *[pl.col(f"deprived_{k}").cast(pl.Int8) for k in rules],
    ]
    if std.rule == "two_lines":
        columns.append(pl.col("multidimensional_deprived").cast(pl.Int8))
    columns.append(pl.when(pl.col("_unknown") > 0).then(unknown_names).alias("unknown_indicators"))
    if explain:
        columns += [f"members_{k}" for k, r in rules.items() if r.level in ("member", "share")]
    return frame.sort(ROW).select(columns)
