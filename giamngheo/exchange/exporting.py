"""Export a unit's registry in the data contract: an .xlsx with two sheets, or a folder of CSVs."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from ..accounts.access import Scope, area_scope, sees_incomes, sees_personal_ids
from ..core import clock
from ..core.atomic import atomic_output
from ..core.audit import audit
from ..core.errors import ServiceError
from ..core.masking import masked_frame
from ..core.spreadsheets import csv_safe, workbook, write_frame
from ..geo.models import AdminUnit
from ..registry.frames import contract_frames
from ..registry.selectors import heads, households_visible_to
from ..review.statuses import latest_statuses


def _spread_extra(frame: pl.DataFrame) -> pl.DataFrame:
    """Extra columns kept at import come back out as columns of their own."""
    if "extra" not in frame.columns:
        return frame
    extras = [json.loads(e) if isinstance(e, str) else (e or {}) for e in frame.get_column("extra").to_list()]
    keys = sorted({k for e in extras for k in e})
    frame = frame.drop("extra")
    return frame.with_columns(
        [pl.Series(k, [e.get(k) for e in extras], dtype=pl.String) for k in keys if k not in frame.columns]
    )


def masked_for(actor, frame: pl.DataFrame) -> pl.DataFrame:
    """What the actor's role sees on the pages, the file holds too: ids to the last 4 digits and no
    incomes for province and national viewers (a command run --as them writes the same)."""
    return masked_frame(frame, show_ids=sees_personal_ids(actor), show_incomes=sees_incomes(actor))


def unit_scope(actor, unit: AdminUnit) -> Scope:
    """The communes of `unit` today, refused unless the actor may read every one (as reports are)."""
    return area_scope(actor, unit, on=clock.today())


def unit_frames(actor, scope: Scope) -> tuple[pl.DataFrame, pl.DataFrame]:
    households = households_visible_to(actor).filter(unit_id__in=scope.commune_ids)
    hh, members = contract_frames(households, with_extra=True)
    return masked_for(actor, _spread_extra(hh)), masked_for(actor, _spread_extra(members))


def export_unit(*, actor, unit: AdminUnit, output: Path, reason: str = "") -> tuple[int, int]:
    """Write the unit's households and members; logged with who, what and why."""
    if not reason.strip():
        raise ServiceError(
            "Cần nêu lý do xuất dữ liệu cá nhân (--reason)",
            "a reason is required to export personal data (--reason)",
            field="reason",
        )
    hh, members = unit_frames(actor, unit_scope(actor, unit))
    if output.suffix.lower() == ".xlsx":
        with atomic_output(output) as tmp, workbook(tmp) as book:
            hh.write_excel(book, worksheet="households", autofit=True)
            members.write_excel(book, worksheet="members", autofit=True)
    else:
        output.mkdir(parents=True, exist_ok=True)
        with atomic_output(output / "households.csv") as hh_tmp, atomic_output(output / "members.csv") as mem_tmp:
            csv_safe(hh).write_csv(hh_tmp)
            csv_safe(members).write_csv(mem_tmp)
    audit(
        actor,
        "registry.export",
        unit,
        output=str(output),
        reason=reason.strip(),
        households=hh.height,
        members=members.height,
    )
    return hh.height, members.height


def partner_frame(actor, scope: Scope, kind: str) -> pl.DataFrame:
    """`population`: one row per person with a national id (for the national population database);
    `payment`: one row per poor or near-poor household, the head only (for payment partners)."""
    from ..registry.models import Member

    households = households_visible_to(actor).filter(unit_id__in=scope.commune_ids)
    latest = latest_statuses(scope, scope.on)
    status = {
        pk: (category, since)
        for pk, category, since in latest.select("household_pk", "category", "valid_from").iter_rows()
    }
    members = heads() if kind == "payment" else Member.objects.filter(is_active=True)
    members = members.filter(household__in=households).select_related("household__unit")
    rows = []
    paid: set[int] = set()
    for m in members.order_by("household__household_id", "member_id"):
        if kind == "payment":  # one row a household, its head by heads()' rule (two heads gave two payments)
            if m.household_id in paid:
                continue
            paid.add(m.household_id)
        category, since = status.get(m.household_id, ("", None))
        if kind == "payment" and category not in ("poor", "near_poor"):
            continue
        if kind == "population" and not m.national_id:
            continue
        row = {
            "national_id": m.national_id,
            "full_name": m.full_name,
            "household_id": m.household.household_id,
            "admin_code": m.household.unit.code,
            "category": category,
            "since": since,
        }
        if kind == "population":
            row["birth_date"] = m.birth_date
        else:
            row["village"] = m.household.village_name
        rows.append(row)
    return masked_for(
        actor,
        pl.DataFrame(rows, infer_schema_length=None)
        if rows
        else pl.DataFrame(schema={"national_id": pl.String, "full_name": pl.String, "household_id": pl.String}),
    )


def export_partner(*, actor, unit: AdminUnit, output: Path, kind: str, reason: str) -> int:
    if not reason.strip():
        raise ServiceError(
            "Cần nêu lý do xuất dữ liệu cá nhân (--reason)",
            "a reason is required to export personal data (--reason)",
            field="reason",
        )
    frame = partner_frame(actor, unit_scope(actor, unit), kind)
    with atomic_output(output) as tmp:
        write_frame(frame, tmp, kind)
    audit(actor, f"registry.export.{kind}", unit, output=str(output), reason=reason.strip(), rows=frame.height)
    return frame.height
