"""classify(households, members, standard, as_of): one columnar pass for a commune or a nation.

Facts in, one row per household out: category, the line that applied, one 0/1 column per
indicator and the members behind each. Deprivations are computed in three-valued logic; a
household whose category depends on an unknown fact is an error naming the household and the
column, never a silent "not deprived".

Every member carries its household's position (`_hh`). When the members arrive grouped in the
households' order (as every export of ours writes them), the runs of the same household_id are
checked key by key against the households and give the positions as they are; otherwise the
members are first put in that order through a join on household_id. Members are reduced to
households by counting, per indicator, the household positions of the members it flags
(`Segments.counts`); those same members, with their ids, are the explanations' lists. Results
are aligned by key, never by trusting row order, and come back in the households' input order.
Where the time goes, and why each step is done the way it is: docs/adr/0009.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from .asked import AGE_BOUND_QUESTIONS
from .checks import bad_national_ids, duplicate_ids, not_twelve_digits, strictly_increasing
from .contract import HOUSEHOLD_COLUMNS, MEMBER_BY_NAME, MEMBER_COLUMNS
from .indicators import BIRTH, Rule, birth_from_facts, rule_for
from .params import Standard, resolve_standard
from .problems import InputError, Problem, distinct
from .reading import ROW, _located, coerce, enum_of, with_all_columns

HH_ID, MEMBER_ID = "household_id", "member_id"
HH_INDEX = "_hh"
CATEGORY = pl.Enum(["poor", "near_poor", "average", "other"])


# Text the rules never read: a caller reading files may leave these out (`reading.read_table`'s
# `columns`), and the result is the same.
UNREAD = frozenset({"village", "full_name", "ethnicity"})
READS = frozenset(c.name for c in (*HOUSEHOLD_COLUMNS, *MEMBER_COLUMNS)) - UNREAD


def _cat(name: str) -> pl.Expr:
    return pl.lit(name, dtype=CATEGORY)


AREA = enum_of(next(c for c in HOUSEHOLD_COLUMNS if c.name == "area"))


def _enum_text(column: str, enum: pl.Enum) -> pl.Expr:
    """An Enum column as text: its categories gathered by code (a cast cost 5x that on 1M rows)."""
    return pl.lit(pl.Series(enum.categories)).gather(pl.col(column).to_physical()).alias(column)


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise InputError(
            [
                Problem(
                    "--as-of",
                    None,
                    None,
                    f"ngày không hợp lệ '{value}' (cần YYYY-MM-DD)",
                    f"malformed date '{value}' (expected YYYY-MM-DD)",
                )
            ]
        ) from exc


def _scan_members(mem: pl.DataFrame, flags: dict[str, pl.Expr]) -> pl.DataFrame:
    """One parallel pass over the members in their file order: where each household's run starts,
    whether member ids are strictly increasing, whether any citizen id is malformed, and each
    member-level rule's flag (`_f_<id>`), used as they are when the file's order is kept.

    The result is put in one piece: it comes in as many as the engine split the work into (70 on
    3.6M members), and every later filter of members by these flags paid for them."""
    return (
        mem.lazy()
        .select(
            (pl.col(HH_ID) != pl.col(HH_ID).shift(1)).fill_null(True).alias("_start"),
            ((pl.len() < 2) | (pl.col(MEMBER_ID) > pl.col(MEMBER_ID).shift(1)).all()).alias("_increasing"),
            not_twelve_digits(pl.col("national_id")).any().alias("_bad_ids"),
            *[expr.alias(f"_f_{key}") for key, expr in flags.items()],
        )
        .collect()
        .rechunk()
    )


def _group_members(
    hh: pl.DataFrame, mem: pl.DataFrame, labels: tuple[str, str], scan: pl.DataFrame
) -> tuple[pl.DataFrame, pl.Series | None, list[Problem], bool]:
    """Members in the households' order with `_hh` (the household's position), their run sizes
    when they already came grouped in that order (else None), orphan members as problems, and
    whether member ids are strictly increasing (proof of uniqueness, and the explanations' order)."""
    run_start = scan.get_column("_start")
    runs = mem.get_column(HH_ID).filter(run_start)
    if runs.len() == hh.height and bool((runs == hh.get_column(HH_ID)).all()):
        starting = run_start.to_numpy()
        sizes = pl.Series(np.diff(np.flatnonzero(starting), append=mem.height))
        positions = pl.Series(HH_INDEX, np.cumsum(starting, dtype=np.uint32) - np.uint32(1)).set_sorted()
        increasing = bool(scan.get_column("_increasing")[0]) if mem.height else True
        return mem.with_columns(positions), sizes, [], increasing
    index = hh.select(HH_ID, pl.int_range(pl.len(), dtype=pl.UInt32).alias(HH_INDEX))
    placed = mem.join(index, on=HH_ID, how="left")
    problems = [
        Problem(
            labels[1],
            row,
            HH_ID,
            f"thành viên của hộ không có trong tệp hộ '{hid}'",
            f"member of a household not in the households file '{hid}'",
            hid,
        )
        for row, hid in placed.filter(pl.col(HH_INDEX).is_null()).select(ROW, HH_ID).iter_rows()
    ]
    placed = placed.filter(pl.col(HH_INDEX).is_not_null()).sort(HH_INDEX, ROW)
    return placed, None, problems, strictly_increasing(placed.get_column(MEMBER_ID))


# Required answers that only some ages give (schooling): needed where they decide an indicator
REQUIRED_BY_AGE = tuple(n for n in AGE_BOUND_QUESTIONS if MEMBER_BY_NAME[n].required)


def _unanswered(mem: pl.DataFrame, member_flags: dict[str, pl.Expr], label: str) -> list[Problem]:
    """An empty required age-bound answer is a problem only where the member's indicator is unknown
    without it (Kleene logic): a 61-year-old's schooling decides nothing, and Form B no longer asks it
    (`asked.py`, #13), while a 10-year-old's left empty would leave the indicator undecided."""
    problems: list[Problem] = []
    for name in REQUIRED_BY_AGE:
        flagged = [f"_f_{k}" for k, expr in member_flags.items() if name in expr.meta.root_names()]
        if not flagged:
            continue
        empty = mem.filter(pl.col(name).is_null() & pl.any_horizontal(pl.col(f).is_null() for f in flagged))
        problems += _located(empty, MEMBER_BY_NAME[name], label, "ô bắt buộc đang trống", "required value is empty")
    return problems


def _integrity_problems(
    hh: pl.DataFrame,
    mem: pl.DataFrame,
    labels: tuple[str, str],
    std: Standard,
    sizes: pl.Series,
    members_increasing: bool,
    ids_checked: bool = False,
) -> list[Problem]:
    hh_label, mem_label = labels
    problems = duplicate_ids(hh, HH_ID, hh_label) + duplicate_ids(mem, MEMBER_ID, mem_label, members_increasing)
    if not ids_checked:  # the scan found a malformed citizen id: list them
        problems += bad_national_ids(mem, mem_label)
    for row, hid in hh.filter(sizes == 0).select(ROW, HH_ID).iter_rows():
        problems.append(Problem(hh_label, row, HH_ID, "hộ không có thành viên nào", "household has no members", hid))
    if mem.get_column("birth").null_count():
        for row, hid in mem.filter(pl.col("birth").is_null()).select(ROW, HH_ID).iter_rows():
            problems.append(
                Problem(
                    mem_label,
                    row,
                    "birth_date",
                    "thiếu ngày sinh (hoặc năm sinh)",
                    "birth date (or birth year) is empty",
                    hid,
                )
            )
    has_score = std.param("income_score_cutoff", "rural") is not None
    no_income = pl.col("income_per_capita_month").is_null() & (
        pl.col("income_score").is_null() if has_score else pl.lit(True)
    )
    column = "income_per_capita_month/income_score" if has_score else "income_per_capita_month"
    for row, hid in hh.filter(no_income).select(ROW, HH_ID).iter_rows():
        problems.append(
            Problem(hh_label, row, column, "thiếu thu nhập bình quân đầu người", "income per person is empty", hid)
        )
    for row, hid, code in hh.filter(pl.col("area").is_null()).select(ROW, HH_ID, "admin_code").iter_rows():
        problems.append(
            Problem(
                hh_label,
                row,
                "area",
                f"không xác định được khu vực: mã đơn vị '{code}' không rõ",
                f"cannot tell rural/urban: unknown unit code '{code}'",
                hid,
            )
        )
    return problems


def _resolve_area(hh: pl.DataFrame, unit_areas: pl.DataFrame | None) -> pl.DataFrame:
    """Explicit area wins; otherwise the unit type decides (xã rural, phường/thị trấn urban)."""
    if unit_areas is None or not hh.get_column("area").null_count():
        return hh
    lookup = unit_areas.select(pl.col("admin_code").cast(pl.String), pl.col("area").cast(AREA).alias("_unit_area"))
    hh = hh.join(lookup.unique("admin_code", keep="first"), on="admin_code", how="left")
    return hh.with_columns(pl.coalesce("area", "_unit_area").alias("area")).drop("_unit_area")


class Segments:
    """Per-household counts over members that carry `_hh`, their household's position."""

    def __init__(self, hh_index: pl.Series, households: int, sizes: pl.Series | None = None):
        if sizes is None:
            sizes = pl.Series(np.bincount(hh_index.to_numpy(), minlength=households))
        self.sizes = sizes.cast(pl.Int64).rename("n_members")

    def counts(self, picked: dict[str, pl.DataFrame]) -> pl.DataFrame:
        """Per household, how many of the picked members (`_members_where`) are its own.

        NumPy's bincount of the picked members' household positions: only the flagged tenth of
        the members is read again, where prefix sums over every member cost 4-5x more (bit-packed
        booleans unpacked for NumPy).
        """
        households = self.sizes.len()
        return pl.DataFrame(
            {
                name: np.bincount(rows.get_column(HH_INDEX).to_numpy(), minlength=households)
                for name, rows in picked.items()
            },
            schema=dict.fromkeys(picked, pl.Int64),
        )


def _members_where(flags: pl.DataFrame, conditions: dict[str, pl.Expr], columns: list[str]) -> dict[str, pl.DataFrame]:
    """The members each boolean expression (no nulls) holds for, in household order: one filter
    each, run in parallel, each result in one piece (a gather of text across a filter's pieces
    cost 10x one in one piece)."""
    lazy = flags.lazy()
    picked = pl.collect_all([lazy.filter(condition).select(columns) for condition in conditions.values()])
    return {name: rows.rechunk() for name, rows in zip(conditions, picked, strict=True)}


def _deprivations(
    hh: pl.DataFrame, mem: pl.DataFrame, rules: dict[str, Rule], seg: Segments, explain: bool
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, pl.DataFrame]]:
    """Nullable deprived_<id> per household, the members' flags, and per member-level indicator
    the members it flags (with their ids when explaining: the explanations start from them)."""
    member_rules = {k: r for k, r in rules.items() if r.level != "household"}
    flags = mem.select(HH_INDEX, MEMBER_ID, ROW, HH_ID, *[f"_f_{k}" for k in member_rules])
    nulls = flags.select(pl.col(f"_f_{k}").null_count() for k in member_rules).row(0)
    unknown = [k for k, n in zip(member_rules, nulls, strict=True) if n]
    flagged = _members_where(
        flags,
        {k: pl.col(f"_f_{k}").fill_null(False) for k in member_rules},
        [HH_INDEX, MEMBER_ID] if explain else [HH_INDEX],
    )
    undecided = _members_where(flags, {k: pl.col(f"_f_{k}").is_null() for k in unknown}, [HH_INDEX])
    totals = seg.counts(
        {f"{k}_lo": rows for k, rows in flagged.items()} | {f"{k}_unknown": rows for k, rows in undecided.items()}
    ).with_columns(seg.sizes)
    deprived = []
    for key, rule in member_rules.items():
        bound = pl.col("n_members") * rule.share_above if rule.level == "share" else pl.lit(0)
        lo = pl.col(f"{key}_lo")
        if key not in unknown:  # every flag known: deprived or not, no third value
            deprived.append((lo > bound).alias(f"deprived_{key}"))
            continue
        hi = lo + pl.col(f"{key}_unknown")
        deprived.append(
            pl.when(lo > bound).then(True).when(hi <= bound).then(False).otherwise(None).alias(f"deprived_{key}")
        )
    frame = pl.concat([hh, totals.select(seg.sizes.name, *deprived)], how="horizontal")
    frame = frame.with_columns([r.expr.alias(f"deprived_{k}") for k, r in rules.items() if r.level == "household"])
    return frame, flags, flagged


