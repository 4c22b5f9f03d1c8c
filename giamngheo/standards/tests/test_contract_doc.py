"""docs/data-contract.md says what standards/contract.py enforces: columns, bounds and lengths agree."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from giamngheo.standards.contract import (
    CODE,
    FALSE_WORDS,
    FORM_B_FACT,
    FORM_B_KEY,
    FORM_B_PERSON,
    HOUSEHOLD_COLUMNS,
    MEMBER_COLUMNS,
    TODAY,
    TRUE_WORDS,
    Column,
    form_b_columns,
)

DOC = Path(__file__).resolve().parents[3] / "docs" / "data-contract.md"


def _section(text: str, title: str) -> str:
    start = text.index(title)
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def _rows(section: str) -> dict[str, list[str]]:
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] not in ("column", "") and not set(cells[0]) <= {"-"}:
            rows[cells[0]] = cells
    return rows


def _said(value, col: Column) -> str:
    if value == TODAY:
        return "today"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def test_every_contract_column_is_documented_in_its_table():
    text = DOC.read_text(encoding="utf-8")
    for title, columns in (("## households", HOUSEHOLD_COLUMNS), ("## members", MEMBER_COLUMNS)):
        documented = set(_rows(_section(text, title)))
        footnoted = {"income_score", "birth_year"}  # each has its footnote under the table
        assert {c.name for c in columns} - footnoted <= documented
    assert "`income_score`" in text and "`birth_year`" in text


def test_the_documented_bounds_and_lengths_are_the_enforced_ones():
    rows = _rows(_section(DOC.read_text(encoding="utf-8"), "## What the import checks"))
    checked = {
        c.name: c
        for c in (*HOUSEHOLD_COLUMNS, *MEMBER_COLUMNS)
        if c.minimum is not None or c.maximum is not None or c.max_length
    }
    assert set(checked) == set(rows), "the doc's table lists exactly the columns with bounds or lengths"
    for name, col in checked.items():
        _, _, bounds, longest = rows[name]
        if col.minimum is not None or col.maximum is not None:
            assert bounds.startswith(f"{_said(col.minimum, col)} to {_said(col.maximum, col)}"), name
        else:
            assert not re.search(r"\d to \d", bounds), name
        assert longest == (str(col.max_length) if col.max_length else ""), name
        if col.decimals is not None:
            assert f"{col.decimals} decimals" in bounds, name


def test_every_code_list_is_documented_exactly():
    """A code added to (or dropped from) a list in contract.py shows in the doc's row of that column."""
    text = DOC.read_text(encoding="utf-8")
    for title, columns in (("## households", HOUSEHOLD_COLUMNS), ("## members", MEMBER_COLUMNS)):
        rows = _rows(_section(text, title))
        for col in columns:
            if col.kind == CODE:
                assert set(re.findall(r"`([^`]+)`", " ".join(rows[col.name]))) == set(col.codes), col.name


def test_every_word_read_as_true_or_false_is_documented():
    """The doc lists every word the readers take for a boolean (it once gave only three pairs)."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index("Booleans are")
    paragraph = text[start : text.index("\n\n", start)]
    assert set(re.findall(r"`([^`]+)`", paragraph)) == TRUE_WORDS | FALSE_WORDS


def test_the_documented_form_b_columns_are_the_contracts():
    """docs/data-contract.md's "What Form B asks" lists each column under the way `form_b` marks it."""
    rows = _rows(_section(DOC.read_text(encoding="utf-8"), "## What Form B asks"))
    said = {
        (asked, level): {n.strip() for n in cells[i].split(",") if n.strip()}
        for asked, cells in rows.items()
        if asked != "asked as"
        for i, level in ((1, "households"), (2, "members"))
    }
    for level, columns in (("households", HOUSEHOLD_COLUMNS), ("members", MEMBER_COLUMNS)):
        for asked in (FORM_B_KEY, FORM_B_FACT, FORM_B_PERSON):
            assert said[(asked, level)] == {c.name for c in form_b_columns(columns, asked)}, (asked, level)
    assert set(rows) - {"asked as"} == {FORM_B_KEY, FORM_B_FACT, FORM_B_PERSON}
