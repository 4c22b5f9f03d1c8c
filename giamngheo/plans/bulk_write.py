"""Rows of a frame into a model's table and its history table, without the ORM row by row.

COPY on PostgreSQL, executemany on SQLite (as `registry/bulk.py` writes the register); the history rows
are copied by one INSERT … SELECT of the rows just written (ids above the table's largest before the
write, the table locked against other writers on PostgreSQL), as django-simple-history writes them on
save: history type "+", the actor as history user. Callers run inside a transaction.
"""

from __future__ import annotations

import polars as pl
from django.db import connection

from ..core import clock

CHUNK = 5_000


def _quoted(columns) -> str:
    return ", ".join(connection.ops.quote_name(c) for c in columns)


def max_id(model) -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    if connection.vendor == "postgresql":  # no other writer until this transaction ends
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return int(cursor.fetchone()[0])


def insert_with_history(model, frame: pl.DataFrame, *, actor_id: int | None, reason: str) -> int:
    """Insert every row of `frame` (columns named as the table's) and a history row for each; returns the
    largest id before the insert, so the caller reads the new rows' ids as those above it."""
    before = max_id(model)
    if frame.is_empty():
        return before
    table = connection.ops.quote_name(model._meta.db_table)
    columns = _quoted(frame.columns)
    if connection.vendor == "postgresql":
        data = frame.write_csv(include_header=False, quote_style="non_numeric", null_value="")
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy,
        ):
            copy.write(data)
    else:
        frame = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['?'] * frame.width)})"
        raw = connection.connection
        for start in range(0, frame.height, CHUNK):
            raw.executemany(sql, frame.slice(start, CHUNK).rows())
    history = model.history.model
    own = _quoted(f.column for f in history._meta.concrete_fields if not f.column.startswith("history_"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(history._meta.db_table)} "
            f"({own}, history_date, history_change_reason, history_type, history_user_id) "
            f"SELECT {own}, %s, %s, %s, %s FROM {table} WHERE id > %s",
            [clock.now(), reason, "+", actor_id, before],
        )
    return before


def ids_after(model, before: int, key: str) -> pl.DataFrame:
    """id and `key` of the rows above `before` (those `insert_with_history` just wrote)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {connection.ops.quote_name(key)} FROM {table} WHERE id > %s", [before])
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema={"id": pl.Int64, key: pl.Int64}, orient="row")


__all__ = ["ids_after", "insert_with_history", "max_id"]