def _category(std: Standard, when: dt.date, count: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Category for a given deprivation count, and the 2016 'multidimensionally deprived' flag."""
    value, line = pl.col("_value"), pl.col("_line")
    cutoff = std.value("deprivation_cutoff", when)
    deprived_enough = count >= cutoff
    average = pl.col("_avg_upper").is_not_null() & (value <= pl.col("_avg_upper"))
    if std.rule == "line_and_count":
        category = (
            pl.when((value <= line) & deprived_enough)
            .then(_cat("poor"))
            .when(value <= line)
            .then(_cat("near_poor"))
            .when(average)
            .then(_cat("average"))
            .otherwise(_cat("other"))
        )
        return category, pl.lit(None, dtype=pl.Boolean)
    if std.rule == "two_lines":
        near = pl.col("_near_line")
        category = (
            pl.when(value <= line)
            .then(_cat("poor"))
            .when((value <= near) & deprived_enough)
            .then(_cat("poor"))
            .when(value <= near)
            .then(_cat("near_poor"))
            .when(average)
            .then(_cat("average"))
            .otherwise(_cat("other"))
        )
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
    frame: pl.DataFrame, flags: pl.DataFrame, rules: dict[str, Rule], labels: tuple[str, str]
) -> list[Problem]:
    """For households whose category hinges on unknown facts: which facts, where."""
    problems: list[Problem] = []
    hh_label, mem_label = labels
    for key, rule in rules.items():
        stuck = frame.filter(pl.col(f"deprived_{key}").is_null())
        if stuck.is_empty():
            continue
        if rule.level == "household":
            for col in rule.columns:
                for row, hid in stuck.filter(pl.col(col).is_null()).select(ROW, HH_ID).iter_rows():
                    problems.append(
                        Problem(
                            hh_label,
                            row,
                            col,
                            f"thiếu thông tin cần cho chỉ số '{key}'",
                            f"value needed by indicator '{key}' is empty",
                            hid,
                        )
                    )
        else:
            ids = stuck.get_column(HH_ID).implode()
            unknown = flags.filter(pl.col(HH_ID).is_in(ids) & pl.col(f"_f_{key}").is_null())
            for row, hid, mid in unknown.select(ROW, HH_ID, MEMBER_ID).iter_rows():
                problems.append(
                    Problem(
                        mem_label,
                        row,
                        "/".join(rule.columns),
                        f"thiếu thông tin của thành viên {mid} cần cho chỉ số '{key}'",
                        f"member {mid}: a value needed by indicator '{key}' is empty",
                        hid,
                    )
                )
    return problems


def _explanations(frame: pl.DataFrame, flagged: dict[str, pl.DataFrame], rules: dict[str, Rule]) -> pl.DataFrame:
    """members_<id>: the member ids behind each member-level deprivation, comma-separated.

    `flagged` holds the household position and member id of the members each indicator flags,
    in household order and, within a household, in member_id order; a share-level indicator's
    are behind it only where they tip the household over. The texts are placed by a gather.
    """
    columns = []
    for key, rows in flagged.items():
        if rules[key].level == "share":
            deprived = frame.get_column(f"deprived_{key}").fill_null(False)
            rows = rows.filter(deprived.gather(rows.get_column(HH_INDEX)))
        columns.append(_member_lists(rows, frame.height).rename(f"members_{key}"))
    return frame.with_columns(columns)


def _member_lists(rows: pl.DataFrame, households: int) -> pl.Series:
    """One text per household: its chosen members' ids joined by commas, null where none.

    `rows` are in household order. A member alone behind the indicator (most households) is the
    text as it is; only households with several are grouped (by slices: the key is marked sorted)
    and their lists joined, since joining a list cost ~0.2 µs a household even for a list of one.
    """
    position = rows.get_column(HH_INDEX).to_numpy()
    same = position[1:] == position[:-1]  # a row and the next belong to one household
    if same.any():
        shared = np.zeros(position.size, dtype=bool)
        shared[1:] |= same
        shared[:-1] |= same
        several = rows.filter(pl.Series(shared))
        joined = (
            several.with_columns(pl.col(HH_INDEX).set_sorted())
            .group_by(HH_INDEX)
            .agg(pl.col(MEMBER_ID))
            .select(HH_INDEX, pl.col(MEMBER_ID).list.join(","))
        )
        rows = pl.concat([rows.filter(pl.Series(~shared)), joined], rechunk=True)
    place = pl.repeat(None, households, dtype=pl.UInt32, eager=True).scatter(
        rows.get_column(HH_INDEX), pl.int_range(0, rows.height, dtype=pl.UInt32, eager=True)
    )
    return rows.get_column(MEMBER_ID).gather(place)


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
    required = {c.name for c in MEMBER_COLUMNS if c.required}
    mem, mem_problems = coerce(members, MEMBER_COLUMNS, labels[1], required - set(REQUIRED_BY_AGE))
    mem_problems += [
        Problem(labels[1], None, name, "thiếu cột bắt buộc", "required column is missing")
        for name in REQUIRED_BY_AGE
        if name not in mem.columns
    ]
    cell_problems = hh_problems + mem_problems
    if HH_ID not in hh.columns or HH_ID not in mem.columns or MEMBER_ID not in mem.columns:
        raise InputError(cell_problems)  # without the keys nothing else can be checked
    # Only what the rules read. A Parquet file comes in row groups (30 pieces for 3.6M members), and
    # every filter or gather across pieces copied them again: the households and the two member
    # columns that are filtered and gathered are put in one piece; the others are only read in order
    # by the member scan, which takes them as they are (and puts its own result in one piece).
    hh, mem = (f.select(c for c in f.columns if c in READS or c == ROW) for f in (hh, mem))
    hh = hh.rechunk()
    mem = mem.with_columns(mem.get_column(c).rechunk() for c in (HH_ID, MEMBER_ID) if c in mem.columns)
    hh = _resolve_area(with_all_columns(hh, HOUSEHOLD_COLUMNS), unit_areas)
    hh = hh.with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).alias(HH_INDEX))
    mem = with_all_columns(mem, MEMBER_COLUMNS).with_columns(birth_from_facts())
    rules = {ind.id: rule_for(ind, when) for ind in std.indicators}
    member_flags = {k: r.expr for k, r in rules.items() if r.level != "household"}
    scan = _scan_members(mem, member_flags)
    mem, sizes, orphans, members_increasing = _group_members(hh, mem, labels, scan)
    if sizes is not None and members_increasing:  # the file's order kept: the scanned flags fit
        mem = mem.with_columns(scan.select(f"_f_{k}" for k in member_flags))
    else:
        if not members_increasing:  # explanations list members in id order
            mem = mem.sort(HH_INDEX, MEMBER_ID, maintain_order=True)
        mem = mem.with_columns(expr.alias(f"_f_{k}") for k, expr in member_flags.items())
    seg = Segments(mem.get_column(HH_INDEX), hh.height, sizes)
    ids_checked = not scan.get_column("_bad_ids").any()
    problems = cell_problems + orphans
    problems += _integrity_problems(hh, mem, labels, std, seg.sizes, members_increasing, ids_checked)
    problems += _unanswered(mem, member_flags, labels[1])
    if problems:
        raise InputError(distinct(problems))

    frame, flags, flagged = _deprivations(hh, mem, rules, seg, explain)
    frame = frame.with_columns(_lines(std, when))
    dep = [pl.col(f"deprived_{k}") for k in rules]
    unknown = pl.sum_horizontal([d.is_null().cast(pl.Int8) for d in dep])
    if not any(frame.get_column(f"deprived_{k}").null_count() for k in rules):
        unknown = pl.lit(0, dtype=pl.Int8)  # nothing unknown (the usual file): no sum per household
    frame = frame.with_columns(
        pl.sum_horizontal([d.fill_null(False).cast(pl.Int8) for d in dep]).alias("deprivation_count"),
        unknown.alias("_unknown"),
    )
    lo_category, lo_flag = _category(std, when, pl.col("deprivation_count"))
    frame = frame.with_columns(lo_category.alias("category"), lo_flag.alias("multidimensional_deprived"))
    if frame.get_column("_unknown").max():  # would the unknown facts change anything?
        hi_category, hi_flag = _category(std, when, pl.col("deprivation_count") + pl.col("_unknown"))
        undecided = frame.filter(
            (pl.col("category") != hi_category) | (pl.col("multidimensional_deprived") != hi_flag).fill_null(False)
        )
        if undecided.height:
            raise InputError(_unresolved_problems(undecided, flags, rules, labels))
    if explain:
        frame = _explanations(frame, flagged, rules)
    return _output(frame, std, when, rules, explain)


def _output(frame: pl.DataFrame, std: Standard, when: dt.date, rules: dict[str, Rule], explain: bool) -> pl.DataFrame:
    unknown_names = pl.concat_str(
        [pl.when(pl.col(f"deprived_{k}").is_null()).then(pl.lit(k)) for k in rules],
        separator=",",
        ignore_nulls=True,
    )
    columns: list[pl.Expr | str] = [
        HH_ID,
        pl.lit(std.id).alias("standard"),
        pl.lit(std.version).alias("standard_version"),
        pl.lit(when).alias("as_of"),
        "admin_code",
        _enum_text("area", AREA),
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
    if frame.get_column("_unknown").max():
        columns.append(pl.when(pl.col("_unknown") > 0).then(unknown_names).alias("unknown_indicators"))
    else:  # nothing unknown (the usual file): no string built per household
        columns.append(pl.lit(None, dtype=pl.String).alias("unknown_indicators"))
    if explain:
        columns += [f"members_{k}" for k, r in rules.items() if r.level != "household"]
    # `frame` is in `_hh` order already and `_hh` carries Polars' sorted flag (set where `_hh` is
    # made); a sort even then copied every column (~20 ms a million households), so it runs only
    # if the flag was lost: kept as the guarantee of the households' input order
    if not frame.get_column(HH_INDEX).flags["SORTED_ASC"]:
        frame = frame.sort(HH_INDEX)
    return frame.select(columns)


__all__ = ["BIRTH", "READS", "classify"]
