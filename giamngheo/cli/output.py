"""Write result tables by extension, atomically: a failed run leaves no output file behind."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from ..core.atomic import atomic_output
from ..core.spreadsheets import write_frame

SUPPORTED = (".csv", ".parquet", ".xlsx")


def write_table(frame: pl.DataFrame, path: str | Path, sheet: str = "classification") -> None:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ValueError(f"output must end in .csv, .parquet or .xlsx: {path}")
    with atomic_output(path) as tmp:
        if suffix == ".parquet":
            frame.write_parquet(tmp)
        else:
            write_frame(frame, tmp, sheet)


class OutputPathError(Exception):
    """An output path the command cannot or must not write, said before any work is done."""

    def __init__(self, message_vi: str, message_en: str):
        self.message_vi, self.message_en = message_vi, message_en
        super().__init__(f"{message_vi}\n{message_en}")


def check_output_file(path: Path, *, force: bool) -> None:
    """Refuse a folder, a file that exists (unless `force`), or a place that is not a writable folder."""
    if path.is_dir():
        raise OutputPathError(f"{path} là một thư mục, hãy cho tên tệp", f"{path} is a folder; give a file name")
    if path.exists() and not force:
        raise OutputPathError(
            f"Tệp {path} đã có; thêm --force để ghi đè", f"{path} already exists; add --force to overwrite it"
        )
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise OutputPathError(
            f"Không ghi được {path}: {folder} không phải thư mục", f"cannot write {path}: {folder} is not a folder"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputPathError(f"Không có quyền ghi vào thư mục {folder}", f"no permission to write in {folder}")


def output_files(args) -> list[Path]:
    """The files a command will write: its `output_files(args)` default, else its --output."""
    listed = getattr(args, "output_files", None)
    if listed is not None:
        return listed(args)
    return [Path(args.output)] if getattr(args, "output", None) else []


def check_outputs(args) -> None:
    for path in output_files(args):
        check_output_file(path, force=getattr(args, "force", False))
