"""A recognition decision's list from a file (CSV or Excel), into `review.decisions`.

The file is read as every import reads one (`standards.reading.read_table`): UTF-8 CSV with or
without a BOM, another encoding refused with what to do; Excel through fastexcel with ids as text
(an id typed as a number, its leading zeros perhaps lost, is refused); formulas refused. Two
columns are read, by name or by their Vietnamese label; the rest of the sheet is ignored.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from pathlib import Path

from ..accounts.access import require_record_decision
from ..core.errors import ServiceError
from ..core.text import fold
from ..review.decisions import CATEGORY, ID, DecisionResult, decision_check, decision_import
from ..standards.problems import InputError, Problem
from ..standards.reading import ROW, read_table
from .limits import import_limits, upload_check
from .uploads import discard_upload, uploads_root

HEADERS = {  # folded header -> column
    **{h: ID for h in ("household id", "household_id", "ma ho", "ma_ho", "ma so ho")},
    **{h: CATEGORY for h in ("category", "phan loai", "phan_loai", "loai ho", "phan loai ho", "ket qua")},
}
DECISION_SUFFIXES = (".csv", ".xlsx")


def read_decision_rows(path: Path, label: str | None = None) -> list[dict]:
    """The file's rows as {household_id, category, _row}; a missing column is every row's problem."""
    label = label or str(path)
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise InputError([Problem(label, None, None, "cần tệp .csv hoặc .xlsx", "use a .csv or .xlsx file")])
    try:
        frame = read_table(path, None, import_limits())
    except InputError as exc:  # the saved upload's path is not the name the user knows
        raise InputError([_relabel(p, str(path), label) for p in exc.problems]) from None
    names = {c: HEADERS.get(fold(c.replace("_", " ")), HEADERS.get(c.strip(), c)) for c in frame.columns}
    _refuse_twice_named(names, label)
    frame = frame.rename(names)
    missing = [c for c in (ID, CATEGORY) if c not in frame.columns]
    if missing:
        raise InputError(
            [
                Problem(
                    label,
                    1,
                    c,
                    "thiếu cột " + ("Mã hộ (household_id)" if c == ID else "Phân loại (category)"),
                    f"the column {c} is missing",
                )
                for c in missing
            ]
        )
    return frame.select(ID, CATEGORY, ROW).to_dicts()


def _refuse_twice_named(names: dict[str, str], label: str) -> None:
    """Two headers meaning one column ("category" and "Phân loại"): which one counts is not ours to guess."""
    by_column: dict[str, list[str]] = {}
    for header, column in names.items():
        by_column.setdefault(column, []).append(header)
    twice = {column: headers for column, headers in by_column.items() if len(headers) > 1}
    if twice:
        raise InputError(
            [
                Problem(
                    label,
                    1,
                    column,
                    f"các cột {', '.join(repr(h) for h in headers)} cùng là {column}: giữ một cột",
                    f"the columns {', '.join(repr(h) for h in headers)} all mean {column}: keep one",
                )
                for column, headers in twice.items()
            ]
        )


def _relabel(problem: Problem, path: str, label: str) -> Problem:
    return Problem(
        problem.file.replace(path, label),
        problem.row,
        problem.column,
        problem.message_vi,
        problem.message_en,
        problem.household_id,
    )


def decision_file_import(
    *,
    actor,
    unit,
    path: Path,
    number: str,
    date: dt.date,
    kind: str = "periodic",
    label: str | None = None,
    check_only: bool = False,
) -> DecisionResult:
    """Read the decision's file and record it (or, `check_only`, say what recording it would do)."""
    require_record_decision(actor, unit)  # before the file is even read
    label = label or path.name
    rows = read_decision_rows(path, label)
    service = decision_check if check_only else decision_import
    return service(actor=actor, unit=unit, number=number, date=date, kind=kind, rows=rows, file=label)


def decision_upload_save(*, actor, unit, upload) -> str:
    """Keep an uploaded decision file for its preview and confirmation; returns the token naming it."""
    require_record_decision(actor, unit)
    if Path(upload.name).suffix.lower() not in DECISION_SUFFIXES:  # first: the upload check also names .parquet
        raise ServiceError(
            f"Tệp {upload.name}: cần .xlsx hoặc .csv", f"file {upload.name}: use .xlsx or .csv", field="file"
        )
    upload_check(upload, "file")
    decision_previews_sweep()
    token = uuid.uuid4().hex
    folder = uploads_root() / token
    folder.mkdir(parents=True)
    with (folder / f"decision{Path(upload.name).suffix.lower()}").open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token


PREVIEW_KEEP_HOURS = 24


def decision_previews_sweep(now: float | None = None) -> int:
    """Remove decision uploads previewed and never confirmed (a closed tab, a second preview) once
    PREVIEW_KEEP_HOURS old: they hold household ids and categories, and nothing else would remove
    them. Only folders holding a `decision.*` file alone; an import job's folder is its own job's."""
    now = time.time() if now is None else now
    root, removed = uploads_root(), 0
    for folder in root.iterdir() if root.is_dir() else ():
        files = list(folder.iterdir()) if folder.is_dir() else []
        if (
            len(files) == 1
            and files[0].stem == "decision"
            and now - files[0].stat().st_mtime > PREVIEW_KEEP_HOURS * 3600
        ):
            discard_upload(str(files[0]))
            removed += 1
    return removed


def decision_upload_path(token: str) -> Path:
    """The saved file of a token from `decision_upload_save` (the session's own, never a path given)."""
    if len(token) != 32 or any(c not in "0123456789abcdef" for c in token):
        raise ServiceError("Tệp tải lên không còn; hãy tải lại", "The upload is gone; upload it again")
    found = sorted((uploads_root() / token).glob("decision.*"))
    if not found:
        raise ServiceError("Tệp tải lên không còn; hãy tải lại", "The upload is gone; upload it again")
    return found[0]


def decision_upload_discard(token: str) -> None:
    try:
        discard_upload(str(decision_upload_path(token)))
    except ServiceError:
        return
