"""Arrow reads of SQLite in a child process: same rows, and the reading process's own connection survives."""

from __future__ import annotations

import contextlib
import copy
import sqlite3
from types import SimpleNamespace

import pytest

from giamngheo.core.bulk_read import sqlite_arrow


def test_a_child_reads_the_rows_and_the_wal_of_an_open_connection_survives(tmp_path):
    path = tmp_path / "db.sqlite3"
    own = sqlite3.connect(path)
    own.execute("PRAGMA journal_mode=WAL")
    own.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT, born TEXT)")
    own.executemany(
        "INSERT INTO t VALUES (?, ?, ?)", [(i, f"{i:05d}", "2020-01-0%d" % (i % 9 + 1)) for i in range(1, 2001)]
    )
    own.commit()
    table = sqlite_arrow(str(path), "SELECT id, code, born FROM t ORDER BY id")
    assert table.num_rows == 2000 and table.column("code")[0].as_py() == "00001"  # leading zeros kept
    # the bug this replaces: an in-process ADBC close deleted these files under `own`
    assert (tmp_path / "db.sqlite3-wal").exists() and (tmp_path / "db.sqlite3-shm").exists()
    own.execute("INSERT INTO t VALUES (2001, '02001', '2020-01-01')")
    own.commit()
    assert own.execute("SELECT count(*) FROM t").fetchone() == (2001,)
    assert sqlite_arrow(str(path), "SELECT count(*) AS n FROM t").column("n")[0].as_py() == 2001


def test_a_failing_query_says_why(tmp_path):
    path = tmp_path / "db.sqlite3"
    sqlite3.connect(path).close()
    try:
        sqlite_arrow(str(path), "SELECT * FROM missing")
    except RuntimeError as exc:
        assert "missing" in str(exc)
    else:
        raise AssertionError("no error")


def _wal_database(path, rows: int = 2000):
    own = sqlite3.connect(path)
    own.execute("PRAGMA journal_mode=WAL")
    own.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT)")
    own.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"{i:05d}") for i in range(1, rows + 1)])
    own.commit()
    return own


def test_concurrent_reads_wait_for_a_writer_holding_the_database(tmp_path):
    """Threads reading through the child while another thread writes under an exclusive lock (a
    checkpoint, or the last connection closing, hold the same): every read waits, none fails."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "db.sqlite3"
    _wal_database(path).close()
    locked, release = threading.Event(), threading.Event()

    def writer():
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("INSERT INTO t VALUES (5000, '05000')")
        locked.set()
        release.wait(30)
        conn.execute("COMMIT")
        conn.execute("PRAGMA locking_mode=NORMAL")
        conn.execute("SELECT count(*) FROM t").fetchone()  # gives the exclusive lock back
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert locked.wait(30)
    with ThreadPoolExecutor(3) as pool:
        reads = [pool.submit(sqlite_arrow, str(path), "SELECT count(*) AS n FROM t") for _ in range(3)]
        time.sleep(6.0)  # the readers start (a child takes 0.3-3 s on a busy machine) while the writer holds it
        release.set()
        counts = [r.result(timeout=120).column("n")[0].as_py() for r in reads]
    thread.join(30)
    assert counts == [2001] * 3  # each read saw the committed write, none answered "database is locked"


def test_a_read_still_refused_after_the_wait_is_retried_then_reported(tmp_path, monkeypatch):
    from giamngheo.core import bulk_read

    path = tmp_path / "db.sqlite3"
    _wal_database(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(bulk_read, "BUSY_TIMEOUT_MS", 50)
    calls = []
    real_run = bulk_read.subprocess.run
    monkeypatch.setattr(bulk_read.subprocess, "run", lambda *a, **k: calls.append(1) or real_run(*a, **k))
    try:
        sqlite_arrow(str(path), "SELECT count(*) FROM t", retries=2)
    except RuntimeError as exc:
        assert "locked" in str(exc) or "busy" in str(exc).lower()
    else:
        raise AssertionError("no error")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(calls) == 3  # tried, then retried twice: a lock is waited out, not reported at once


def test_a_text_column_whose_first_rows_are_null_keeps_its_text(tmp_path):
    """The driver typed a column from its first 1,024 rows: NULLs first, then text, failed the read."""
    path = tmp_path / "db.sqlite3"
    own = sqlite3.connect(path)
    own.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    own.executemany("INSERT INTO t VALUES (?, ?)", [(i, None if i < 3000 else "Lò Văn A") for i in range(4000)])
    own.commit()
    table = sqlite_arrow(str(path), "SELECT id, name FROM t ORDER BY id")
    assert table.column("name").null_count == 3000 and table.column("name")[3999].as_py() == "Lò Văn A"


def test_an_empty_read_through_the_child_has_the_types_the_caller_names(tmp_path):
    """The driver types an empty column int64: a report comparing `category == 'poor'` answered 500
    wherever nothing was recognised yet (#11). The named types, or text, are given on every path."""
    import polars as pl

    from giamngheo.core.bulk_read import conform

    path = tmp_path / "db.sqlite3"
    own = sqlite3.connect(path)
    own.execute("CREATE TABLE s (household_id INTEGER, category TEXT)")
    own.commit()
    raw = pl.from_arrow(sqlite_arrow(str(path), "SELECT household_id, category FROM s"))
    assert raw.schema["category"] == pl.Int64  # what the driver gives
    typed = conform(raw, {"household_id": pl.Int64, "category": pl.String})
    assert typed.schema == pl.Schema({"household_id": pl.Int64, "category": pl.String})
    assert typed.filter(pl.col("category") == "poor").height == 0
    assert conform(raw, ["household_id", "category"]).schema["category"] == pl.String


def test_several_queries_in_one_child_come_back_in_order_each_with_its_own_columns(tmp_path):
    from giamngheo.core.bulk_read import sqlite_arrows

    path = tmp_path / "db.sqlite3"
    own = sqlite3.connect(path)
    own.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    own.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"n{i}") for i in range(1, 301)])
    own.commit()
    first, empty, second = sqlite_arrows(
        str(path),
        [
            "SELECT id FROM t WHERE id <= 3 ORDER BY id",
            "SELECT name FROM t WHERE id < 0",
            "SELECT count(*) AS n, max(name) AS m FROM t",
        ],
    )
    assert first.column("id").to_pylist() == [1, 2, 3]
    assert empty.num_rows == 0 and empty.column_names == ["name"]
    assert (second.column("n")[0].as_py(), second.column("m")[0].as_py()) == (300, "n99")


