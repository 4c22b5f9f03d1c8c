"""Lists of beneficiaries for a user: eligibility over a unit the user reads whole, national ids
masked unless the user may see them, and the file written for the CLI (audited: it names people)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from ..accounts.access import area_scope, sees_personal_ids
from ..core import clock
from ..core.atomic import atomic_output
from ..core.audit import audit
from ..core.masking import masked_frame
from ..core.spreadsheets import write_frame
from ..geo.models import AdminUnit
from .catalogue import load_policy
from .eligibility import eligibility

FILE_COLUMNS = ["household_id", "member_id", "national_id", "category", "reason"]


def eligible_list(actor, *, policy_id: str, unit: AdminUnit, on: dt.date) -> pl.DataFrame:
    """Who is eligible for `policy_id` on `on` in `unit` (its communes today, where the households are
    registered; refused unless the actor reads all of them), as the actor may see it."""
    scope = area_scope(actor, unit, on=clock.today())
    frame = eligibility(scope, load_policy(policy_id), on)
    return masked_frame(frame, show_ids=sees_personal_ids(actor), show_incomes=False)


def eligible_export(*, actor, policy_id: str, unit: AdminUnit, on: dt.date, output: Path) -> int:
    """Write the list (`FILE_COLUMNS`; CSV or XLSX by the suffix) and record who wrote it."""
    frame = eligible_list(actor, policy_id=policy_id, unit=unit, on=on).select(FILE_COLUMNS)
    with atomic_output(output) as tmp:
        write_frame(frame, tmp, policy_id[:31])
    audit(actor, "policies.eligible_export", unit, policy=policy_id, on=on.isoformat(), rows=frame.height)
    return frame.height
