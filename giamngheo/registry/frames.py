"""Registry rows as contract frames, so the engine can classify stored households.

The column names are the contract's, so this is a plain projection; unit codes and areas are
resolved from each household's unit (explicit area first).
"""

from __future__ import annotations

import polars as pl
from django.db import connection
from django.db.models import QuerySet

from ..geo.unit_tables import area_of_unit_type
from ..standards.contract import HOUSEHOLD_COLUMNS, MEMBER_COLUMNS
from ..standards.reading import enum_of
from .models import Household, Member

HH_FIELDS = [c.name for c in HOUSEHOLD_COLUMNS if c.name not in ("household_id", "admin_code", "village", "area")]
MEMBER_FIELDS = [c.name for c in MEMBER_COLUMNS if c.name not in ("household_id",)]


def head_rows(members: pl.DataFrame, key: str = "household_id") -> pl.DataFrame:
    """Each household's head from a members frame: the active member marked head with the lowest member
    id, the rule of `selectors.heads` (one place decides when data from before the one-head check has two)."""
    heads = members.filter(pl.col("relation_to_head").cast(pl.String) == "head")
    return heads.sort(key, "member_id").unique(key, keep="first", maintain_order=True)


def head_join_sql(member: str = "m", alias: str = "hd") -> str:
    """A join giving `alias.head_id`, each household's head by the same rule, for a query over
    `member` (an alias of registry_member): one grouped pass, not a subquery a member row."""
    return (
        f"LEFT JOIN (SELECT household_id, MIN(member_id) AS head_id FROM registry_member "
        f"WHERE is_active AND relation_to_head = 'head' GROUP BY household_id) {alias} "
        f"ON {alias}.household_id = {member}.household_id"
    )


def _blank_codes(frame: pl.DataFrame, columns) -> pl.DataFrame:
    """'' is Django's empty text; the contract's empty is null. Codes become the contract's Enums."""
    exprs = []
    for col in columns:
        if col.name in frame.columns and col.kind in ("code", "text") and frame.schema[col.name] == pl.String:
            expr = pl.when(pl.col(col.name) == "").then(None).otherwise(pl.col(col.name))
            exprs.append((expr.cast(enum_of(col)) if col.kind == "code" else expr).alias(col.name))
    return frame.with_columns(exprs)


def contract_frames(households: QuerySet[Household], with_extra: bool = False) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(households, members) for the given households, active members only, in id order.

    `with_extra` is the exchange form: the area as stored (empty when it follows the unit), the
    address and the extra columns kept at import (as JSON). Otherwise the area is resolved.
    """
    more = ["address", "extra"] if with_extra else []
    rows = list(
        households.order_by("household_id").values(
            "household_id", "unit__code", "unit__unit_type", "village_name", "area", *HH_FIELDS, *more
        )
    )
    hh = pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame(schema={"household_id": pl.String})
    if rows:
        unit_area = area_of_unit_type(pl.col("unit__unit_type"))
        hh = hh.with_columns(
            pl.col("unit__code").alias("admin_code"),
            pl.col("village_name").alias("village"),
            pl.when(pl.col("area") != "")
            .then(pl.col("area"))
            .otherwise(None if with_extra else unit_area)
            .alias("area"),
            pl.col("floor_area_m2").cast(pl.Float64),
        ).drop("unit__code", "unit__unit_type", "village_name")
    members = list(
        Member.objects.filter(household__in=households, is_active=True)
        .order_by("household__household_id", "member_id")
        .values("household__household_id", *MEMBER_FIELDS, *(["extra"] if with_extra else []))
    )
    mem = (
        pl.DataFrame(members, infer_schema_length=None).rename({"household__household_id": "household_id"})
        if members
        else pl.DataFrame(schema={"household_id": pl.String, "member_id": pl.String})
    )
    return _blank_codes(hh, HOUSEHOLD_COLUMNS), _blank_codes(mem, MEMBER_COLUMNS)


def _typed(frame: pl.DataFrame, columns) -> pl.DataFrame:
    """Stored values in the contract's types: SQLite gives dates as text and booleans as integers."""
    kinds = {c.name: c for c in columns}
    exprs = []
    for name in frame.columns:
        col = kinds.get(name)
        if col is None:
            continue
        if col.kind == "bool":
            exprs.append(pl.col(name).cast(pl.Boolean))
        elif col.kind == "date":
            exprs.append(pl.col(name).cast(pl.String).str.slice(0, 10).str.to_date(strict=False))
        elif col.kind == "int":
            exprs.append(pl.col(name).cast(pl.Int64))
        elif col.kind == "decimal":
            exprs.append(pl.col(name).cast(pl.Float64))
        elif col.kind in ("code", "text"):
            exprs.append(pl.col(name).cast(pl.String))
    return _blank_codes(frame.with_columns(exprs), columns)


