"""Import households and members from the commune's files: everything valid, or nothing changes."""

from __future__ import annotations

from pathlib import Path

from ..registry.bulk import LoadResult, load_frames
from ..standards.problems import InputError, Problem
from ..standards.reading import read_table
from .limits import import_limits


def import_files(*, actor, households: Path, members: Path | None = None) -> LoadResult:
    """Import a pair of files, or one workbook with sheets `households` and `members`.

    Rows are checked for the acting user's units; the import is one transaction.
    """
    members = members or households
    missing = [p for p in {households, members} if not Path(p).is_file()]
    if missing:
        raise InputError([Problem(str(p), None, None, "không tìm thấy tệp", "file not found") for p in missing])
    if members == households and Path(households).suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(
            [
                Problem(
                    str(households),
                    None,
                    None,
                    "cần tệp thành viên (--members) hoặc một tệp Excel có hai trang",
                    "give --members, or one Excel workbook with sheets households and members",
                )
            ]
        )
    hh_label = f"{households}[households]" if members == households else str(households)
    mem_label = f"{members}[members]" if members == households else str(members)
    limits = import_limits()
    return load_frames(
        read_table(households, "households", limits),
        read_table(members, "members", limits),
        actor=actor,
        labels=(hh_label, mem_label),
    )
