"""Bad input, reported completely: every problem names its file, row, column and what is wrong,
in Vietnamese and English, so a commune official can fix the sheet in one pass."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # spreadsheet row: the header is row 1, the first record row 2
    column: str | None
    message_vi: str
    message_en: str
    household_id: str | None = None

    def text(self, lang: str = "vi") -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"{'dòng' if lang == 'vi' else 'row'} {self.row}")
        if self.column:
            where.append(f"{'cột' if lang == 'vi' else 'column'} {self.column}")
        if self.household_id is not None:
            where.append(f"{'hộ' if lang == 'vi' else 'household'} {self.household_id}")
        message = self.message_vi if lang == "vi" else self.message_en
        other = self.message_en if lang == "vi" else self.message_vi
        return f"{', '.join(where)}: {message} / {other}"


class InputError(ValueError):
    """Input that cannot be classified or imported; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the input:\n" + self.report())

    def report(self, lang: str = "vi", limit: int | None = None) -> str:
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [p.text(lang) for p in shown]
        if limit is not None and len(self.problems) > limit:
            lines.append(f"... (+{len(self.problems) - limit})")
        return "\n".join(lines)


def distinct(problems: list[Problem]) -> list[Problem]:
    """One problem per cell (the first found, the most specific), in file, row and column order."""
    seen, out = set(), []
    for p in problems:
        key = (p.file, p.row, p.column)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return sorted(out, key=lambda p: (p.file, p.row or 0, p.column or ""))
