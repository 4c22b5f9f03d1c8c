"""Registry rows as contract frames, so the engine can classify stored households.

The column names are the contract's, so this is a plain projection; unit codes and areas are
resolved from each household's unit (explicit area first).
"""

from __future__ import annotations

import polars as pl
from django.db.models import QuerySet

from ..standards.contract import HOUSEHOLD_COLUMNS, MEMBER_COLUMNS
from ..standards.reading import enum_of
from .models import Household, Member

HH_FIELDS = [c.name for c in HOUSEHOLD_COLUMNS if c.name not in ("household_id", "admin_code", "village", "area")]
MEMBER_FIELDS = [c.name for c in MEMBER_COLUMNS if c.name not in ("household_id",)]


def _blank_codes(frame: pl.DataFrame, columns) -> pl.DataFrame:
    """'' is Django's empty text; the contract's empty is null. Codes become the contract's Enums."""
    exprs = []
    for col in columns:
        if col.name in frame.columns and col.kind in ("code", "text") and frame.schema[col.name] == pl.String:
            expr = pl.when(pl.col(col.name) == "").then(None).otherwise(pl.col(col.name))
            exprs.append((expr.cast(enum_of(col)) if col.kind == "code" else expr).alias(col.name))
    return frame.with_columns(exprs)


def contract_frames(households: QuerySet[Household], with_extra: bool = False
                    ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(households, members) for the given households, active members only, in id order.

    `with_extra` is the exchange form: the area as stored (empty when it follows the unit), the
    address and the extra columns kept at import (as JSON). Otherwise the area is resolved.
    """
    more = ["address", "extra"] if with_extra else []
    rows = list(households.order_by("household_id").values(
        "household_id", "unit__code", "unit__unit_type", "village_name", "area", *HH_FIELDS, *more))
    hh = pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame(
        schema={"household_id": pl.String})
    if rows:
        unit_area = pl.when(pl.col("unit__unit_type").is_in(["Phường", "Thị trấn"])).then(pl.lit("urban")) \
            .otherwise(pl.lit("rural"))
        hh = hh.with_columns(
            pl.col("unit__code").alias("admin_code"), pl.col("village_name").alias("village"),
            pl.when(pl.col("area") != "").then(pl.col("area"))
            .otherwise(None if with_extra else unit_area).alias("area"),
            pl.col("floor_area_m2").cast(pl.Float64),
        ).drop("unit__code", "unit__unit_type", "village_name")
    members = list(Member.objects.filter(household__in=households, is_active=True)
                   .order_by("household__household_id", "member_id")
                   .values("household__household_id", *MEMBER_FIELDS, *(["extra"] if with_extra else [])))
    mem = pl.DataFrame(members, infer_schema_length=None).rename({"household__household_id": "household_id"}) \
        if members else pl.DataFrame(schema={"household_id": pl.String, "member_id": pl.String})
    return _blank_codes(hh, HOUSEHOLD_COLUMNS), _blank_codes(mem, MEMBER_COLUMNS)
