"""A first bulk load into empty tables builds their secondary indexes once, after the rows.

Updating an index row by row costs a random B-tree write per row per index (the member table and
its history carry five and six); sorting the finished table once per index is several times
cheaper. Only tables that are empty when the load starts are touched, and only inside the load's
transaction: the indexes are dropped and created again before commit, so a failed load rolls the
drop back with the rows (SQLite and PostgreSQL both have transactional DDL) and a committed one
always has every index. A unique index the new rows break fails at its creation with the same
IntegrityError an insert would raise. Primary keys and unique constraints (`unique=True`) stay.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


def _is_empty(cursor, table: str) -> bool:
    cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608 (our table names)
    return cursor.fetchone() is None


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the table's indexes that no primary key or unique constraint owns."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # autoindexes (sql NULL) back PRIMARY KEY and UNIQUE
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL "
                "ORDER BY name",
                [table],
            )
        else:
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                "JOIN pg_class c ON c.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) ORDER BY c.relname",
                [table],
            )
        return list(cursor.fetchall())


@contextmanager
def indexes_after_rows(tables: list[str]) -> Iterator[list[str]]:
    """Inside an open transaction: drop the secondary indexes of those `tables` that are empty,
    run the body, create them again. Yields the tables so treated (empty list: nothing changed)."""
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_after_rows needs the load's transaction")
    saved: list[str] = []
    treated: list[str] = []
    with connection.cursor() as cursor:
        for table in tables:
            if not _is_empty(cursor, table):
                continue
            treated.append(table)
            for name, sql in secondary_indexes(table):
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                saved.append(sql)
    yield treated  # an exception propagates: the transaction's rollback brings the indexes back
    if not saved:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # no index on a table with pending (deferred) FK checks
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # runs them now, as commit would
        for sql in saved:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys: INITIALLY DEFERRED
