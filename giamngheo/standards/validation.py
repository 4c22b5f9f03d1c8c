"""The one validator of incoming household and member records (Excel/CSV import, ODK/Kobo, web form).

It checks what the data contract says (types, codes, plausibility ranges, lengths the registry
stores, unique ids, members belonging to a listed household) and returns every problem with its
file, row and column, so no value the database would refuse or misread ever reaches it.
Pure: the caller passes today's date and adds its own database checks (units, scope, ethnicity).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from .checks import bad_identifiers, bad_national_ids, duplicate_ids
from .contract import (
    DATE,
    DECIMAL,
    EXAMPLE_HOUSEHOLD_ID,
    HOUSEHOLD_COLUMNS,
    INT,
    MEMBER_COLUMNS,
    TEXT,
    TODAY,
    Column,
)
from .formats import number_vi
from .problems import Problem
from .reading import ROW, coerce, with_all_columns

SHOWN = 40  # characters of a refused value quoted back (a 100,000-character name is not echoed)


Bound = int | float | dt.date | str | None


def _bound(value: Bound, col: Column, today: dt.date) -> Bound:
    if value != TODAY:
        return value
    return today if col.kind == DATE else today.year


def _shown(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def _words(value: object) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float):
        return number_vi(value, 0 if float(value).is_integer() else 2)
    return str(value)


def bounds(col: Column, today: dt.date) -> tuple[Any, Any]:
    """The column's plausibility bounds with 'today' resolved."""
    return _bound(col.minimum, col, today), _bound(col.maximum, col, today)


def value_problems(frame: pl.DataFrame, columns: tuple[Column, ...], label: str, today: dt.date) -> list[Problem]:
    """Cells outside the contract's plausible range, and text longer than the registry keeps.

    `frame` is typed by `coerce`; unreadable cells are already problems there (null here).
    """
    problems: list[Problem] = []
    for col in columns:
        if col.name not in frame.columns:
            continue
        hids = "household_id" in frame.columns and col.name != "household_id"
        if col.kind in (INT, DECIMAL, DATE) and (col.minimum is not None or col.maximum is not None):
            low, high = bounds(col, today)
            value = pl.col(col.name)
            outside = pl.lit(False)
            if low is not None:
                outside = outside | (value < low)
            if high is not None:
                outside = outside | (value > high)
            if col.kind == DECIMAL:
                outside = outside | value.is_nan() | value.is_infinite()
            bad = frame.filter(outside.fill_null(False))
            span_vi = f"từ {_words(low)} đến {_words(high)}"
            span_en = f"from {_words(low)} to {_words(high)}"
            for row in bad.select(ROW, col.name, *(["household_id"] if hids else [])).iter_rows():
                problems.append(
                    Problem(
                        label,
                        row[0],
                        col.name,
                        f"giá trị không hợp lý ('{_shown(row[1])}'), cần {span_vi}",
                        f"implausible value ('{_shown(row[1])}'), expected {span_en}",
                        row[2] if hids else None,
                    )
                )
        if col.kind == TEXT and col.max_length and frame.schema[col.name] == pl.String:
            bad = frame.filter(pl.col(col.name).str.len_chars() > col.max_length)
            for row in bad.select(ROW, col.name, *(["household_id"] if hids else [])).iter_rows():
                n = len(row[1])
                problems.append(
                    Problem(
                        label,
                        row[0],
                        col.name,
                        f"dài {n} ký tự, tối đa {col.max_length} ('{_shown(row[1])}')",
                        f"{n} characters long, at most {col.max_length} ('{_shown(row[1])}')",
                        (_shown(row[2]) if hids else None),
                    )
                )
    return problems


def rounded(frame: pl.DataFrame, columns: tuple[Column, ...]) -> pl.DataFrame:
    """Decimals kept at the contract's precision (12.3 stays 12.3, not 12.300000000000001)."""
    exprs = [
        pl.col(c.name).round(c.decimals)
        for c in columns
        if c.decimals is not None and c.name in frame.columns and frame.schema[c.name].is_float()
    ]
    return frame.with_columns(exprs) if exprs else frame


