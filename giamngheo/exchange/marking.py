"""The uploaded data back as a workbook, with every bad cell filled red and its message as a comment."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ..core.atomic import atomic_output
from ..core.spreadsheets import workbook
from ..standards.problems import Problem
from ..standards.reading import ROW


def _sheet(book, name: str, frame: pl.DataFrame, problems: list[Problem], bad, header_bad) -> None:
    sheet = book.add_worksheet(name)
    columns = [c for c in frame.columns if c != ROW]
    for j, column in enumerate(columns):
        sheet.write_string(0, j, column)
    for i, row in enumerate(frame.select(columns).cast(pl.String).iter_rows(), start=1):
        for j, value in enumerate(row):
            if value is not None:
                sheet.write_string(i, j, value)
    index = {c: j for j, c in enumerate(columns)}
    for p in problems:
        text = f"{p.message_vi}\n{p.message_en}"
        col = index.get(p.column or "", None)
        if p.row is None or col is None:  # a missing column: said on the header row
            sheet.write_comment(0, 0, text, {"visible": False})
            sheet.write_string(0, 0, columns[0] if columns else "", header_bad)
            continue
        value = frame.item(p.row - 2, p.column) if p.column in frame.columns else ""
        sheet.write_string(p.row - 1, col, "" if value is None else str(value), bad)
        sheet.write_comment(p.row - 1, col, text)


def marked_workbook(path: Path, frames: dict[str, tuple[pl.DataFrame, str]], problems: list[Problem]) -> Path:
    """`frames`: sheet name -> (frame as read, the label problems use for that file)."""
    with atomic_output(path) as tmp, workbook(tmp) as book:
        bad = book.add_format({"bg_color": "#F4B6B0", "border": 2, "border_color": "#B3261E"})
        header_bad = book.add_format({"bg_color": "#F4B6B0", "bold": True})
        for name, (frame, label) in frames.items():
            _sheet(book, name, frame, [p for p in problems if p.file == label], bad, header_bad)
    return path
