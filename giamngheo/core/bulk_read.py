"""Read query results straight into Polars: ADBC (Arrow) when it can see the data, else the cursor.

ADBC opens its own connection, so it sees committed rows only. Callers say whether that is
enough (`committed_only_ok`); inside a caller's transaction with pending writes, or on an
in-memory SQLite test database, the Django cursor is used instead. Same result either way.

On SQLite the ADBC read runs in a child process. The driver carries its own copy of the SQLite
library, and two copies in one process break each other's file locks: closing an in-process ADBC
connection removed the WAL files under the web server's own connection ("disk I/O error" on the
next query, seen 22/11/2026). Separate processes are SQLite's normal, safe case; the child sends
the table back as an Arrow stream.

Under load the child meets the web server's own connections: a writer's commit, a checkpoint, or the
last connection closing (CONN_MAX_AGE=0 closes one per request) briefly hold locks a new reader must
wait for. The child waits like the server's connections do (busy_timeout) and a read that still
finds the database busy is tried again (one of 8 concurrent PDF downloads answered 500 before).

Types: the SQLite driver gives an empty or all-NULL column as int64 whatever it holds, and the
cursor gives an empty result as text. A caller may name each column's type (`columns` as a dict);
otherwise an all-NULL column is text on every path, so no report sees "compare string with number"
just because nothing is recorded yet.

Replica: a caller that can live with a read replica's lag (the reports: a province's figures of a
few seconds ago) says `replica_ok=True`; its committed-only reads then go to the database alias
`replica` when the deployment has one (DATABASE_REPLICA_URL), keeping that load off the primary.
Nothing that decides a write (id checks, the register read before a decision) may say so.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from urllib.parse import quote

import polars as pl
from django.db import DEFAULT_DB_ALIAS, connection, connections

REPLICA = "replica"

SQLITE_CHILD = """
import json
import struct
import sys
import adbc_driver_sqlite.dbapi as dbapi
import pyarrow as pa
import pyarrow.ipc as ipc
out = sys.stdout.buffer
with dbapi.connect(sys.argv[1]) as conn, conn.cursor() as cursor:
    cursor.execute("PRAGMA busy_timeout = %d" % int(sys.argv[2]))
    cursor.fetchall()
    # one batch: the driver types each column from its first batch, and a text column whose first
    # 1,024 rows are NULL was typed int64 and failed at its first text ("Type mismatch in column")
    cursor.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": "1000000000"})
    for sql in json.loads(sys.stdin.read()):
        cursor.execute(sql)
        table = cursor.fetch_arrow_table()
        sink = pa.BufferOutputStream()
        with ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        data = sink.getvalue()
        out.write(struct.pack("<Q", data.size))
        out.write(data)
"""


BUSY_TIMEOUT_MS = 10_000  # as the server's own connections (config/settings.py)
BUSY_RETRIES = 5
BUSY_WORDS = ("database is locked", "database is busy", "SQLITE_BUSY", "SQLITE_LOCKED")


def sqlite_arrow(path: str, sql: str, *, retries: int = BUSY_RETRIES):
    """The query's rows as an Arrow table, read by ADBC in a child process (see the module's note)."""
    return sqlite_arrows(path, [sql], retries=retries)[0]


def sqlite_arrows(path: str, queries: list[str], *, retries: int = BUSY_RETRIES) -> list:
    """Each query's rows as an Arrow table, all read by one child process: starting one costs about
    0.3 s (more on a busy machine), so a reader of several tables (eligibility: statuses, households,
    members) pays it once.

    A child that finds the database locked or busy (after waiting `BUSY_TIMEOUT_MS`) is started
    again, up to `retries` times with a growing pause; any other failure is raised at once.
    """
    import struct

    import pyarrow.ipc

    for attempt in range(retries + 1):
        child = subprocess.run(
            [sys.executable, "-c", SQLITE_CHILD, path, str(BUSY_TIMEOUT_MS)],  # noqa: S603
            input=json.dumps(queries).encode(),
            capture_output=True,
            check=False,
        )
        if not child.returncode:
            tables, at, data = [], 0, child.stdout
            for _ in queries:
                (size,) = struct.unpack_from("<Q", data, at)
                tables.append(pyarrow.ipc.open_stream(data[at + 8 : at + 8 + size]).read_all())
                at += 8 + size
            return tables
        message = child.stderr.decode(errors="replace")[-2000:]
        if attempt == retries or not any(word.lower() in message.lower() for word in BUSY_WORDS):
            raise RuntimeError(f"SQLite read failed: {message}")
        time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def reading_connection(*, committed_only_ok: bool, replica_ok: bool):
    """The replica for a read that may lag and sees committed rows only, when one is configured;
    otherwise the request's own connection."""
    if replica_ok and committed_only_ok and REPLICA in connections.settings:
        return connections[REPLICA]
    return connections[DEFAULT_DB_ALIAS]


