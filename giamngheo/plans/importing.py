"""Household plans from a file: `giamngheo plans import FILE` (CSV or XLSX).

Columns `household_id`, `year`, `target_exit_year`, `group` (`can_escape`, `protection_only`,
`to_review`, or their Vietnamese or English words), `organisation` (a name of the household's commune),
`helper` (a person's name, of that organisation when one is named), `commitment`; Vietnamese headers
accepted (`HEADERS`). Read by the registry import's reader (`standards.reading`, with the exchange's
limits); every row is checked first and every problem named by row and column in Vietnamese and
English; then every row is written in one transaction, or none. A row makes the household's plan for
the year (from the Form B behind its latest status, as `services.plan_create`) or changes the fields it
fills in of the plan already there; an empty cell changes nothing. Households the actor does not see
are "not found"; those of a commune whose plans the actor does not keep are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from ..accounts.access import can_keep_plans
from ..core import clock
from ..core.audit import audit
from ..core.text import fold
from ..exchange.limits import import_limits
from ..registry.selectors import households_visible_to
from ..review.statuses import form_b_behind, latest_of, status_history
from ..standards.contract import INT, TEXT, Column
from ..standards.problems import InputError, Problem, distinct
from ..standards.reading import ROW, coerce, read_table
from .models import GROUP_WORDS, HouseholdPlan, Organisation, Person, PlanSource, PlanState

CHUNK = 10_000
COLUMNS: tuple[Column, ...] = (
    Column("household_id", TEXT, True, "Mã hộ", max_length=40),
    Column("year", INT, True, "Năm kế hoạch", minimum=2021, maximum=2100),
    Column("target_exit_year", INT, False, "Năm dự kiến thoát nghèo", minimum=2021, maximum=2110),
    Column("group", TEXT, False, "Nhóm hộ", max_length=80),
    Column("organisation", TEXT, False, "Tổ chức giúp đỡ", max_length=200),
    Column("helper", TEXT, False, "Người giúp đỡ", max_length=120),
    Column("commitment", TEXT, False, "Cam kết của hộ", max_length=2000),
)
HEADERS = {
    **{c.label_vi.lower(): c.name for c in COLUMNS},
    "năm": "year",
    "nhóm": "group",
    "tổ chức": "organisation",
    "cam kết": "commitment",
}


def _word(text: str) -> str:
    """How a group is matched: folded (no diacritics, lower case), punctuation dropped, spaces collapsed."""
    return " ".join("".join(ch if ch.isalnum() or ch == "_" else " " for ch in fold(text)).split())


# every word a group is written with (its code, its Vietnamese and English labels) -> its code
GROUPS = {_word(word): code for code, words in GROUP_WORDS.items() for word in (code, *words)}


@dataclass(frozen=True)
class PlanImportResult:
    created: int
    changed: int

    def summary(self) -> str:
        return f"{self.created} kế hoạch mới, {self.changed} kế hoạch sửa / {self.created} new plans, {self.changed} changed"


def _read(path: Path, label: str) -> tuple[pl.DataFrame, list[Problem]]:
    frame = read_table(path, None, import_limits())
    frame = frame.rename({c: HEADERS.get(c.lower().strip(), c) for c in frame.columns if c != ROW})
    for name in {c.name for c in COLUMNS} - set(frame.columns):
        frame = frame.with_columns(pl.lit(None, pl.String).alias(name))
    return coerce(frame, COLUMNS, label)


def plans_import(*, actor, path: Path) -> PlanImportResult:
    """Check every row of `path`, then write every plan it names, or none."""
    path = Path(path)
    label = str(path)
    if not path.is_file():
        raise InputError([Problem(label, None, None, "không tìm thấy tệp", "file not found")])
    frame, problems = _read(path, label)
    rows = _checked(actor, frame, label, problems)
    problems = distinct(problems)
    if problems:
        raise InputError(problems)
    return _write(actor, rows, label)


def _chunked(queryset, field: str, values) -> list:
    values = list(values)
    return [
        row
        for start in range(0, len(values), CHUNK)
        for row in queryset.filter(**{f"{field}__in": values[start : start + CHUNK]})
    ]


def _checked(actor, frame: pl.DataFrame, label: str, problems: list[Problem]) -> list[dict]:
    """The rows with their household, plan (if any), organisation and helper; a problem for each bad cell."""
    ids = {r for r in frame.get_column("household_id").to_list() if r}
    households = {h.household_id: h for h in _chunked(households_visible_to(actor), "household_id", ids)}
    communes = {h.unit_id for h in households.values()}
    plans = {
        (p.household_id, p.year): p
        for p in _chunked(HouseholdPlan.objects.all(), "household_id", [h.pk for h in households.values()])
    }
    organisations: dict[tuple[int, str], list[Organisation]] = {}
    for o in Organisation.objects.filter(unit_id__in=communes):
        organisations.setdefault((o.unit_id, fold(o.name)), []).append(o)
    people: dict[tuple[int, str], list[Person]] = {}
    for p in Person.objects.filter(organisation__unit_id__in=communes).select_related("organisation"):
        people.setdefault((p.organisation.unit_id, fold(p.full_name)), []).append(p)
    seen: dict[tuple[str, int], int] = {}
    out = []
    for r in frame.iter_rows(named=True):
        row, hid, year = r[ROW], r["household_id"], r["year"]
        if not hid or year is None:
            continue  # `coerce` named the empty required cell
        household = households.get(hid)
        if household is None:
            problems.append(Problem(label, row, "household_id", f"không tìm thấy hộ {hid}", f"no household {hid}"))
            continue
        if not can_keep_plans(actor, household.unit_id):
            problems.append(
                Problem(
                    label,
                    row,
                    "household_id",
                    "không có quyền lập kế hoạch cho hộ của xã này",
                    "not allowed to keep plans of this commune's households",
                )
            )
            continue
        if (hid, year) in seen:
            problems.append(
                Problem(
                    label,
                    row,
                    "year",
                    f"hộ và năm đã có ở dòng {seen[hid, year]}",
                    f"household and year repeat row {seen[hid, year]}",
                )
            )
            continue
        seen[hid, year] = row
        plan = plans.get((household.pk, year))
        if plan is not None and plan.state in (PlanState.ACHIEVED, PlanState.NOT_ACHIEVED):
            problems.append(
                Problem(
                    label, row, "year", "kế hoạch năm này đã kết thúc, không sửa được", "that year's plan is closed"
                )
            )
        fields: dict = {}
        target = r["target_exit_year"]
        if target is not None:
            if not year <= target <= year + 10:
                problems.append(
                    Problem(
                        label,
                        row,
                        "target_exit_year",
                        f"năm dự kiến thoát nghèo phải từ {year} đến {year + 10}",
                        f"the target exit year must be between {year} and {year + 10}",
                    )
                )
            fields["target_exit_year"] = target
        if r["group"]:
            code = GROUPS.get(_word(r["group"]))
            if code is None:
                problems.append(
                    Problem(
                        label,
                        row,
                        "group",
                        f"nhóm hộ không hợp lệ: '{r['group']}' (can_escape, protection_only, to_review)",
                        f"unknown group '{r['group']}' (can_escape, protection_only, to_review)",
                    )
                )
            fields["group"] = code
        organisation = None
        if r["organisation"]:
            found = organisations.get((household.unit_id, fold(r["organisation"])), [])
            if len(found) != 1:
                problems.append(
                    Problem(
                        label,
                        row,
                        "organisation",
                        f"không có tổ chức '{r['organisation']}' ở xã của hộ",
                        f"no organisation '{r['organisation']}' in the household's commune",
                    )
                )
            else:
                organisation = fields["organisation"] = found[0]
        if r["helper"]:
            matches = [
                p
                for p in people.get((household.unit_id, fold(r["helper"])), [])
                if organisation is None or p.organisation_id == organisation.pk
            ]
            if len(matches) != 1:
                vi = "có nhiều người trùng tên, hãy ghi cả tổ chức" if matches else "không có người giúp đỡ này"
                en = "several people of that name: name the organisation" if matches else "no such helper"
                where = f" '{r['helper']}'" + ("" if organisation is None else f" ({organisation.name})")
                problems.append(Problem(label, row, "helper", vi + where, en + where))
            else:
                fields["helper"] = matches[0]
                fields.setdefault("organisation", matches[0].organisation)
        if r["commitment"]:
            fields["commitment"] = r["commitment"]
        out.append({"row": row, "household": household, "year": year, "plan": plan, "fields": fields})
    return out


@transaction.atomic
def _write(actor, rows: list[dict], label: str) -> PlanImportResult:
    new = [r for r in rows if r["plan"] is None]
    on = clock.today()
    latest = latest_of(status_history(household_pks=[r["household"].pk for r in new], until=on, large=False))
    answers = {pk: (causes, needs) for pk, causes, needs in form_b_behind(latest).iter_rows()}
    categories = dict(latest.select("household_pk", "category").iter_rows())
    plans = []
    for r in new:
        household = r["household"]
        causes, needs = answers.get(household.pk, ([], []))
        plans.append(
            HouseholdPlan(
                household=household,
                year=r["year"],
                commune_id=household.unit_id,
                category=categories.get(household.pk, ""),
                causes=list(causes or []),
                needs=list(needs or []),
                source=PlanSource.IMPORTED,
                created_by=actor,
                **r["fields"],
            )
        )
    bulk_create_with_history(plans, HouseholdPlan, batch_size=2000, default_user=actor)
    changed = 0
    for r in rows:
        plan, fields = r["plan"], r["fields"]
        if plan is None or all(getattr(plan, k) == v for k, v in fields.items()):
            continue
        for name, value in fields.items():
            setattr(plan, name, value)
        plan._history_user = actor
        plan.save()
        changed += 1
    result = PlanImportResult(len(plans), changed)
    audit(actor, "plans.import", None, file=Path(label).name, created=result.created, changed=result.changed)
    return result


__all__ = ["COLUMNS", "GROUPS", "HEADERS", "PlanImportResult", "plans_import"]
