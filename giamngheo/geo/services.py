"""Writes to administrative data: loading the official tables (villages: registry.services.villages)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from . import unit_tables
from .models import AdminUnit, UnitLevel, UnitSuccession

LEGACY_END = unit_tables.REFORM_DATE - dt.timedelta(days=1)


def _key(level: str, code: str, valid_from: dt.date | None) -> tuple[str, str, dt.date | None]:
    return (level, code, valid_from)


@transaction.atomic
def units_load() -> dict[str, int]:
    """Load (idempotently) the 63-province and 34-province tables and the 2025 mapping."""
    existing = {_key(u.level, u.code, u.valid_from): u for u in AdminUnit.objects.all()}
    created = 0

    def ensure(level: str, code: str, valid_from, valid_to, parent, **fields) -> AdminUnit:
        nonlocal created
        key = _key(level, code, valid_from)
        unit = existing.get(key)
        if unit is None:
            unit = AdminUnit(level=level, code=code, valid_from=valid_from, valid_to=valid_to, parent=parent, **fields)
            existing[key] = unit
            pending.append(unit)
            created += 1
        return unit

    pending: list[AdminUnit] = []

    def flush() -> None:
        for unit in pending:
            if unit.parent is not None and unit.parent.pk is None:
                raise RuntimeError("parent must be saved first")
        AdminUnit.objects.bulk_create(pending)
        pending.clear()

    legacy = unit_tables.legacy_units()
    new = unit_tables.new_units()
    # Provinces of both eras, then districts, then communes (parents saved before children).
    for row in legacy.unique("province_code").iter_rows(named=True):
        ensure(
            UnitLevel.PROVINCE,
            row["province_code"],
            None,
            LEGACY_END,
            None,
            name=row["province_name"],
            unit_type=row["province_name"].split(" ")[0],
            province_code=row["province_code"],
            lat=row["province_lat"],
            lon=row["province_lon"],
        )
    for row in new.unique("province_code").iter_rows(named=True):
        ensure(
            UnitLevel.PROVINCE,
            row["province_code"],
            unit_tables.REFORM_DATE,
            None,
            None,
            name=row["province_name"],
            unit_type=row["province_name"].split(" ")[0],
            province_code=row["province_code"],
            lat=row["province_lat"],
            lon=row["province_lon"],
        )
    flush()
    for row in unit_tables.legacy_districts().iter_rows(named=True):
        parent = existing[_key(UnitLevel.PROVINCE, row["province_code"], None)]
        ensure(
            UnitLevel.DISTRICT,
            row["district_code"],
            None,
            LEGACY_END,
            parent,
            name=row["district_name"],
            unit_type=row["district_type"] or "",
            province_code=row["province_code"],
            lat=row["district_lat"],
            lon=row["district_lon"],
        )
    flush()
    for row in legacy.iter_rows(named=True):
        parent = existing[_key(UnitLevel.DISTRICT, row["district_code"], None)]
        ensure(
            UnitLevel.COMMUNE,
            row["code"],
            None,
            LEGACY_END,
            parent,
            name=row["name"],
            unit_type=row["unit_type"] or "",
            province_code=row["province_code"],
            lat=row["lat"],
            lon=row["lon"],
        )
    for row in new.iter_rows(named=True):
        parent = existing[_key(UnitLevel.PROVINCE, row["province_code"], unit_tables.REFORM_DATE)]
        ensure(
            UnitLevel.COMMUNE,
            row["code"],
            unit_tables.REFORM_DATE,
            None,
            parent,
            name=row["name"],
            unit_type=row["unit_type"] or "",
            province_code=row["province_code"],
            lat=row["lat"],
            lon=row["lon"],
        )
    flush()

    old_ids = {u.code: u.pk for k, u in existing.items() if k[0] == UnitLevel.COMMUNE and k[2] is None}
    new_ids = {u.code: u.pk for k, u in existing.items() if k[0] == UnitLevel.COMMUNE and k[2] is not None}
    have = set(UnitSuccession.objects.values_list("old_id", "new_id"))
    links = [
        UnitSuccession(old_id=old_ids[o], new_id=new_ids[n], is_default=d, effective=unit_tables.REFORM_DATE)
        for o, n, d in unit_tables.succession().iter_rows()
        if (old_ids[o], new_ids[n]) not in have
    ]
    UnitSuccession.objects.bulk_create(links)
    return {"units_created": created, "successions_created": len(links)}
