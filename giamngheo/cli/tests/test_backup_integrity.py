"""Backup and restore check what they keep and install: damaged, foreign and truncated files are refused
with the database left as it was; a report process never serves numbers from before a restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import polars as pl
import pytest

from .subprocess_helpers import count, django_exec, run

on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")


def _registry(env, tmp_path, households=60):
    assert run(env, "init").returncode == 0
    assert (
        run(
            env,
            "synth",
            "--province",
            "14",
            "--households",
            str(households),
            "--seed",
            "3",
            "--out",
            str(tmp_path / "pop"),
        ).returncode
        == 0
    )
    assert run(env, "load", str(tmp_path / "pop")).returncode == 0


def _verbs(env) -> list[str]:
    return django_exec(
        env, "c.execute('SELECT verb FROM core_auditevent ORDER BY id'); print(' '.join(r[0] for r in c.fetchall()))"
    ).split()


def _refused(done, *words):
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


def _mark_first(env) -> None:
    """Write 'kept' into the first household's address: what a refused restore must leave."""
    django_exec(
        env,
        "c.execute(\"UPDATE registry_household SET address = 'kept' WHERE id = "
        '(SELECT MIN(id) FROM registry_household)")',
    )


def _address(env) -> str:
    return django_exec(
        env, "c.execute('SELECT address FROM registry_household ORDER BY id LIMIT 1'); print(c.fetchone()[0])"
    )


def test_restore_refuses_damaged_foreign_and_truncated_files_and_keeps_the_database(subprocess_database, tmp_path):
    env = subprocess_database
    _registry(env, tmp_path)
    good = tmp_path / "good.bak"
    assert run(env, "backup", "--output", str(good)).returncode == 0
    _mark_first(env)
    if not on_postgres:
        damaged = tmp_path / "damaged.bak"  # 400 KB overwritten in the middle
        data = bytearray(good.read_bytes())
        middle = len(data) // 2 - 200_000
        data[middle : middle + 400_000] = os.urandom(400_000)
        damaged.write_bytes(bytes(data))
        _refused(run(env, "restore", str(damaged)), "damaged", "hỏng")
        lone = tmp_path / "lone.sqlite3"  # a file with the households table only
        con = sqlite3.connect(lone)
        con.execute("CREATE TABLE registry_household (id integer primary key, household_id text)")
        con.execute("INSERT INTO registry_household VALUES (1, '001')")
        con.commit()
        con.close()
        _refused(run(env, "restore", str(lone)), "django_migrations")
    else:
        truncated = tmp_path / "truncated.dump"
        truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
        _refused(run(env, "restore", str(truncated)), "pg_restore: error:")
        other = tmp_path / "other.dump"  # a dump of another database: one table, notes
        notes_env = _other_database(env, "CREATE TABLE notes (id int, body text); INSERT INTO notes VALUES (1, 'x')")
        try:
            subprocess.run(["pg_dump", "-Fc", "-f", str(other), notes_env], check=True)
        finally:
            _drop(notes_env)
        _refused(run(env, "restore", str(other)), "django_migrations")
    assert count(env, "registry_household") == 60
    assert _address(env) == "kept"
    assert _verbs(env)[-2:] == ["restore.refused", "restore.refused"]


def _other_database(env, sql: str) -> str:
    """A throwaway PostgreSQL database beside the test one holding `sql`; returns its URL."""
    import psycopg

    url = env["DATABASE_URL"].rsplit("/", 1)[0] + "/" + env["DATABASE_URL"].rsplit("/", 1)[1] + "_other"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"')
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)
    return url


def _drop(url: str) -> None:
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


