"""Read household and member files (CSV, Parquet, XLSX) and turn text cells into typed columns.

Ids are read as text so leading zeros survive. Parsing is vectorised: each column is parsed
once, and every cell that does not parse becomes a Problem with its row and column, so one
run reports every mistake in the file.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TypeVar

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
    NAME_BY_LABEL,
    TRUE_WORDS,
    Column,
)
from .intake import (
    LOCAL_FILES,
    Limits,
    check_cells,
    check_header,
    check_size,
    check_xlsx,
    csv_separator,
    csv_text,
    header_of_csv,
)
from .problems import InputError, Problem

T = TypeVar("T")
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


def read_table(
    path: str | Path,
    sheet: str | None = None,
    limits: Limits = LOCAL_FILES,
    columns: Collection[str] | None = None,
) -> pl.DataFrame:
    """Read a file as it is, every column as text where the format allows; text is trimmed.

    The file is checked first (`intake`): not what its name says, not UTF-8, a column twice,
    formulas or number-typed ids are refused with the file named, before any parsing; so is a
    file over `limits` (imports pass the upload limits; a local load or classify has none).
    `columns` (contract names) keeps only those: a Parquet file's others are never decoded, and
    no file's others are trimmed (names and citizen ids were half of classify's reading time).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".xlsx", ".xlsm"):
        raise InputError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    "định dạng tệp không hỗ trợ (cần .csv, .parquet, .xlsx)",
                    "unsupported file type (use .csv, .parquet or .xlsx)",
                )
            ]
        )
    check_size(path, limits)
    if suffix == ".csv":
        text = csv_text(path)
        separator = csv_separator(text)
        check_header(path, header_of_csv(text, separator))
        frame = _parsed_by(path, "CSV", lambda: pl.read_csv(io.StringIO(text), infer_schema=False, separator=separator))
    elif suffix == ".parquet":
        names = _parsed_by(path, "Parquet", lambda: list(pl.read_parquet_schema(path)))
        check_header(path, names)
        chosen = None if columns is None else [c for c in names if _contract_name(c) in columns]
        frame = _parsed_by(path, "Parquet", lambda: pl.read_parquet(path, columns=chosen))
    else:
        frame = _read_excel(path, sheet, limits)
    frame = frame.rename({c: _contract_name(c) for c in frame.columns})
    if columns is not None:
        frame = frame.select(c for c in frame.columns if c in columns)
    frame = frame.with_columns(pl.col(pl.String).str.strip_chars())
    return frame.with_row_index(ROW, offset=FIRST_DATA_ROW).with_columns(pl.col(ROW).cast(pl.Int64))


def _contract_name(header: str) -> str:
    """A column's contract name, from its Vietnamese label or its name, trimmed."""
    return NAME_BY_LABEL.get(header.strip(), header.strip())


def _parsed_by(path: Path, kind: str, parse: Callable[[], T]) -> T:
    """The parser's result; its own error (with server paths, in English only) is not shown."""
    try:
        return parse()
    except InputError:
        raise
    except Exception:  # noqa: BLE001 -- any parser failure is a bad file, said in both languages
        raise InputError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    f"không đọc được tệp {kind} (tệp hỏng hoặc sai định dạng)",
                    f"cannot read this {kind} file (damaged or another format)",
                )
            ]
        ) from None


