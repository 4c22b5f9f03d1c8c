"""Read query results straight into Polars: ADBC (Arrow) on PostgreSQL, else the cursor.

ADBC opens its own connection, so it sees committed rows only. Callers say whether that is
enough (`committed_only_ok`); inside a caller's transaction with pending writes the Django cursor
is used instead. Same result either way.

Never on SQLite: the ADBC driver carries its own copy of the SQLite library, and two copies in one
process break each other's file locks. Closing the ADBC connection removed the WAL files under
the web server's open connection ("disk I/O error" on the next query, seen 22/11/2026).
"""

from __future__ import annotations

import json
from urllib.parse import quote

import polars as pl
from django.db import connection


def _adbc_connection():
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        import adbc_driver_postgresql.dbapi

        user = quote(settings.get("USER") or "")
        password = f":{quote(settings['PASSWORD'])}" if settings.get("PASSWORD") else ""
        host = settings.get("HOST") or "localhost"
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        return adbc_driver_postgresql.dbapi.connect(f"postgresql://{user}{password}@{host}{port}/{settings['NAME']}")
    return None


def read_frame(sql: str, columns: list[str], *, committed_only_ok: bool) -> pl.DataFrame:
    """Run a parameterless SELECT listing `columns` and return it as a DataFrame (text/ints as stored)."""
    adbc = _adbc_connection() if committed_only_ok else None
    if adbc is not None:
        with adbc, adbc.cursor() as cursor:
            cursor.execute(sql)
            table = cursor.fetch_arrow_table()
        return pl.from_arrow(table.rename_columns(columns))  # by position: unnamed aggregates may repeat names
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    if not rows:
        return pl.DataFrame(schema={c: pl.String for c in columns})
    frame = pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)
    dict_columns = [c for c, t in frame.schema.items() if t == pl.Object or isinstance(t, pl.Struct)]
    return frame.with_columns([
        pl.col(c).map_elements(lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True), return_dtype=pl.String)
        for c in dict_columns
    ])