@contextlib.contextmanager
def _replica_at(path):
    """A `replica` alias for the test's duration, pointing at another SQLite file."""
    from django.db import connections

    replica = {**copy.deepcopy(connections.settings["default"]), "ENGINE": "django.db.backends.sqlite3"}
    replica.update(NAME=str(path), OPTIONS={}, USER="", PASSWORD="", HOST="", PORT="")
    connections.settings["replica"] = replica
    connections["replica"].connect()  # opened here: the test case refuses to open an alias it was not told of
    try:
        yield
    finally:
        connections["replica"].close()
        del connections["replica"]
        del connections.settings["replica"]


def _numbers(path, values):
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE t (n INTEGER)")
        db.executemany("INSERT INTO t VALUES (?)", [(v,) for v in values])


@pytest.mark.django_db
def test_reports_read_the_replica_and_nothing_else_does(tmp_path):
    """DATABASE_REPLICA_URL takes the reports' bulk reads off the primary; a read that decides a write
    (replica_ok not said) or sees the request's own pending writes stays on the primary."""
    from unittest.mock import patch

    import polars as pl
    from django.db import connection

    from giamngheo.core.bulk_read import read_frame
    from giamngheo.reports import data

    _numbers(tmp_path / "replica.sqlite3", [1, 2, 3])
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n INTEGER)")
        cursor.execute("INSERT INTO t VALUES (7)")
    total = ("SELECT sum(n) FROM t", {"s": pl.Int64})
    with _replica_at(tmp_path / "replica.sqlite3"):
        for large in (False, True):  # the cursor and the Arrow child
            assert read_frame(*total, committed_only_ok=True, large=large, replica_ok=True)["s"][0] == 6
        assert read_frame(*total, committed_only_ok=False, replica_ok=True)["s"][0] == 7  # pending writes
        assert read_frame(*total, committed_only_ok=False)["s"][0] == 7
        with patch.object(data, "connection", SimpleNamespace(in_atomic_block=False)):  # as outside a test
            assert data._read(*total, large=False)["s"][0] == 6  # the reports say replica_ok
    assert read_frame(*total, committed_only_ok=False, replica_ok=True)["s"][0] == 7  # no replica: primary
