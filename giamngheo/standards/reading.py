"""Read household and member files (CSV, Parquet, XLSX) and turn text cells into typed columns.

Ids are read as text so leading zeros survive. Parsing is vectorised: each column is parsed
once, and every cell that does not parse becomes a Problem with its row and column, so one
run reports every mistake in the file.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from .contract import (
    BOOL,
    CODE,
    DATE,
    DECIMAL,
    FALSE_WORDS,
    HOUSEHOLD_COLUMNS,
    INT,
    MEMBER_COLUMNS,
    TRUE_WORDS,
    Column,
)
from .problems import InputError, Problem

ROW = "_row"  # spreadsheet row number kept beside the data for error messages
FIRST_DATA_ROW = 2

KIND_DTYPES = {
    INT: pl.Int64,
    DECIMAL: pl.Float64,
    BOOL: pl.Boolean,
    DATE: pl.Date,
}
KIND_WORDS = {
    INT: ("số nguyên", "a whole number"),
    DECIMAL: ("số", "a number"),
    BOOL: ("có/không (true/false, 1/0)", "true/false, 1/0 or có/không"),
    DATE: ("ngày dd/mm/yyyy hoặc yyyy-mm-dd", "a date dd/mm/yyyy or yyyy-mm-dd"),
}


def read_table(path: str | Path, sheet: str | None = None) -> pl.DataFrame:
    """Read a file as it is, every column as text where the format allows."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    elif suffix == ".parquet":
        frame = pl.read_parquet(path)
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        frame = _read_excel(path, sheet)
    else:
        raise InputError([Problem(str(path), None, None,
                                  "định dạng tệp không hỗ trợ (cần .csv, .parquet, .xlsx)",
                                  "unsupported file type (use .csv, .parquet or .xlsx)")])
    frame = frame.rename({c: c.strip() for c in frame.columns})
    return frame.with_row_index(ROW, offset=FIRST_DATA_ROW).with_columns(pl.col(ROW).cast(pl.Int64))


def _read_excel(path: Path, sheet: str | None) -> pl.DataFrame:
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    names = reader.sheet_names
    chosen: str | int = sheet if sheet in names else 0
    if sheet is not None and sheet not in names and len(names) > 1:
        raise InputError([Problem(str(path), None, None, f"không có trang tính '{sheet}'",
                                  f"no sheet named '{sheet}'")])
    return pl.DataFrame(reader.load_sheet(chosen, dtypes="string").to_arrow())


def _blank_to_null(expr: pl.Expr) -> pl.Expr:
    text = expr.cast(pl.String).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def _parse_int(text: pl.Expr) -> pl.Expr:
    """1500000, 1.500.000, 1,500,000 and 1500000.0 (Excel) all mean one million five hundred thousand."""
    grouped = text.str.contains(r"^-?\d{1,3}([.,]\d{3})+$")
    excel_float = text.str.contains(r"^-?\d+\.0+$")
    cleaned = (
        pl.when(grouped).then(text.str.replace_all(r"[.,]", ""))
        .when(excel_float).then(text.str.replace(r"\.0+$", ""))
        .otherwise(text)
    )
    return cleaned.cast(pl.Int64, strict=False)


def _parse_decimal(text: pl.Expr) -> pl.Expr:
    """12.5 and the Vietnamese 12,5 both mean twelve and a half."""
    comma_decimal = text.str.contains(r"^-?\d+,\d+$")
    return (
        pl.when(comma_decimal).then(text.str.replace(",", ".")).otherwise(text)
    ).cast(pl.Float64, strict=False)


def _parse_bool(text: pl.Expr) -> pl.Expr:
    low = text.str.to_lowercase()
    return (
        pl.when(low.is_in(list(TRUE_WORDS))).then(True)
        .when(low.is_in(list(FALSE_WORDS))).then(False)
        .otherwise(None)
    )


def _parse_date(text: pl.Expr) -> pl.Expr:
    iso = text.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    vn = text.str.strptime(pl.Date, "%d/%m/%Y", strict=False)
    return pl.coalesce(iso, vn)


PARSERS = {INT: _parse_int, DECIMAL: _parse_decimal, BOOL: _parse_bool, DATE: _parse_date}


