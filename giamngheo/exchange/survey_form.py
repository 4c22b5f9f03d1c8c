"""An offline Form B for ODK Collect / KoboToolbox, generated from the contract and the standard.

The XLSForm asks for exactly the contract's household facts and a member roster (a repeat
group), causes and needs, GPS and a photo; each indicator of the standard in force appears as
a note with its description, so the reviewer sees what each answer decides. Types and constraints
come from the contract table, as the import's checks do, so the phone refuses what the import would.
Convert with pyxform.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from giamngheo.core import clock

from ..core.atomic import atomic_output
from ..core.spreadsheets import workbook
from ..standards import resolve_standard
from ..standards.contract import (
    BOOL,
    CODE,
    DATE,
    DECIMAL,
    HOUSEHOLD_COLUMNS,
    INT,
    MEMBER_COLUMNS,
    TEXT,
    TODAY,
    Column,
    label_vi,
)
from ..standards.procedure import review_law

# The form's question type for each contract kind: what the phone accepts is what the import reads
TYPES = {INT: "integer", DECIMAL: "decimal", DATE: "date", BOOL: "select_one yes_no", TEXT: "text"}


def _xpath(value, col: Column) -> str:
    if value == TODAY:
        return "today()" if col.kind == DATE else "int(format-date(today(), '%Y'))"
    return f"date('{value.isoformat()}')" if isinstance(value, dt.date) else str(value)


def constraint(col: Column) -> tuple[str, str]:
    """The XLSForm constraint and its message, from the same contract bounds the import checks."""
    if col.name == "national_id":
        return "regex(., '^[0-9]{12}$')", "Số định danh gồm 12 chữ số"
    if col.kind in (INT, DECIMAL, DATE) and (col.minimum is not None or col.maximum is not None):
        parts = [f". >= {_xpath(col.minimum, col)}"] if col.minimum is not None else []
        parts += [f". <= {_xpath(col.maximum, col)}"] if col.maximum is not None else []
        low = "hôm nay" if col.minimum == TODAY else col.minimum
        high = "hôm nay" if col.maximum == TODAY else col.maximum
        return " and ".join(parts), f"Giá trị từ {low} đến {high}"
    if col.kind == TEXT and col.max_length:
        return f"string-length(.) <= {col.max_length}", f"Tối đa {col.max_length} ký tự"
    return "", ""


def _row(col: Column) -> list[str]:
    kind = f"select_one {col.name}" if col.kind == CODE else TYPES[col.kind]
    required = "yes" if col.required else ""
    rule, message = constraint(col)
    return [kind, col.name, col.label_vi, required, rule, message, ""]


def write_form_b(path: Path, standard: str = "auto", when: dt.date | None = None) -> Path:
    when = when or clock.today()
    std = resolve_standard(standard, when)
    law = review_law()
    causes, needs = law.causes(when), law.needs(when)
    causes_mark = "" if law.verified("causes") else " [chưa kiểm chứng]"
    needs_mark = "" if law.verified("needs") else " [chưa kiểm chứng]"
    survey = [["type", "name", "label", "required", "constraint", "constraint_message", "appearance"]]
    survey.append(["note", "intro", f"Phiếu B — {std.title_vi} ({std.legal_basis})", "", "", "", ""])
    for ind in std.indicators:
        mark = "" if ind.verified else " [chưa kiểm chứng]"
        survey.append(["note", f"ind_{ind.id}", f"{ind.name_vi}: {ind.description_vi}{mark}", "", "", "", ""])
    survey += [_row(c) for c in HOUSEHOLD_COLUMNS]
    survey.append(["begin_repeat", "members", "Thành viên hộ", "", "", "", "field-list"])
    survey += [_row(c) for c in MEMBER_COLUMNS if c.name != "household_id"]
    survey.append(["end_repeat", "members", "", "", "", "", ""])
    survey += [
        ["select_multiple causes", "causes", f"Nguyên nhân nghèo{causes_mark}", "", "", "", ""],
        ["select_multiple needs", "needs", f"Nhu cầu hỗ trợ{needs_mark}", "", "", "", ""],
        ["geopoint", "gps", "Vị trí nhà ở", "", "", "", ""],
        ["image", "photo", "Ảnh nhà ở", "", "", "", ""],
    ]
    choices = [["list_name", "name", "label"], ["yes_no", "true", "Có"], ["yes_no", "false", "Không"]]
    for col in (*HOUSEHOLD_COLUMNS, *MEMBER_COLUMNS):
        if col.kind == CODE and not any(r[0] == col.name for r in choices[1:]):
            choices += [[col.name, code, label_vi(code, col.name)] for code in col.codes]
    choices += [["causes", k, v] for k, v in causes.items()] + [["needs", k, v] for k, v in needs.items()]
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        [
            f"Phiếu B {std.id}",
            f"giamngheo_phieu_b_{std.id.replace('-', '_')}",
            f"{std.id}-v{std.version}",
            "Vietnamese",
        ],
    ]
    with atomic_output(path) as tmp, workbook(tmp) as book:
        for name, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
            sheet = book.add_worksheet(name)
            for i, row in enumerate(rows):
                sheet.write_row(i, 0, row)
    return path
