"""A database that cannot be reached says what failed (host:port, the driver's message); only a
database that answers but is not migrated is told to run `giamngheo init`."""

from __future__ import annotations

import os

import pytest

from .subprocess_helpers import run


def _env(tmp_path, url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIAMNGHEO_")}
    return {**env, "GIAMNGHEO_DATA_DIR": str(tmp_path), "DATABASE_URL": url}


def _pg(rest: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    host = url.rsplit("@", 1)[1].split("/", 1)[0] if url.startswith("postgres") and "@" in url else "127.0.0.1:5432"
    return f"postgres://{rest.replace('HOST', host)}"


@pytest.mark.parametrize("command", [["check"], ["load", "x"], ["init"], ["restore", "x.bak"]])
def test_a_refused_connection_names_the_host_and_the_drivers_message(tmp_path, command):
    done = run(_env(tmp_path, "postgres://postgres@127.0.0.1:1/gn_nowhere"), *command)
    assert done.returncode in (1, 3) and "Traceback" not in done.stderr, done.stderr
    assert "cannot connect to the database at 127.0.0.1:1" in done.stderr
    assert "Không kết nối được cơ sở dữ liệu tại 127.0.0.1:1" in done.stderr
    assert "Connection refused" in done.stderr  # the driver's own words
    assert "giamngheo init" not in done.stderr


def test_a_refused_login_says_authentication_failed(tmp_path):
    done = run(_env(tmp_path, _pg("gn_no_such_role:wrong@HOST/postgres")), "load", "x")
    assert done.returncode == 3, done.stderr
    assert "authentication failed" in done.stderr and "Xác thực thất bại" in done.stderr
    assert "gn_no_such_role" in done.stderr and "giamngheo init" not in done.stderr.split("authentication")[0]


def test_a_missing_database_says_so(tmp_path):
    done = run(_env(tmp_path, _pg("postgres@HOST/gn_no_such_database")), "load", "x")
    assert done.returncode == 3, done.stderr
    assert "the database gn_no_such_database does not exist" in done.stderr


def test_a_database_that_is_not_migrated_is_told_to_run_init(tmp_path):
    done = run(_env(tmp_path, f"sqlite:///{tmp_path}/new.sqlite3"), "load", "x")
    assert done.returncode == 3
    assert "run `giamngheo init` first" in done.stderr


def test_a_database_file_that_is_not_a_database_says_so(tmp_path):
    db = tmp_path / "damaged.sqlite3"
    db.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 32)
    done = run(_env(tmp_path, f"sqlite:///{db}"), "load", "x")
    assert done.returncode == 3 and "Traceback" not in done.stderr, done.stderr
    assert f"cannot open the database file {db}" in done.stderr and "not a database" in done.stderr
    assert "giamngheo init" not in done.stderr
