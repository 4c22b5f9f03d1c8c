"""An offline Form B for ODK Collect / KoboToolbox, generated from the contract and the standard.

The XLSForm asks for exactly the columns the contract marks for Form B (`Column.form_b`): the
household's id and facts, a member roster (a repeat group), then causes and needs, GPS and a photo; each indicator of the standard in force appears as
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
from ..standards.asked import AskedBirths, asked_births
from ..standards.contract import (
    BOOL,
    CODE,
    DATE,
    DECIMAL,
    EARLIEST_BIRTH,
    FORM_B_FACT,
    FORM_B_KEY,
    FORM_B_PERSON,
    HOUSEHOLD_COLUMNS,
    INT,
    MEMBER_COLUMNS,
    TEXT,
    TODAY,
    Column,
    form_b_columns,
    label_vi,
)
from ..standards.params import Standard
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


def relevant(asked: AskedBirths) -> str:
    """The XLSForm `relevant` of an age-bound question: the member's birth date in one of the runs
    the standard asks, else the birth year in one of its runs, else (no birth known) as the web form."""
    dates = " or ".join(
        f"(${{birth_date}} >= date('{a.isoformat()}') and ${{birth_date}} <= date('{b.isoformat()}'))"
        for a, b in asked.dates
    )
    years = " or ".join(f"(${{birth_year}} >= {a} and ${{birth_year}} <= {b})" for a, b in asked.years)
    known_date, known_year = "${birth_date} != ''", "${birth_year} != ''"
    parts = [f"({known_date} and ({dates}))"] if dates else []
    parts += [f"(not({known_date}) and {known_year} and ({years}))"] if years else []
    parts += [f"(not({known_date}) and not({known_year}))"] if asked.unknown else []
    return " or ".join(parts)


def _row(col: Column, asked: AskedBirths | None = None) -> list[str]:
    kind = f"select_one {col.name}" if col.kind == CODE else TYPES[col.kind]
    required = "yes" if col.required else ""
    rule, message = constraint(col)
    return [kind, col.name, col.label_vi, required, rule, message, "", relevant(asked) if asked else ""]


# What the phone asks, from the contract: the household's id and facts; for each member the id, who the
# person is (kept for a current member, needed for one added on the phone) and the facts. The commune
# and village are the registry's, never retyped on a phone.
HOUSEHOLD_QUESTIONS = form_b_columns(HOUSEHOLD_COLUMNS, FORM_B_KEY, FORM_B_FACT)
MEMBER_QUESTIONS = form_b_columns(MEMBER_COLUMNS, FORM_B_KEY, FORM_B_PERSON, FORM_B_FACT)


def write_form_b(path: Path, standard: str | Standard = "auto", when: dt.date | None = None) -> Path:
    """Form B under `standard` ("auto": the one in force on `when`, default today), with the causes
    and needs listed on `when`. A round's form: `write_round_form_b`."""
    when = when or clock.today()
    return _write(path, resolve_standard(standard, when), when, [], None)


def write_round_form_b(path: Path, review_round) -> Path:
    """The round's Form B: the standard the round classifies under (its rule's, or a province's
    choice; not today's), the code lists of its reference date, and a note saying which round and why."""
    from ..review.selectors import round_standard_of  # here: the form without a round needs no database

    use = round_standard_of(review_round)
    about = (
        f"{review_round.get_kind_display()} {review_round.commune.name} (đợt {review_round.pk}), "
        f"ngày tham chiếu {review_round.reference_date:%d/%m/%Y}. {use.reason_vi}"
    )
    return _write(path, use.standard, review_round.reference_date, [about], review_round.pk)


def _write(path: Path, std: Standard, when: dt.date, about: list[str], round_id: int | None) -> Path:
    law = review_law()
    causes, needs = law.causes(when), law.needs(when)
    causes_mark = "" if law.verified("causes") else " [chưa kiểm chứng]"
    needs_mark = "" if law.verified("needs") else " [chưa kiểm chứng]"
    survey = [["type", "name", "label", "required", "constraint", "constraint_message", "appearance", "relevant"]]
    survey.append(["note", "intro", f"Phiếu B — {std.title_vi} ({std.legal_basis})", "", "", "", ""])
    survey += [["note", f"about_{i + 1}", text, "", "", "", ""] for i, text in enumerate(about)]
    for ind in std.indicators:
        mark = "" if ind.verified else " [chưa kiểm chứng]"
        survey.append(["note", f"ind_{ind.id}", f"{ind.name_vi}: {ind.description_vi}{mark}", "", "", "", ""])
    survey += [_row(c) for c in HOUSEHOLD_QUESTIONS]
    survey.append(["begin_repeat", "members", "Thành viên hộ", "", "", "", "field-list"])
    # a child's stunting and schooling only for the births the standard reads them on `when` (#13),
    # a question no birth answers left out, as on the web form
    bound = asked_births(std, when, EARLIEST_BIRTH, clock.today())
    survey += [_row(c, bound.get(c.name)) for c in MEMBER_QUESTIONS if c.name not in bound or bound[c.name].ever]
    survey.append(["end_repeat", "members", "", "", "", "", ""])
    survey += [
        ["select_multiple causes", "causes", f"Nguyên nhân nghèo{causes_mark}", "", "", "", ""],
        ["select_multiple needs", "needs", f"Nhu cầu hỗ trợ{needs_mark}", "", "", "", ""],
        ["geopoint", "gps", "Vị trí nhà ở", "", "", "", ""],
        ["image", "photo", "Ảnh nhà ở", "", "", "", ""],
    ]
    choices = [["list_name", "name", "label"], ["yes_no", "true", "Có"], ["yes_no", "false", "Không"]]
    for col in (*HOUSEHOLD_QUESTIONS, *MEMBER_QUESTIONS):
        if col.kind == CODE and not any(r[0] == col.name for r in choices[1:]):
            choices += [[col.name, code, label_vi(code, col.name)] for code in col.codes]
    choices += [["causes", k, v] for k, v in causes.items()] + [["needs", k, v] for k, v in needs.items()]
    # one form a round: a server holding forms of two rounds keeps them apart
    title, form_id = f"Phiếu B {std.id}", f"giamngheo_phieu_b_{std.id.replace('-', '_')}"
    if round_id is not None:
        title, form_id = f"{title} · đợt {round_id}", f"{form_id}_dot_{round_id}"
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        [title, form_id, f"{std.id}-v{std.version}", "Vietnamese"],
    ]
    with atomic_output(path) as tmp, workbook(tmp) as book:
        for name, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
            sheet = book.add_worksheet(name)
            for i, row in enumerate(rows):
                sheet.write_row(i, 0, row)
    return path
