"""Export a unit's registry in the data contract: an .xlsx with two sheets, or a folder of CSVs."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from ..accounts.access import require_unit_read
from ..core.audit import audit
from ..core.errors import ServiceError
from ..geo.models import AdminUnit
from ..geo.selectors import communes_under
from ..registry.frames import contract_frames
from ..registry.selectors import households_visible_to


def _spread_extra(frame: pl.DataFrame) -> pl.DataFrame:
    """Extra columns kept at import come back out as columns of their own."""
    if "extra" not in frame.columns:
        return frame
    extras = [json.loads(e) if isinstance(e, str) else (e or {}) for e in frame.get_column("extra").to_list()]
    keys = sorted({k for e in extras for k in e})
    frame = frame.drop("extra")
    return frame.with_columns([pl.Series(k, [e.get(k) for e in extras], dtype=pl.String) for k in keys
                               if k not in frame.columns])


def unit_frames(actor, unit: AdminUnit) -> tuple[pl.DataFrame, pl.DataFrame]:
    require_unit_read(actor, unit)
    communes = communes_under(unit)
    households = households_visible_to(actor).filter(unit__in=communes)
    hh, members = contract_frames(households, with_extra=True)
    return _spread_extra(hh), _spread_extra(members)


def export_unit(*, actor, unit: AdminUnit, output: Path, reason: str = "") -> tuple[int, int]:
    """Write the unit's households and members; logged with who, what and why."""
    if not reason.strip():
        raise ServiceError("Cần nêu lý do xuất dữ liệu cá nhân (--reason)",
                           "a reason is required to export personal data (--reason)", field="reason")
    hh, members = unit_frames(actor, unit)
    if output.suffix.lower() == ".xlsx":
        output.parent.mkdir(parents=True, exist_ok=True)
        import xlsxwriter

        with xlsxwriter.Workbook(str(output)) as book:
            hh.write_excel(book, worksheet="households", autofit=True)
            members.write_excel(book, worksheet="members", autofit=True)
    else:
        output.mkdir(parents=True, exist_ok=True)
        hh.write_csv(output / "households.csv")
        members.write_csv(output / "members.csv")
    audit(actor, "registry.export", unit, output=str(output), reason=reason.strip(),
          households=hh.height, members=members.height)
    return hh.height, members.height
