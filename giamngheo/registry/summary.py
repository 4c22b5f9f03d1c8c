"""The household summary rows' registry part: unit, area, size, head's sex and ethnicity.

`summary_refresh` is called by every registry write (the services and the bulk loader) in its own
transaction, so the rows never lag the registry. It is one set-based statement a chunk of
households (INSERT … SELECT … ON CONFLICT, the same on SQLite and PostgreSQL): a first load of a
province refreshes 400,000 rows without reading a member into Python. The head is the rule of
`frames.head_rows`: the active member marked head with the lowest member id. The status part
(latest recognised status, its round and classification) is review's:
`review.statuses.summary_refresh`, which calls this one first.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from ..geo.unit_tables import URBAN_TYPES

CHUNK = 2_000
REGISTRY_COLUMNS = ("unit_id", "is_active", "area", "size", "meritorious", "head_sex", "head_ethnicity")


def _ids(values: Iterable[int]) -> str:
    return ",".join(str(int(v)) for v in values) or "NULL"


def _quoted(values: Iterable[str]) -> str:
    return ",".join("'" + v.replace("'", "''") + "'" for v in sorted(values))


def _area_sql() -> str:
    """The household's area, else its unit's (`geo.unit_tables.area_of_unit_type`'s rule in SQL)."""
    return (
        f"CASE WHEN h.area <> '' THEN h.area WHEN u.unit_type IN ({_quoted(URBAN_TYPES)}) THEN 'urban' ELSE 'rural' END"
    )


def _refresh_sql(where: str) -> str:
    members = (
        "SELECT m.household_id, COUNT(*) AS size, "
        "SUM(CASE WHEN m.meritorious_service THEN 1 ELSE 0 END) AS meritorious, "
        "MIN(CASE WHEN m.relation_to_head = 'head' THEN m.member_id END) AS head_id "
        f"FROM registry_member m WHERE m.is_active AND m.household_id IN ({where}) GROUP BY m.household_id"
    )
    updates = ", ".join(f"{c} = excluded.{c}" for c in REGISTRY_COLUMNS)
    return (
        f"INSERT INTO registry_householdsummary (household_id, {', '.join(REGISTRY_COLUMNS)}) "
        f"SELECT h.id, h.unit_id, h.is_active, {_area_sql()}, "
        "CASE WHEN h.is_active THEN COALESCE(a.size, 0) ELSE 0 END, "
        "CASE WHEN h.is_active THEN COALESCE(a.meritorious, 0) ELSE 0 END, hm.sex, hm.ethnicity "
        "FROM registry_household h JOIN geo_adminunit u ON u.id = h.unit_id "
        f"LEFT JOIN ({members}) a ON a.household_id = h.id "
        "LEFT JOIN registry_member hm ON hm.member_id = a.head_id "
        f"WHERE h.id IN ({where}) "
        f"ON CONFLICT (household_id) DO UPDATE SET {updates}"
    )


def summary_refresh(household_pks: Iterable[int]) -> None:
    """Recompute the registry part of these households' summary rows (created when missing).
    Call it inside the write's transaction, after the write."""
    pks = sorted({int(pk) for pk in household_pks})
    with connection.cursor() as cursor:
        for start in range(0, len(pks), CHUNK):
            cursor.execute(_refresh_sql(_ids(pks[start : start + CHUNK])))


def summary_refresh_units(unit_ids: Iterable[int]) -> None:
    """The same for every household registered in these units (a bulk load, a rebuild)."""
    ids = _ids(unit_ids)
    with connection.cursor() as cursor:
        cursor.execute(_refresh_sql(f"SELECT id FROM registry_household WHERE unit_id IN ({ids})"))
