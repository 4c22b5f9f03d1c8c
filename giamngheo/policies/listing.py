"""Lists of beneficiaries for a user: eligibility (and what the ledger reveals against it) over a unit
the user reads whole, national ids masked unless the user may see them, and the file written for the
CLI (audited: it names people)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from ..accounts.access import Scope, area_scope, sees_personal_ids
from ..core import clock
from ..core.atomic import atomic_output
from ..core.audit import audit
from ..core.errors import ServiceError
from ..core.masking import masked_frame
from ..core.spreadsheets import write_frame
from ..geo.models import AdminUnit
from ..standards.formats import date_vi
from . import findings
from .catalogue import load_policy
from .eligibility import eligibility

FILE_COLUMNS = ["household_id", "member_id", "national_id", "category", "reason"]
FINDINGS = ("gaps", "wrong_target", "overlaps")
FINDING_COLUMNS = {
    "gaps": findings.GAP_COLUMNS,
    "wrong_target": findings.WRONG_COLUMNS,
    "overlaps": findings.OVERLAP_COLUMNS,
}


def unit_scope(actor, unit: AdminUnit, policy_id: str | None = None) -> Scope:
    """The communes of `unit` today (where the households are registered); refused unless the actor
    reads all of them (for `policy_id`, an agency officer's units of that policy count too)."""
    return area_scope(actor, unit, on=clock.today(), policy=policy_id)


def as_seen(actor, frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with national ids masked unless the actor may see them (incomes never shown here)."""
    return masked_frame(frame, show_ids=sees_personal_ids(actor), show_incomes=False)


def not_after_today(on: dt.date) -> None:
    """The lists are of the register as it stands or stood: a date after today would show today's
    statuses as if they were decided for it (it wrote 19 rows for 31/12/2026 on 05/12/2026)."""
    if on > clock.today():
        raise ServiceError(
            f"Ngày {date_vi(on)} ở tương lai: danh sách chỉ lập cho hôm nay hoặc một ngày đã qua",
            f"{date_vi(on)} is in the future: lists are made for today or a past date",
            field="on",
        )


def write_list(actor, frame: pl.DataFrame, output: Path, *, sheet: str, event: str, unit: AdminUnit, **data) -> int:
    """Write `frame` (CSV or XLSX by the suffix) all at once and record who wrote it."""
    if output.suffix.lower() not in (".csv", ".xlsx"):  # a CSV was written under e.txt
        raise ServiceError(
            f"Tệp {output.name}: cần đuôi .csv hoặc .xlsx", f"file {output.name}: use .csv or .xlsx", field="output"
        )
    with atomic_output(output) as tmp:
        write_frame(frame, tmp, sheet[:31])
    audit(actor, event, unit, rows=frame.height, **data)
    return frame.height


def eligible_list(actor, *, policy_id: str, unit: AdminUnit, on: dt.date) -> pl.DataFrame:
    """Who is eligible for `policy_id` on `on` in `unit`, as the actor may see it."""
    not_after_today(on)
    policy = load_policy(policy_id)
    return as_seen(actor, eligibility(unit_scope(actor, unit, policy.id), policy, on))


def eligible_export(*, actor, policy_id: str, unit: AdminUnit, on: dt.date, output: Path) -> int:
    """Write the list (`FILE_COLUMNS`; CSV or XLSX by the suffix) and record who wrote it."""
    frame = eligible_list(actor, policy_id=policy_id, unit=unit, on=on).select(FILE_COLUMNS)
    return write_list(
        actor,
        frame,
        output,
        sheet=policy_id,
        event="policies.eligible_export",
        unit=unit,
        policy=policy_id,
        on=on.isoformat(),
    )


def finding_list(actor, *, kind: str, policy_id: str | None, unit: AdminUnit, on: dt.date) -> findings.Finding:
    """One of `FINDINGS` in `unit` around `on`, as the actor may see it (columns `FINDING_COLUMNS`):
    gaps in the policy's period around `on`; wrong targets delivered in that period; overlaps of
    benefits delivered by `on` (those naming `policy_id`, when given)."""
    not_after_today(on)
    if policy_id:
        load_policy(policy_id)  # an unknown id is refused, not an empty list
    scope = unit_scope(actor, unit, policy_id or None)
    if kind == "overlaps":
        found = findings.overlaps(scope, on)
        if policy_id:
            named = (pl.col("first_policy") == policy_id) | (pl.col("second_policy") == policy_id)
            found = findings.Finding(found.frame.filter(named), found.note)
    else:
        if not policy_id:
            raise ValueError("a policy is needed for gaps and wrong targets")
        policy = load_policy(policy_id)
        if kind == "gaps":
            found = findings.gaps(scope, policy, on)
        else:
            start, end, _ = findings.period_of(policy, on)
            found = findings.wrong_target(scope, policy, start, end)
    frame = as_seen(actor, found.frame).select(FINDING_COLUMNS[kind])
    return findings.Finding(frame, found.note)


def finding_export(*, actor, kind: str, policy_id: str | None, unit: AdminUnit, on: dt.date, output: Path):
    """Write `finding_list` with its note as the last column (a CSV has nowhere else for it) and
    record who wrote it; returns the `Finding` written."""
    found = finding_list(actor, kind=kind, policy_id=policy_id, unit=unit, on=on)
    dates = [c for c, t in found.frame.schema.items() if t == pl.Date]
    frame = found.frame.with_columns(
        *(pl.col(c).dt.strftime("%d/%m/%Y") for c in dates), pl.lit(str(found.note)).alias("note")
    )
    write_list(
        actor,
        frame,
        output,
        sheet=kind,
        event=f"policies.{kind}_export",
        unit=unit,
        policy=policy_id or "",
        on=on.isoformat(),
    )
    return findings.Finding(frame, found.note)
