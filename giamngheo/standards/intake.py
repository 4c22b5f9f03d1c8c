"""Checks on a file before it is parsed: size, zip expansion, encoding, headers, Excel cell types.

What a parser would silently get wrong (a cp1258 CSV read as "Th�o", a duplicated header
becoming a second column, a formula imported as its cached value, an id typed as a number
that has lost its leading zero) or would choke on (a 2.5 MB xlsx expanding to 1 GB, a random
file named .xlsx) is refused here with a message naming the file, never a parser's traceback.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from .contract import IDENTIFIERS, NAME_BY_LABEL
from .formats import number_vi
from .problems import InputError, Problem

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Upload limits; the web app and CLI take them from settings (IMPORT_MAX_FILE_MB, ...)."""

    max_file_bytes: int = 20 * MB
    max_unpacked_bytes: int = 200 * MB  # what an xlsx's members declare they expand to, all together


DEFAULT_LIMITS = Limits()  # what an upload or an import is held to unless settings say otherwise
LOCAL_FILES = Limits(max_file_bytes=1 << 62, max_unpacked_bytes=1 << 62)  # a province's own load, classify


def _refuse(path: Path, vi: str, en: str, row: int | None = None, column: str | None = None) -> NoReturn:
    raise InputError([Problem(str(path), row, column, vi, en)])


def check_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        _refuse(
            path,
            f"tệp quá lớn ({number_vi(size / MB, 1)} MB, tối đa {number_vi(limits.max_file_bytes / MB)} MB)",
            f"file too large ({size / MB:.1f} MB, at most {limits.max_file_bytes / MB:.0f} MB)",
        )
    if size == 0:
        _refuse(path, "tệp rỗng", "the file is empty")


BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _encoding(data: bytes) -> str:
    """From the BOM; UTF-16 without one shows as every other byte 0; otherwise UTF-8 is required."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 4:
        return "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
    return "utf-8"


def csv_text(path: Path) -> str:
    """The CSV's text: UTF-8 (with or without BOM) or UTF-16/32 with a BOM; anything else refused."""
    data = path.read_bytes()
    encoding = _encoding(data)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        _refuse(
            path,
            f"tệp không phải UTF-8 (dòng {line}); trong Excel chọn Lưu thành > CSV UTF-8 rồi nạp lại",
            f"the file is not UTF-8 (line {line}); in Excel use Save As > CSV UTF-8 and import again",
            row=line,
        )


def csv_separator(text: str) -> str:
    """',' or ';' (KoboToolbox and Excel in a Vietnamese locale write ';'), judged by the header line."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def header_of_csv(text: str, separator: str = ",") -> list[str]:
    return next(csv.reader(io.StringIO(text), delimiter=separator), [])


def check_header(path: Path, names: list[str], label: str | None = None) -> None:
    """Every column once: 'household_id' and 'Mã hộ' are the same column too."""
    seen: dict[str, str] = {}
    problems = []
    for raw in names:
        name = NAME_BY_LABEL.get((raw or "").strip(), (raw or "").strip())
        if name in seen:
            problems.append(
                Problem(
                    label or str(path),
                    1,
                    name,
                    f"cột '{raw}' trùng với cột '{seen[name]}'; mỗi cột chỉ một lần",
                    f"column '{raw}' repeats column '{seen[name]}'; each column only once",
                )
            )
        elif name:
            seen[name] = raw
    if problems:
        raise InputError(problems)


def check_xlsx(path: Path, limits: Limits) -> None:
    """A real zip whose members declare no more than the limit (a zip bomb is refused unparsed)."""
    try:
        with zipfile.ZipFile(path) as book:
            members = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        _refuse(
            path,
            "không phải tệp Excel .xlsx hợp lệ (tệp hỏng hoặc sai định dạng)",
            "not a valid Excel .xlsx file (damaged or another format)",
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unpacked_bytes:
        _refuse(
            path,
            f"tệp Excel giải nén ra {number_vi(unpacked / MB)} MB, tối đa {number_vi(limits.max_unpacked_bytes / MB)} MB",
            f"the Excel file expands to {unpacked / MB:.0f} MB, at most {limits.max_unpacked_bytes / MB:.0f} MB",
        )
    if not any(m.filename.startswith("xl/worksheets/") for m in members):
        _refuse(
            path,
            "không phải tệp Excel .xlsx hợp lệ (không có trang tính)",
            "not a valid Excel .xlsx file (no worksheet)",
        )


_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_ALT = re.compile(rb'<sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_ALT = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR = re.compile(rb'\b(r|t)="([^"]*)"')
_REF = re.compile(r"^([A-Z]+)([0-9]+)$")


def _sheet_member(book: zipfile.ZipFile, index: int) -> str | None:
    """The zip member holding the `index`-th sheet, from workbook.xml and its relationships."""
    try:
        workbook = book.read("xl/workbook.xml")
        rels = book.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    sheets = [(n, r) for n, r in _SHEET.findall(workbook)] or [(n, r) for r, n in _SHEET_ALT.findall(workbook)]
    targets = dict(_REL.findall(rels)) or {i: t for t, i in _REL_ALT.findall(rels)}
    if index >= len(sheets) or sheets[index][1] not in targets:
        return None
    target = targets[sheets[index][1]].decode()
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def check_cells(path: Path, sheet_index: int, columns: list[str], label: str) -> None:
    """Formula cells anywhere, and number cells in id columns, as problems by row and column.

    A formula's cached value may be stale or never computed; an id typed as a number has
    already lost its leading zeros ('03880' became 3880), so neither is imported.
    """
    with zipfile.ZipFile(path) as book:
        member = _sheet_member(book, sheet_index)
        if member is None or member not in book.namelist():
            return
        xml = book.read(member)
    problems = []
    ids = {i for i, name in enumerate(columns) if name in IDENTIFIERS}
    for attrs, body in _CELL.findall(xml):
        found = dict(_ATTR.findall(attrs))
        ref = _REF.match(found.get(b"r", b"").decode())
        body = body or b""
        formula = b"<f" in body
        number = found.get(b"t", b"n") == b"n" and b"<v" in body
        if not (formula or (ids and number)):
            continue
        col, row = (_column_index(ref.group(1)), int(ref.group(2))) if ref else (None, None)
        name = columns[col] if col is not None and col < len(columns) else None
        if formula:
            problems.append(
                Problem(
                    label,
                    row,
                    name,
                    "ô có công thức; hãy dán giá trị (Paste Values) rồi nạp lại",
                    "the cell holds a formula; paste it as a value and import again",
                )
            )
        elif col in ids and row != 1:
            value = re.sub(rb"<[^>]*>", b"", body).decode(errors="replace")
            problems.append(
                Problem(
                    label,
                    row,
                    name,
                    f"mã đang ở dạng số ('{value}'), có thể đã mất số 0 ở đầu; "
                    "định dạng cột là Văn bản (Text) rồi nhập lại",
                    f"the id is a number cell ('{value}') and may have lost its leading zeros; "
                    "format the column as Text and type it again",
                )
            )
    if problems:
        raise InputError(problems)