def _read_excel(path: Path, sheet: str | None, limits: Limits) -> pl.DataFrame:
    import fastexcel

    check_xlsx(path, limits)
    reader = _parsed_by(path, "Excel", lambda: fastexcel.read_excel(str(path)))
    names = reader.sheet_names
    chosen: str | int = sheet if sheet is not None and sheet in names else 0
    if sheet is not None and sheet not in names and len(names) > 1:
        raise InputError(
            [Problem(str(path), None, None, f"không có trang tính '{sheet}'", f"no sheet named '{sheet}'")]
        )
    index = names.index(chosen) if isinstance(chosen, str) else 0
    label = f"{path}[{names[index]}]" if len(names) > 1 else str(path)
    header = _parsed_by(path, "Excel", lambda: reader.load_sheet(chosen, header_row=None, n_rows=1, dtypes="string"))
    first = pl.DataFrame(header.to_arrow())
    raw = [str(v) if v is not None else "" for v in (first.row(0) if first.height else [])]
    check_header(path, raw, label)
    check_cells(path, index, [NAME_BY_LABEL.get(c.strip(), c.strip()) for c in raw], label)
    frame = _parsed_by(path, "Excel", lambda: reader.load_sheet(chosen, dtypes="string"))
    return pl.DataFrame(frame.to_arrow())


def _blank_to_null(expr: pl.Expr) -> pl.Expr:
    """Empty text is an empty cell. (Files are trimmed when read; frames are taken as given.)"""
    text = expr.cast(pl.String)
    return pl.when(text == "").then(None).otherwise(text)


def _parse_int(text: pl.Expr) -> pl.Expr:
    """1500000, 1.500.000, 1,500,000 and 1500000.0 (Excel) all mean one million five hundred thousand."""
    grouped = text.str.contains(r"^-?\d{1,3}([.,]\d{3})+$")
    excel_float = text.str.contains(r"^-?\d+\.0+$")
    cleaned = (
        pl.when(grouped)
        .then(text.str.replace_all(r"[.,]", ""))
        .when(excel_float)
        .then(text.str.replace(r"\.0+$", ""))
        .otherwise(text)
    )
    return cleaned.cast(pl.Int64, strict=False)


def _parse_decimal(text: pl.Expr) -> pl.Expr:
    """12.5 and the Vietnamese 12,5 both mean twelve and a half."""
    comma_decimal = text.str.contains(r"^-?\d+,\d+$")
    return (pl.when(comma_decimal).then(text.str.replace(",", ".")).otherwise(text)).cast(pl.Float64, strict=False)


def _parse_bool(text: pl.Expr) -> pl.Expr:
    low = text.str.to_lowercase()
    return (
        pl.when(low.is_in(list(TRUE_WORDS))).then(True).when(low.is_in(list(FALSE_WORDS))).then(False).otherwise(None)
    )


def _parse_date(text: pl.Expr) -> pl.Expr:
    iso = text.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    vn = text.str.strptime(pl.Date, "%d/%m/%Y", strict=False)
    return pl.coalesce(iso, vn)


PARSERS = {INT: _parse_int, DECIMAL: _parse_decimal, BOOL: _parse_bool, DATE: _parse_date}


def enum_of(col: Column) -> pl.Enum:
    return pl.Enum(col.codes)


def _parsed(source: pl.DataType, col: Column) -> pl.Expr:
    """The typed expression for one contract column, whatever type (`source`) the file gave it.

    Codes become Enums, so an unknown code turns into an empty cell that `coerce` reports, and
    later comparisons are integer comparisons.
    """
    if col.kind == CODE:
        target = enum_of(col)
        if source == target:
            return pl.col(col.name)
        return _blank_to_null(pl.col(col.name)).str.to_lowercase().cast(target, strict=False)
    if col.kind in (INT, DECIMAL, BOOL, DATE):
        target_kind = KIND_DTYPES[col.kind]
        if source == target_kind:
            return pl.col(col.name)
        if col.kind == DATE and source == pl.Datetime:
            return pl.col(col.name).dt.date()
        if source.is_numeric() and col.kind in (INT, DECIMAL):
            return pl.col(col.name).cast(target_kind, strict=False)
        if source == pl.Boolean and col.kind == INT:
            return pl.col(col.name).cast(pl.Int64)
        return PARSERS[col.kind](_blank_to_null(pl.col(col.name)))
    return pl.col(col.name) if source == pl.String else _blank_to_null(pl.col(col.name))