def commune_frames(unit_ids: list[int], *, replica_ok: bool = False) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(households, members) of whole communes in one bulk read each, for the engine (what-if, statistics;
    the reports may read them from a replica, `core.bulk_read`).

    Same shape as `contract_frames` without `with_extra`, plus `household_pk` and `unit_id`, minus the
    members' names and national ids (the engine does not read them). Read with Arrow when the rows are
    committed (PostgreSQL), households and members at once.
    """
    from ..core.bulk_read import read_frames

    ids = ",".join(str(int(i)) for i in unit_ids) or "NULL"
    fast = not connection.in_atomic_block
    hh_cols = [c for c in HH_FIELDS if c != "floor_area_m2"]
    hh_query = (
        f"SELECT h.id, h.unit_id, h.household_id, u.code, u.unit_type, h.village_name, h.area, "
        f"CAST(h.floor_area_m2 AS DOUBLE PRECISION), {', '.join('h.' + c for c in hh_cols)} "
        f"FROM registry_household h JOIN geo_adminunit u ON u.id = h.unit_id "
        f"WHERE h.is_active AND h.unit_id IN ({ids})",
        [
            "household_pk",
            "unit_id",
            "household_id",
            "admin_code",
            "unit_type",
            "village",
            "area",
            "floor_area_m2",
            *hh_cols,
        ],
    )
    member_fields = [c for c in MEMBER_FIELDS if c not in ("full_name", "national_id")]
    mem_query = (
        f"SELECT h.household_id, {', '.join('m.' + c for c in member_fields)} FROM registry_member m "
        f"JOIN registry_household h ON h.id = m.household_id "
        f"WHERE m.is_active AND h.is_active AND h.unit_id IN ({ids})",
        ["household_id", *member_fields],
    )
    # a province (more than 20 communes) pays for the SQLite Arrow child's start-up; a commune does not
    hh, mem = read_frames(
        [hh_query, mem_query], committed_only_ok=fast, large=len(unit_ids) > 20, replica_ok=replica_ok
    )
    hh = hh.with_columns(
        pl.col("household_pk", "unit_id").cast(pl.Int64),
        pl.when(pl.col("area").cast(pl.String).fill_null("") != "")
        .then(pl.col("area").cast(pl.String))
        .otherwise(area_of_unit_type(pl.col("unit_type")))
        .alias("area"),
    ).drop("unit_type")
    # sorted here, not by the database: Polars sorts a province in milliseconds, PostgreSQL took seconds
    return (
        _typed(hh, HOUSEHOLD_COLUMNS).sort("household_id"),
        _typed(mem, MEMBER_COLUMNS).sort("household_id", "member_id"),
    )


MEMBER_FACT_COLUMNS = {
    "member_pk": pl.Int64,
    "household_pk": pl.Int64,
    "member_id": pl.String,
    "national_id": pl.String,
    "birth_date": pl.String,
    "birth_year": pl.Int64,
    "sex": pl.String,
    "in_school": pl.Boolean,
    "disability": pl.String,
}


def member_facts(household_pks: list[int] | None = None, *, unit_ids: list[int] | None = None) -> pl.DataFrame:
    """The active members of `household_pks` (or of every household of the communes `unit_ids`) with
    the facts a policy's member conditions read (ids as text, `birth_date` a date): one bulk read."""
    from ..core.bulk_read import read_frame

    sql, columns, large = member_facts_query(household_pks, unit_ids=unit_ids)
    frame = read_frame(sql, columns, committed_only_ok=not connection.in_atomic_block, large=large)
    return member_facts_frame(frame)


def member_facts_query(
    household_pks: list[int] | None = None, *, unit_ids: list[int] | None = None
) -> tuple[str, dict, bool]:
    """(SQL, columns, large) of `member_facts`, for a reader that reads it with others; then `member_facts_frame`."""
    where, large = _households_where(household_pks, unit_ids, "h")
    sql = (
        "SELECT m.id, m.household_id, m.member_id, m.national_id, CAST(m.birth_date AS TEXT), m.birth_year, "
        "m.sex, m.in_school, m.disability FROM registry_member m JOIN registry_household h ON h.id = m.household_id "
        f"WHERE m.is_active AND {where}"
    )
    return sql, MEMBER_FACT_COLUMNS, large


def member_facts_frame(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col("birth_date").str.slice(0, 10).str.to_date(strict=False)).sort("member_pk")


def _households_where(household_pks: list[int] | None, unit_ids: list[int] | None, alias: str) -> tuple[str, bool]:
    """The SQL condition for "these households" or "the households of these communes", and whether
    the read is large (a child process on SQLite pays off)."""
    if unit_ids is not None:
        return f"{alias}.unit_id IN ({','.join(str(int(i)) for i in unit_ids) or 'NULL'})", len(unit_ids) > 20
    pks = household_pks or []
    return f"{alias}.id IN ({','.join(str(int(i)) for i in pks) or 'NULL'})", len(pks) > 5000


def household_codes(household_pks: list[int] | None = None, *, unit_ids: list[int] | None = None) -> pl.DataFrame:
    """household_pk, household_id (text) and area (the household's own, else its commune's type's) of
    `household_pks` (or of every household of the communes `unit_ids`), active or not: a list for a
    past date names households since dissolved."""
    from ..core.bulk_read import read_frame

    sql, columns, large = household_codes_query(household_pks, unit_ids=unit_ids)
    frame = read_frame(sql, columns, committed_only_ok=not connection.in_atomic_block, large=large)
    return household_codes_frame(frame)


def household_codes_query(
    household_pks: list[int] | None = None, *, unit_ids: list[int] | None = None
) -> tuple[str, dict, bool]:
    """(SQL, columns, large) of `household_codes`; then `household_codes_frame`."""
    where, large = _households_where(household_pks, unit_ids, "h")
    sql = (
        "SELECT h.id, h.household_id, h.area, u.unit_type FROM registry_household h "
        f"JOIN geo_adminunit u ON u.id = h.unit_id WHERE {where}"
    )
    columns = {"household_pk": pl.Int64, "household_id": pl.String, "area": pl.String, "unit_type": pl.String}
    return sql, columns, large


def household_codes_frame(frame: pl.DataFrame) -> pl.DataFrame:
    by_type = area_of_unit_type(pl.col("unit_type"))
    area = pl.when(pl.col("area").fill_null("") != "").then(pl.col("area")).otherwise(by_type)
    return frame.with_columns(area.alias("area")).drop("unit_type")