def _sqlite_file(db=connection) -> str | None:
    name = str(db.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name or db.is_in_memory_db():
        return None
    return name


def _adbc_connection(db=connection):
    settings = db.settings_dict
    if db.vendor == "postgresql":
        import adbc_driver_postgresql.dbapi

        user = quote(settings.get("USER") or "")
        password = f":{quote(settings['PASSWORD'])}" if settings.get("PASSWORD") else ""
        host = settings.get("HOST") or "localhost"
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        return adbc_driver_postgresql.dbapi.connect(f"postgresql://{user}{password}@{host}{port}/{settings['NAME']}")
    return None


Columns = Sequence[str] | Mapping[str, pl.DataType | type[pl.DataType]]


def conform(frame: pl.DataFrame, columns: Columns) -> pl.DataFrame:
    """The same types whichever path read `frame`: the named types, else text for an all-NULL column."""
    if isinstance(columns, Mapping):
        return frame.with_columns(pl.col(c).cast(t) for c, t in columns.items() if frame.schema[c] != t)
    blank = [c for c in frame.columns if frame.get_column(c).null_count() == frame.height]
    return frame.with_columns(pl.col(c).cast(pl.String) for c in blank) if blank else frame


def read_frame(
    sql: str, columns: Columns, *, committed_only_ok: bool, large: bool = True, replica_ok: bool = False
) -> pl.DataFrame:
    """Run a parameterless SELECT listing `columns` and return it as a DataFrame (text/ints as stored,
    or the types `columns` names).

    `large=False` keeps a small SQLite read (a commune's page) on the cursor: starting the child costs
    about 0.3 s, more than the read. `replica_ok`: see the module's note.
    """
    db = reading_connection(committed_only_ok=committed_only_ok, replica_ok=replica_ok)
    return conform(_read_frame(sql, list(columns), db, committed_only_ok=committed_only_ok, large=large), columns)


def _read_frame(sql: str, columns: list[str], db, *, committed_only_ok: bool, large: bool) -> pl.DataFrame:
    if committed_only_ok and large and db.vendor == "sqlite" and (path := _sqlite_file(db)):
        return pl.from_arrow(sqlite_arrow(path, sql).rename_columns(columns))
    adbc = _adbc_connection(db) if committed_only_ok else None
    if adbc is not None:
        with adbc, adbc.cursor() as cursor:
            cursor.execute(sql)
            table = cursor.fetch_arrow_table()
        return pl.from_arrow(table.rename_columns(columns))  # by position: unnamed aggregates may repeat names
    with db.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    if not rows:
        return pl.DataFrame(schema={c: pl.String for c in columns})
    frame = pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)
    dict_columns = [c for c, t in frame.schema.items() if t == pl.Object or isinstance(t, pl.Struct)]
    return frame.with_columns(
        [
            pl.col(c).map_elements(lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True), return_dtype=pl.String)
            for c in dict_columns
        ]
    )


def read_frames(
    queries: list[tuple[str, Columns]], *, committed_only_ok: bool, large: bool = True, replica_ok: bool = False
) -> list[pl.DataFrame]:
    """Several `read_frame`s: at once on PostgreSQL (each on its own Arrow connection, each its own
    backend), in one child process on SQLite (`sqlite_arrows`), one after the other elsewhere."""
    db = reading_connection(committed_only_ok=committed_only_ok, replica_ok=replica_ok)
    if db.vendor == "postgresql" and committed_only_ok and len(queries) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(len(queries)) as pool:
            return list(pool.map(lambda q: read_frame(*q, committed_only_ok=True, replica_ok=replica_ok), queries))
    if committed_only_ok and large and db.vendor == "sqlite" and (path := _sqlite_file(db)) and queries:
        tables = sqlite_arrows(path, [sql for sql, _ in queries])  # one child for all of them
        return [
            conform(pl.from_arrow(t.rename_columns(list(columns))), columns)  # type: ignore[arg-type]
            for t, (_, columns) in zip(tables, queries, strict=True)
        ]
    return [read_frame(*q, committed_only_ok=committed_only_ok, large=large, replica_ok=replica_ok) for q in queries]