def _blank(frame: pl.DataFrame, name: str) -> pl.Expr:
    col = pl.col(name)
    return col.is_null() | (col == "") if frame.schema[name] == pl.String else col.is_null()


def coerce(
    frame: pl.DataFrame,
    columns: tuple[Column, ...],
    file_label: str,
    required_columns: set[str] | None = None,
) -> tuple[pl.DataFrame, list[Problem]]:
    """Type every contract column present; report unparsable cells and missing required ones.

    Counts first, rows only on failure: a clean, already-typed frame costs almost nothing.
    Columns outside the contract are kept as they are (the contract allows extra columns).
    """
    problems: list[Problem] = []
    if ROW not in frame.columns:
        frame = frame.with_row_index(ROW, offset=FIRST_DATA_ROW).with_columns(pl.col(ROW).cast(pl.Int64))
    required = required_columns if required_columns is not None else {c.name for c in columns if c.required}
    for name in sorted(required - set(frame.columns)):
        problems.append(Problem(file_label, None, name, "thiếu cột bắt buộc", "required column is missing"))
    present = [c for c in columns if c.name in frame.columns]
    # each read of a frame's schema builds it anew (a third of classify() on one household): read once
    schema = frame.schema
    typed = frame.with_columns([_parsed(schema[c.name], c).alias(c.name) for c in present])
    typed_schema = typed.schema
    converted = [c for c in present if schema[c.name] != typed_schema[c.name]]
    blank_counts = (
        frame.select([_blank(frame, c.name).sum().alias(c.name) for c in converted]).row(0) if converted else ()
    )
    for col, blanks in zip(converted, blank_counts, strict=True):
        if typed.get_column(col.name).null_count() > blanks:
            problems.extend(_unreadable(frame, typed, col, file_label))
    for col in present:
        if col.name in required and typed.get_column(col.name).null_count():
            empty = frame.filter(_blank(frame, col.name))
            problems.extend(_located(empty, col, file_label, "ô bắt buộc đang trống", "required value is empty"))
    return typed, problems


def _located(
    rows: pl.DataFrame, col: Column, file_label: str, vi: str, en: str, show_value: bool = False
) -> list[Problem]:
    ids = (
        rows.get_column("household_id").cast(pl.String).to_list()
        if "household_id" in rows.columns
        else [None] * rows.height
    )
    values = rows.get_column(col.name).cast(pl.String).to_list()
    return [
        Problem(
            file_label,
            row,
            col.name,
            vi + (f" ('{v}')" if show_value else ""),
            en + (f" ('{v}')" if show_value else ""),
            hid,
        )
        for row, hid, v in zip(rows.get_column(ROW).to_list(), ids, values, strict=True)
    ]


def _unreadable(frame: pl.DataFrame, typed: pl.DataFrame, col: Column, file_label: str) -> list[Problem]:
    bad = frame.filter(~_blank(frame, col.name) & typed.get_column(col.name).is_null())
    if col.kind == CODE:
        allowed = ", ".join(col.codes)
        vi, en = f"mã không hợp lệ, dùng một trong: {allowed}", f"unknown code, use one of: {allowed}"
    else:
        vi = f"không đọc được, cần {KIND_WORDS[col.kind][0]}"
        en = f"cannot read this value, expected {KIND_WORDS[col.kind][1]}"
    return _located(bad, col, file_label, vi, en, show_value=True)


def with_all_columns(frame: pl.DataFrame, columns: tuple[Column, ...]) -> pl.DataFrame:
    """An optional column absent from the file is unknown for every row (never false)."""
    missing = [c for c in columns if c.name not in frame.columns]
    return frame.with_columns([pl.lit(None, dtype=_dtype(c)).alias(c.name) for c in missing])


def _dtype(col: Column) -> pl.DataType | type[pl.DataType]:
    return enum_of(col) if col.kind == CODE else KIND_DTYPES.get(col.kind, pl.String)


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