def _example_rows(hh: pl.DataFrame, label: str) -> list[Problem]:
    rows = hh.filter(pl.col("household_id") == EXAMPLE_HOUSEHOLD_ID).get_column(ROW).to_list()
    return [
        Problem(
            label,
            row,
            "household_id",
            "đây là dòng ví dụ của mẫu nhập liệu, hãy xoá dòng này",
            "this is the template's example row; delete it",
            EXAMPLE_HOUSEHOLD_ID,
        )
        for row in rows
    ]


def _second_heads(mem: pl.DataFrame, label: str) -> list[Problem]:
    """A household has one head: every head after the first (in file order) is refused, so no list,
    paper or payment file has to guess which of two is meant."""
    heads = mem.filter((pl.col("relation_to_head") == "head") & pl.col("household_id").is_not_null()).sort(ROW)
    extra = heads.filter(pl.int_range(pl.len()).over("household_id") > 0)
    return [
        Problem(
            label,
            row,
            "relation_to_head",
            f"hộ '{_shown(hid)}' đã có chủ hộ ở dòng trên: một hộ chỉ có một chủ hộ",
            f"household '{_shown(hid)}' already has a head on an earlier row: a household has one head",
            _shown(hid),
        )
        for row, hid in extra.select(ROW, "household_id").iter_rows()
    ]


def validate_records(
    households: pl.DataFrame,
    members: pl.DataFrame,
    labels: tuple[str, str],
    *,
    today: dt.date,
    household_required: set[str] | None = None,
    member_required: set[str] | None = None,
    members_needed: bool = True,
) -> tuple[pl.DataFrame, pl.DataFrame, list[Problem]]:
    """Typed frames (every contract column present) and every problem of both files.

    `members_needed`: a household listed with no member is refused (its size would be 0, and
    nothing about its people could be decided).
    """
    hh, problems = coerce(households, HOUSEHOLD_COLUMNS, labels[0], required_columns=household_required)
    mem, more = coerce(members, MEMBER_COLUMNS, labels[1], required_columns=member_required)
    problems += more
    hh, mem = with_all_columns(hh, HOUSEHOLD_COLUMNS), with_all_columns(mem, MEMBER_COLUMNS)
    hh, mem = rounded(hh, HOUSEHOLD_COLUMNS), rounded(mem, MEMBER_COLUMNS)
    problems += bad_national_ids(mem, labels[1])  # before lengths: "exactly 12 digits" says more
    problems += value_problems(hh, HOUSEHOLD_COLUMNS, labels[0], today)
    problems += value_problems(mem, MEMBER_COLUMNS, labels[1], today)
    problems += _example_rows(hh, labels[0])
    problems += duplicate_ids(hh, "household_id", labels[0]) + duplicate_ids(mem, "member_id", labels[1])
    problems += bad_identifiers(hh, ("household_id",), labels[0])
    problems += bad_identifiers(mem, ("household_id", "member_id"), labels[1])
    known = hh.get_column("household_id").drop_nulls().implode()
    orphans = mem.filter(pl.col("household_id").is_not_null() & ~pl.col("household_id").is_in(known))
    for row, hid in orphans.select(ROW, "household_id").iter_rows():
        problems.append(
            Problem(
                labels[1],
                row,
                "household_id",
                f"hộ '{_shown(hid)}' không có trong tệp hộ",
                f"household '{_shown(hid)}' is not in the households file",
                _shown(hid),
            )
        )
    if members_needed:
        listed = mem.get_column("household_id").drop_nulls().implode()
        empty = hh.filter(pl.col("household_id").is_not_null() & ~pl.col("household_id").is_in(listed))
        for row, hid in empty.select(ROW, "household_id").iter_rows():
            problems.append(
                Problem(
                    labels[0],
                    row,
                    "household_id",
                    f"hộ '{_shown(hid)}' không có thành viên nào trong tệp thành viên",
                    f"household '{_shown(hid)}' has no member in the members file",
                    _shown(hid),
                )
            )
    problems += _second_heads(mem, labels[1])
    ids = mem.filter(pl.col("national_id").is_not_null())
    for row, nid in ids.filter(pl.col("national_id").is_duplicated()).select(ROW, "national_id").iter_rows():
        problems.append(
            Problem(
                labels[1],
                row,
                "national_id",
                f"số định danh {_shown(nid)} lặp lại trong tệp",
                f"national id {_shown(nid)} appears more than once in the file",
            )
        )
    return hh, mem, problems