def _parsed(frame: pl.DataFrame, col: Column) -> pl.Expr:
    """The typed expression for one contract column, whatever type the file gave it."""
    source = frame.schema[col.name]
    if col.kind in (INT, DECIMAL, BOOL, DATE):
        target = KIND_DTYPES[col.kind]
        if source == target:
            return pl.col(col.name)
        if col.kind == DATE and source == pl.Datetime:
            return pl.col(col.name).dt.date()
        if source.is_numeric() and col.kind in (INT, DECIMAL):
            return pl.col(col.name).cast(target, strict=False)
        if source == pl.Boolean and col.kind == INT:
            return pl.col(col.name).cast(pl.Int64)
        return PARSERS[col.kind](_blank_to_null(pl.col(col.name)))
    text = _blank_to_null(pl.col(col.name))
    return text.str.to_lowercase() if col.kind == CODE else text


def coerce(
    frame: pl.DataFrame,
    columns: tuple[Column, ...],
    file_label: str,
    required_columns: set[str] | None = None,
) -> tuple[pl.DataFrame, list[Problem]]:
    """Type every contract column present; report unparsable cells and missing required ones.

    Columns outside the contract are kept as they are (the contract allows extra columns).
    """
    problems: list[Problem] = []
    if ROW not in frame.columns:
        frame = frame.with_row_index(ROW, offset=FIRST_DATA_ROW).with_columns(pl.col(ROW).cast(pl.Int64))
    required = required_columns if required_columns is not None else {c.name for c in columns if c.required}
    for name in sorted(required - set(frame.columns)):
        problems.append(Problem(file_label, None, name, "thiếu cột bắt buộc", "required column is missing"))
    present = [c for c in columns if c.name in frame.columns]
    typed = frame.with_columns([_parsed(frame, c).alias(c.name) for c in present])
    checks: list[tuple[pl.Expr, Column, str, str]] = []
    for col in present:
        raw_blank = _blank_to_null(pl.col(col.name)).is_null() if frame.schema[col.name] == pl.String \
            else pl.col(col.name).is_null()
        if col.kind in KIND_WORDS:
            vi, en = KIND_WORDS[col.kind]
            checks.append((~raw_blank, col, f"không đọc được, cần {vi}", f"cannot read this value, expected {en}"))
        elif col.kind == CODE:
            allowed = ", ".join(col.codes)
            checks.append((~raw_blank, col, f"mã không hợp lệ, dùng một trong: {allowed}",
                           f"unknown code, use one of: {allowed}"))
        if col.required and col.name in required:
            checks.append((raw_blank, col, "ô bắt buộc đang trống", "required value is empty"))
    problems.extend(_cell_problems(frame, typed, checks, file_label))
    return typed, problems


def with_all_columns(frame: pl.DataFrame, columns: tuple[Column, ...]) -> pl.DataFrame:
    """An optional column absent from the file is unknown for every row (never false)."""
    missing = [c for c in columns if c.name not in frame.columns]
    return frame.with_columns(
        [pl.lit(None, dtype=KIND_DTYPES.get(c.kind, pl.String)).alias(c.name) for c in missing]
    )


def _cell_problems(
    raw: pl.DataFrame, typed: pl.DataFrame, checks: list[tuple[pl.Expr, Column, str, str]], file_label: str
) -> list[Problem]:
    problems: list[Problem] = []
    id_col = "household_id" if "household_id" in raw.columns else None
    for condition, col, vi, en in checks:
        if vi.startswith("ô bắt buộc"):
            mask = raw.select(condition.alias("m")).to_series()
        elif col.kind == CODE:
            allowed = typed.get_column(col.name).is_in(list(col.codes))
            mask = raw.select(condition.alias("m")).to_series() & ~allowed.fill_null(False)
        else:
            mask = raw.select(condition.alias("m")).to_series() & typed.get_column(col.name).is_null()
        if not mask.any():
            continue
        bad = raw.filter(mask)
        ids = bad.get_column(id_col).cast(pl.String).to_list() if id_col else [None] * bad.height
        values = bad.get_column(col.name).cast(pl.String).to_list()
        for row, hid, value in zip(bad.get_column(ROW).to_list(), ids, values, strict=True):
            shown = "" if value is None or vi.startswith("ô bắt buộc") else f" ('{value}')"
            problems.append(Problem(file_label, row, col.name, vi + shown, en + shown, hid))
    return problems


def read_households(path: str | Path, sheet: str | None = "households") -> pl.DataFrame:
    return read_table(path, sheet)


def read_members(path: str | Path, sheet: str | None = "members") -> pl.DataFrame:
    return read_table(path, sheet)


def coerce_households(frame: pl.DataFrame, file_label: str = "households") -> tuple[pl.DataFrame, list[Problem]]:
    return coerce(frame, HOUSEHOLD_COLUMNS, file_label)


def coerce_members(frame: pl.DataFrame, file_label: str = "members") -> tuple[pl.DataFrame, list[Problem]]:
    return coerce(frame, MEMBER_COLUMNS, file_label)


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InputError(problems)