@pytest.mark.skipif(on_postgres, reason="damages the SQLite file itself")
def test_backup_refuses_a_damaged_database_and_writes_no_file(subprocess_database, tmp_path):
    env = subprocess_database
    _registry(env, tmp_path, households=400)
    db = env["DATABASE_URL"].removeprefix("sqlite:///")
    django_exec(env, "c.execute('PRAGMA wal_checkpoint(TRUNCATE)')")  # every page in the main file
    with open(db, "r+b") as f:  # 400 KB overwritten in the middle (unit and registry pages)
        f.seek(os.path.getsize(db) // 2 - 200_000)
        f.write(os.urandom(400_000))
    out = tmp_path / "copy.bak"
    _refused(run(env, "backup", "--output", str(out)), "damaged", "hỏng")
    assert not out.exists() and not list(tmp_path.glob(".backup-*"))


READER = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
import polars as pl
from django.db import connections
from giamngheo.accounts.access import area_scope
from giamngheo.accounts.services import system_user
from giamngheo.geo.selectors import unit_by_code
from giamngheo.reports.data import ReportData
from giamngheo.reports.period import parse_period
for line in sys.stdin:
    period = parse_period("2026")
    scope = area_scope(system_user(), unit_by_code("14", period.reference_date), on=period.reference_date)
    hh = ReportData(system_user(), scope, period).households
    print(hh.filter(pl.col("household_id") == line.strip()).get_column("village_name").to_list(), flush=True)
    connections.close_all()  # as a server does after each request
"""


def _with_decisions(env, tmp_path) -> pl.DataFrame:
    """The synthetic registry's recognition decisions (as the demo records them); its households."""
    pop = tmp_path / "pop"
    django_exec(
        env,
        "import polars as pl; from giamngheo.cli.demo import record_demo_history; "
        "from giamngheo.accounts.services import system_user; "
        f"record_demo_history(pl.read_parquet('{pop}/households.parquet'), "
        f"pl.read_parquet('{pop}/members.parquet'), system_user(), seed=3)",
    )
    return pl.read_parquet(pop / "households.parquet")


def _moved(tmp_path, households: pl.DataFrame, household_id: str, village: str) -> list[str]:
    """The `import` arguments of the registry with one household moved to `village`."""
    folder = tmp_path / village
    folder.mkdir()
    households.with_columns(
        pl.when(pl.col("household_id") == household_id)
        .then(pl.lit(village))
        .otherwise(pl.col("village"))
        .alias("village")
    ).write_parquet(folder / "h.parquet")
    shutil.copy(tmp_path / "pop" / "members.parquet", folder / "m.parquet")
    return ["import", "--households", str(folder / "h.parquet"), "--members", str(folder / "m.parquet")]


@contextmanager
def _reader(env, household_id: str) -> Iterator[Callable[[], str]]:
    """A long-lived process that reads the household's village from the report frames on demand,
    keeping its cache between reads as a server does."""
    reader = subprocess.Popen(
        [sys.executable, "-c", READER],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def read() -> str:
        reader.stdin.write(household_id + "\n")
        reader.stdin.flush()
        line = reader.stdout.readline()
        assert line, reader.stderr.read()
        return line.strip()

    try:
        yield read
    finally:
        reader.stdin.close()
        reader.wait(timeout=60)


def test_report_cache_gives_fresh_numbers_after_a_restore(subprocess_database, tmp_path):
    """A server process keeps its report frames across a restore; the rows written after the restore
    get the same primary keys as rows it read before, so keys alone would serve the old frames."""
    env = subprocess_database
    _registry(env, tmp_path)
    households = _with_decisions(env, tmp_path)
    first = households.get_column("household_id")[0]
    backup = tmp_path / "b.bak"
    assert run(env, "backup", "--output", str(backup)).returncode == 0
    with _reader(env, first) as read:
        assert run(env, *_moved(tmp_path, households, first, "Ban A")).returncode == 0
        assert read() == "['Ban A']"
        done = run(env, "restore", str(backup))
        assert done.returncode == 0, done.stderr
        assert run(env, *_moved(tmp_path, households, first, "Ban Z")).returncode == 0
        assert read() == "['Ban Z']"
