"""Arrow reads of SQLite in a child process: same rows, and the reading process's own connection survives."""

from __future__ import annotations

import sqlite3

from giamngheo.core.bulk_read import sqlite_arrow


def test_a_child_reads_the_rows_and_the_wal_of_an_open_connection_survives(tmp_path):
    path = tmp_path / "db.sqlite3"
    own = sqlite3.connect(path)
    own.execute("PRAGMA journal_mode=WAL")
    own.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT, born TEXT)")
    own.executemany("INSERT INTO t VALUES (?, ?, ?)", [(i, f"{i:05d}", "2020-01-0%d" % (i % 9 + 1))
                                                       for i in range(1, 2001)])
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
