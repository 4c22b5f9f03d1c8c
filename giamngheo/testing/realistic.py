"""Realistic test data: a commune of 3,000 households in 8 villages, and database ids past 1,000.

The defects that reached users (a one-household import deactivating a commune, village-meeting
votes recorded as 0 once ids passed 999) hid behind factories of 2 households with id 1. Tests
that touch the review, imports or reports use this commune; every test database starts its ids
high and at a different offset per table, so an id rendered as "1.001" or a pk of one table used
for another shows.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import polars as pl

COMMUNE = "03880"  # a rural commune of Sơn La (Xã Tạ Khoa since 1 July 2025)
VILLAGES = (
    "Bản Nà Sản",
    "Bản Pá Khôm",
    "Bản Tà Làng",
    "Bản Hua Păng",
    "Bản Suối Lìn",
    "Bản Co Mạ",
    "Bản Ít Ong",
    "Bản Đông Xuông",
)
ID_BASE = 1_000
ID_STRIDE = 7_919  # a prime: tables' ids never line up with each other


def bump_database_ids() -> None:
    """Start every table's integer ids past 1,000, each at its own offset (committed, kept all session)."""
    from django.apps import apps
    from django.db import connection, models

    tables = sorted(
        {
            m._meta.db_table
            for m in apps.get_models()
            if isinstance(m._meta.pk, models.AutoField | models.BigAutoField) and m._meta.managed
        }
    )
    with connection.cursor() as cursor:
        for i, table in enumerate(tables):
            start = ID_BASE + i * ID_STRIDE
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'GREATEST({start}, (SELECT COALESCE(MAX(id), 0) FROM "{table}")))'
                )
            else:
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                if row is None:
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start])
                elif row[0] < start:
                    cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [start, table])


@functools.cache
def commune_frames(households: int = 3_000, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(households, members) of one rural commune in the data contract, in 8 villages."""
    from giamngheo.synth.population import synthesize

    hh, mem = synthesize(province="14", households=households, seed=seed)
    new_ids = pl.DataFrame(
        {
            "household_id": hh.get_column("household_id"),
            "new_id": [f"{COMMUNE}{i:06d}" for i in range(1, hh.height + 1)],
        }
    )
    village = pl.Series("village", [VILLAGES[i % len(VILLAGES)] for i in range(hh.height)])
    hh = (
        hh.join(new_ids, on="household_id", how="left", maintain_order="left")
        .with_columns(
            pl.col("new_id").alias("household_id"),
            pl.lit(COMMUNE).alias("admin_code"),
            village,
            pl.lit("rural").cast(hh.schema["area"]).alias("area"),
        )
        .drop("new_id")
    )
    mem = (
        mem.join(new_ids, on="household_id", how="left")
        .with_columns(
            (pl.col("new_id") + pl.col("member_id").str.slice(11)).alias("member_id"),
            pl.col("new_id").alias("household_id"),
        )
        .drop("new_id")
        .sort("member_id")
    )
    return hh, mem


@dataclass
class RealisticCommune:
    commune: object  # geo.AdminUnit
    households: pl.DataFrame
    members: pl.DataFrame
    villages: tuple[str, ...] = VILLAGES


def load_commune(actor, households: int = 3_000) -> RealisticCommune:
    """Load the commune into the registry through the bulk loader (as an import would)."""
    from giamngheo.geo.selectors import unit_by_code
    from giamngheo.registry.bulk import load_frames

    hh, mem = commune_frames(households)
    load_frames(hh, mem, actor=actor)
    return RealisticCommune(commune=unit_by_code(COMMUNE), households=hh, members=mem)
