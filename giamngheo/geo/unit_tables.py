"""The official unit tables shipped inside `vietnamadminunits` (MIT), read directly.

Only the package's SQLite tables and JSON mapping are used, never its online address
conversion. No Django here, so the CLI's classify can tell rural from urban without a database.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sqlite3
from functools import cache
from pathlib import Path

import polars as pl

REFORM_DATE = dt.date(2025, 7, 1)  # two-level local government (Resolution 202/2025/QH15)
URBAN_TYPES = frozenset({"Phường", "Thị trấn"})  # xã and đặc khu are rural (đặc khu: unverified)


def _package_dir() -> Path:
    """Found, not imported: importing the package compiles its address parsers (~1.5 s a CLI run)."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("vietnamadminunits")
    return Path(spec.origin).parent / "data"


def _query(sql: str) -> pl.DataFrame:
    with sqlite3.connect(_package_dir() / "dataset.db") as conn:
        cursor = conn.execute(sql)
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)


def area_of_type(unit_type: str | None) -> str | None:
    if unit_type is None:
        return None
    return "urban" if unit_type in URBAN_TYPES else "rural"


@cache
def new_units() -> pl.DataFrame:
    """34 provinces and 3,321 communes, wards and special zones valid from 1 July 2025."""
    return _query(
        "SELECT DISTINCT provinceCode AS province_code, province AS province_name, "
        "provinceLat AS province_lat, provinceLon AS province_lon, provinceKey AS province_key, "
        "wardCode AS code, ward AS name, wardType AS unit_type, wardLat AS lat, wardLon AS lon, "
        "wardKey AS ward_key FROM admin_units ORDER BY wardCode"
    )


@cache
def legacy_units() -> pl.DataFrame:
    """63 provinces, their districts and communes, valid before 1 July 2025."""
    return _query(
        "SELECT DISTINCT provinceCode AS province_code, province AS province_name, "
        "provinceLat AS province_lat, provinceLon AS province_lon, provinceKey AS province_key, "
        "districtCode AS district_code, district AS district_name, districtType AS district_type, "
        "districtLat AS district_lat, districtLon AS district_lon, districtKey AS district_key, "
        "wardCode AS code, ward AS name, wardType AS unit_type, wardLat AS lat, wardLon AS lon, "
        "wardKey AS ward_key FROM admin_units_legacy WHERE wardCode IS NOT NULL ORDER BY wardCode"
    )


@cache
def legacy_districts() -> pl.DataFrame:
    """The 696 district-level units before 1 July 2025, island districts without communes included."""
    return _query(
        "SELECT DISTINCT provinceCode AS province_code, districtCode AS district_code, district AS district_name, "
        "districtType AS district_type, districtLat AS district_lat, districtLon AS district_lon "
        "FROM admin_units_legacy ORDER BY districtCode"
    )


@cache
def succession() -> pl.DataFrame:
    """Old commune code -> new commune code; `is_default` marks the main successor of a split."""
    with (_package_dir() / "converter_2025.json").open(encoding="utf-8") as handle:
        data = json.load(handle)
    old = legacy_units().select(
        (pl.col("province_key") + "_" + pl.col("district_key") + "_" + pl.col("ward_key")).alias("old_key"),
        pl.col("code").alias("old_code"),
    )
    new = new_units().select(
        (pl.col("province_key") + "|" + pl.col("ward_key")).alias("new_key"), pl.col("code").alias("new_code")
    )
    rows: list[tuple[str, str, bool]] = []
    for province, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_keys in wards.items():
            rows.extend((old_key, f"{province}|{new_ward}", True) for old_key in old_keys)
    for province, splits in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in splits.items():
            rows.extend((old_key, f"{province}|{t['newWardKey']}", bool(t["isDefaultNewWard"])) for t in targets)
    pairs = pl.DataFrame(rows, schema=["old_key", "new_key", "is_default"], orient="row")
    joined = pairs.join(old, on="old_key", how="inner").join(new, on="new_key", how="inner")
    return joined.select("old_code", "new_code", "is_default").unique().sort("old_code", "new_code")


def area_of_unit_type(unit_type: pl.Expr) -> pl.Expr:
    """ "urban" for phường and thị trấn, "rural" for every other unit type (xã, đặc khu: unverified)."""
    return pl.when(unit_type.is_in(list(URBAN_TYPES))).then(pl.lit("urban")).otherwise(pl.lit("rural"))


def unit_areas(as_of: dt.date) -> pl.DataFrame:
    """admin_code -> rural/urban for a reference date; codes of the other era are a fallback."""
    current, other = (new_units(), legacy_units()) if as_of >= REFORM_DATE else (legacy_units(), new_units())
    both = pl.concat([current.select("code", "unit_type"), other.select("code", "unit_type")])
    return both.unique("code", keep="first", maintain_order=True).select(
        pl.col("code").alias("admin_code"),
        pl.when(pl.col("unit_type").is_in(list(URBAN_TYPES)))
        .then(pl.lit("urban"))
        .when(pl.col("unit_type").is_not_null())
        .then(pl.lit("rural"))
        .alias("area"),
    )
