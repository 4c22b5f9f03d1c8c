"""Bringing a commune's current register in: a recognition decision taken on paper or in Excel
before the commune used giamngheo, entered as the review's recognition enters one.

`decision_import` writes what `round_recognise` writes (one `Status` per household, its
`transition` from the household's earlier statuses, history rows, an audit event) under a closed
round of its own, each status marked `source=decision`: recorded from a decision, no Form B behind
it, so no classification and no listing is invented. Everything or nothing: every bad row is named
by file, row and column in Vietnamese and English (`standards.problems`). The same decision brought
in twice is recorded once; the same number with other content is refused. `decision_check` is the
same reading without writing, for a page's preview.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from giamngheo.core import clock

from ..accounts.access import require_record_decision
from ..core.audit import audit
from ..core.errors import ServiceError
from ..core.text import fold
from ..geo.models import AdminUnit, UnitLevel
from ..geo.selectors import communes_with_history, successors
from ..registry.models import Household
from ..standards.contract import CATEGORY_LABELS
from ..standards.formats import date_vi
from ..standards.params import UnknownStandardError
from ..standards.problems import InputError, Problem
from ..standards.rounds import round_standard
from .models import ReviewRound, RoundKind, RoundStep, Status, StatusSource
from .statuses import status_history, summary_refresh
from .transitions import transition

LOOKUP = 20_000  # SQLite caps the variables of one query
BATCH = 5_000
ID, CATEGORY = "household_id", "category"
# What a decision's list says, folded (lower case, no marks, `_`/`-` as spaces) -> the register's category
CATEGORY_WORDS = {
    **{w: "poor" for w in ("poor", "ho ngheo", "ngheo")},
    **{w: "near_poor" for w in ("near poor", "ho can ngheo", "can ngheo")},
    **{w: "average" for w in ("average", "ho co muc song trung binh", "muc song trung binh")},
    **{w: "other" for w in ("other", "khac", "ho khac", "khong ngheo", "ho khong ngheo", "not poor")},
}
ALLOWED_VI = "hộ nghèo, hộ cận nghèo, hộ có mức sống trung bình, hộ không nghèo (khác)"
ALLOWED_EN = "poor, near_poor, average, other"


def category_of(text: str | None) -> str | None:
    """The register's category for a cell of the decision's list, whatever its case and marks."""
    return CATEGORY_WORDS.get(fold((text or "").replace("_", " ").replace("-", " ")))


@dataclass(frozen=True)
class DecisionResult:
    """What a decision brings (or brought) into the register: households per category; `already_recorded`
    when the same decision was recorded before (then nothing is written)."""

    review_round: ReviewRound | None
    counts: dict[str, int] = field(default_factory=dict)
    already_recorded: bool = False
    written: int = 0

    @property
    def households(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        parts = ", ".join(f"{CATEGORY_LABELS[c][0]}: {n}" for c, n in self.counts.items() if n)
        if self.already_recorded:
            return f"Quyết định đã được ghi, không ghi lại ({parts}) / already recorded, nothing written"
        if self.written:
            noun = "household" if self.written == 1 else "households"
            return f"Đã ghi {self.written} hộ ({parts}) / {self.written} {noun} recorded"
        return f"{self.households} hộ ({parts}) / {self.households} households"


@dataclass(frozen=True)
class _Plan:
    rows: list[tuple[int, str]]  # (household pk, category) in the file's order
    counts: dict[str, int]
    existing: ReviewRound | None


def _check_header(unit: AdminUnit, number: str, date: dt.date, kind: str) -> str:
    if unit.level != UnitLevel.COMMUNE:
        raise ServiceError(
            "Quyết định công nhận là của một xã: hãy chọn xã", "A recognition decision is a commune's: choose a commune"
        )
    if kind not in RoundKind.values:
        raise ServiceError(f"Loại đợt rà soát không hợp lệ: {kind}", f"unknown round kind: {kind}", field="kind")
    number = (number or "").strip()
    if not number:
        raise ServiceError("Cần số quyết định", "A decision number is required", field="number")
    if len(number) > 40:
        raise ServiceError(
            "Số quyết định dài quá 40 ký tự", "The decision number is longer than 40 characters", field="number"
        )
    if date > clock.today():
        raise ServiceError("Ngày quyết định ở tương lai", "The decision date is in the future", field="date")
    _check_date_in_unit_and_standard(unit, date, kind)
    return number


def _check_date_in_unit_and_standard(unit: AdminUnit, date: dt.date, kind: str) -> None:
    """A decision is the act of a commune that existed that day, under a standard the register holds:
    the communes of 1 July 2025 did not exist in 2024 (their predecessors decided then), and a
    decision dated 01/01/1900 is a typing slip."""
    day = date_vi(date)
    if unit.valid_from is not None and date < unit.valid_from:
        raise ServiceError(
            f"{unit.name} có từ ngày {date_vi(unit.valid_from)}; quyết định ngày {day} là của xã trước đó: "
            "hãy chọn xã cũ theo mã của nó",
            f"{unit.name} exists since {unit.valid_from:%d/%m/%Y}; a decision dated {date:%d/%m/%Y} is its "
            "predecessor's: choose the old commune by its code",
            field="date",
        )
    if unit.valid_to is not None and date > unit.valid_to:
        raise ServiceError(
            f"{unit.name} chỉ tồn tại đến ngày {date_vi(unit.valid_to)}; quyết định ngày {day} là của xã mới",
            f"{unit.name} existed until {unit.valid_to:%d/%m/%Y}; a decision dated {date:%d/%m/%Y} is its successor's",
            field="date",
        )
    try:
        round_standard(kind, date)
    except UnknownStandardError:
        raise ServiceError(
            f"Không có chuẩn nghèo nào trong sổ áp dụng cho quyết định ngày {day}: hãy kiểm tra ngày",
            f"No poverty standard in the register applies to a decision dated {date:%d/%m/%Y}: check the date",
            field="date",
        ) from None


def _read_rows(rows: Iterable[Mapping], file: str) -> tuple[list[tuple[int, str, str | None]], list[Problem]]:
    """(row, household id, category) of each row with an id seen first there (its category None when
    unreadable, so the id is checked too), and a problem for every cell that is not usable."""
    problems: list[Problem] = []
    good: list[tuple[int, str, str | None]] = []
    first_row: dict[str, int] = {}
    for index, raw in enumerate(rows):
        row = int(raw.get("_row") or index + 2)
        household_id = str(raw.get(ID) or "").strip()
        text = str(raw.get(CATEGORY) or "").strip()
        if not household_id and not text:  # a blank line between or after the rows is no row
            continue
        category = category_of(text)
        if not household_id:
            problems.append(Problem(file, row, ID, "ô mã hộ đang trống", "the household id is empty"))
        elif household_id in first_row:
            problems.append(
                Problem(
                    file,
                    row,
                    ID,
                    f"mã hộ trùng với dòng {first_row[household_id]} trong tệp",
                    f"duplicate household id in the file (also row {first_row[household_id]})",
                    household_id,
                )
            )
        else:
            first_row[household_id] = row
        if not text:
            problems.append(
                Problem(file, row, CATEGORY, "ô phân loại đang trống", "the category is empty", household_id or None)
            )
        elif category is None:
            problems.append(
                Problem(
                    file,
                    row,
                    CATEGORY,
                    f"phân loại không hợp lệ ('{text}'), dùng một trong: {ALLOWED_VI}",
                    f"unknown category ('{text}'), use one of: {ALLOWED_EN}",
                    household_id or None,
                )
            )
        if household_id and first_row.get(household_id) == row:
            good.append((row, household_id, category))
    if not good and not problems:
        problems.append(Problem(file, None, None, "tệp không có dòng nào", "the file has no rows"))
    return good, problems


def _plan(*, unit: AdminUnit, number: str, date: dt.date, kind: str, rows: Iterable[Mapping], file: str) -> _Plan:
    """The decision's rows resolved to the commune's households, or every problem found."""
    good, problems = _read_rows(rows, file)
    ids = [household_id for _, household_id, _ in good]
    found: dict[str, tuple[int, int]] = {}
    for start in range(0, len(ids), LOOKUP):
        for household_id, pk, unit_id in Household.objects.filter(
            household_id__in=ids[start : start + LOOKUP]
        ).values_list("household_id", "pk", "unit_id"):
            found[household_id] = (pk, unit_id)
    ours = communes_with_history(unit)  # the commune, and the pre-2025 communes that became it
    if unit.valid_to is not None:  # an old commune's decision: its households are now in its successors'
        ours = ours | {s.pk for s in successors(unit)}
    resolved: list[tuple[int, str]] = []
    for row, household_id, category in good:
        if household_id not in found:
            problems.append(
                Problem(
                    file, row, ID, "không có hộ này trong sổ", "unknown household (not in the registry)", household_id
                )
            )
        elif found[household_id][1] not in ours:
            problems.append(
                Problem(
                    file,
                    row,
                    ID,
                    f"hộ thuộc xã khác, không phải {unit.name}",
                    f"a household of another commune, not {unit.name}",
                    household_id,
                )
            )
        elif category is not None:
            resolved.append((found[household_id][0], category))
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    counts = {c: n for c in CATEGORY_LABELS if (n := Counter(c for _, c in resolved)[c])}
    existing = _same_number(unit, number, date, kind, resolved)
    if existing is None:
        _refuse_later_statuses(resolved, date, good, file)
    return _Plan(resolved, counts, existing)


DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")


def number_key(number: str) -> str:
    """A decision number as people mean it: "45/QĐ-UBND", "45/qđ-ubnd", "45/QÐ–UBND" (an eth, an en
    dash) and "45 / QĐ-UBND" are one decision; each was recorded a second time as a new one."""
    return "".join(fold(number.translate(DASHES).replace("ð", "d").replace("Ð", "d")).split())


def _same_number(
    unit: AdminUnit, number: str, date: dt.date, kind: str, resolved: list[tuple[int, str]]
) -> ReviewRound | None:
    """The round that already recorded this decision (same date and rows), None if there is none;
    the same number with other content is refused. Numbers are compared as `number_key` reads them."""
    key = number_key(number)
    rounds = ReviewRound.objects.filter(commune=unit).exclude(decision_number="").order_by("pk")
    existing = next((r for r in rounds if number_key(r.decision_number or "") == key), None)
    if existing is None:
        return None
    recorded = sorted(existing.statuses.values_list("household_id", "category"))
    if existing.decision_date == date and existing.kind == kind and recorded == sorted(resolved):
        return existing
    day = date_vi(existing.decision_date) if existing.decision_date else "—"
    raise ServiceError(
        f"Quyết định số {number} của {unit.name} đã được ghi (ngày {day}, {len(recorded)} hộ) với nội dung khác; "
        "không ghi đè. Hãy kiểm tra số quyết định",
        f"Decision {number} of {unit.name} was already recorded (dated {day}, {len(recorded)} households) with "
        "other content; it is not overwritten. Check the decision number",
        field="number",
    )


def _refuse_later_statuses(resolved: list[tuple[int, str]], date: dt.date, good, file: str) -> None:
    """A transition is read from the statuses before it: a decision older than one already in the
    register would leave the later one's transition wrong, so older decisions come first; and a
    household has one status a day (a second decision of the same date made a poor-for-no-day
    household "newly escaped", eligible for the newly-escaped loan for 36 months)."""
    pks = [pk for pk, _ in resolved]
    later: dict[int, dt.date] = {}
    for start in range(0, len(pks), LOOKUP):
        frame = status_history(household_pks=pks[start : start + LOOKUP])
        for pk, valid_from in frame.select("household_pk", "valid_from").iter_rows():
            if valid_from >= date:
                later[pk] = max(valid_from, later.get(pk, valid_from))
    if not later:
        return
    good = [(row, household_id, category) for row, household_id, category in good if category is not None]
    problems = [
        Problem(file, row, ID, *_later_words(later[pk], date), household_id)
        for (row, household_id, _), (pk, _) in zip(good, resolved, strict=True)
        if pk in later
    ]
    raise InputError(problems)


def _later_words(latest: dt.date, date: dt.date) -> tuple[str, str]:
    if latest == date:
        return (
            f"hộ đã có quyết định khác cùng ngày {date_vi(date)}; mỗi ngày một hộ chỉ có một hiện trạng",
            f"the household already has another decision dated {date_vi(date)}; a household has one status a day",
        )
    return (
        f"hộ đã có quyết định từ ngày {date_vi(latest)}, sau ngày quyết định này; hãy ghi quyết định cũ trước",
        f"the household has a status from {date_vi(latest)}, after this decision; record older decisions first",
    )


def decision_check(
    *, actor, unit: AdminUnit, number: str, date: dt.date, kind: str, rows: Iterable[Mapping], file: str = ""
) -> DecisionResult:
    """What `decision_import` would record, writing nothing (a page's preview): counts per category,
    or the same refusals."""
    require_record_decision(actor, unit)
    number = _check_header(unit, number, date, kind)
    plan = _plan(unit=unit, number=number, date=date, kind=kind, rows=rows, file=file or "tệp")
    return DecisionResult(plan.existing, plan.counts, already_recorded=plan.existing is not None)


@transaction.atomic
def decision_import(
    *, actor, unit: AdminUnit, number: str, date: dt.date, kind: str, rows: Iterable[Mapping], file: str = ""
) -> DecisionResult:
    """Record decision `number` of `date` recognising each row's household as its `category`.

    `rows` are mappings with `household_id`, `category` (codes or the Vietnamese words, any case or
    marks) and optionally `_row` (the file's row, for messages). One closed round, one status per
    household with its transition, history rows and one audit event; nothing at all when any row is bad.
    """
    require_record_decision(actor, unit)
    number = _check_header(unit, number, date, kind)
    AdminUnit.objects.select_for_update().filter(pk=unit.pk).first()  # two imports of a commune: one at a time
    plan = _plan(unit=unit, number=number, date=date, kind=kind, rows=rows, file=file or "tệp")
    if plan.existing is not None:
        return DecisionResult(plan.existing, plan.counts, already_recorded=True)
    review_round = ReviewRound(
        commune=unit,
        kind=kind,
        reference_date=date,
        step=RoundStep.CLOSED,
        decision_number=number,
        decision_date=date,
        opened_by=actor,
    )
    review_round._history_user = actor
    review_round.save()
    pks = [pk for pk, _ in plan.rows]
    earlier: dict[int, list[str]] = {}
    for start in range(0, len(pks), LOOKUP):
        frame = status_history(household_pks=pks[start : start + LOOKUP], until=date)
        for pk, categories in frame.group_by("household_pk", maintain_order=True).agg("category").iter_rows():
            earlier[pk] = categories
    statuses = [
        Status(
            household_id=pk,
            category=category,
            valid_from=date,
            review_round=review_round,
            decision_number=number,
            transition=transition(earlier.get(pk, []), category),
            source=StatusSource.DECISION,
        )
        for pk, category in plan.rows
    ]
    bulk_create_with_history(statuses, Status, batch_size=BATCH, default_user=actor)
    summary_refresh(pks)
    audit(
        actor,
        "review.decision_import",
        review_round,
        decision_number=number,
        decision_date=date.isoformat(),
        kind=kind,
        households=len(statuses),
        counts=plan.counts,
        file=file,
    )
    return DecisionResult(review_round, plan.counts, written=len(statuses))
