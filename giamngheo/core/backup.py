"""Backup and restore of the whole database: SQLite's online backup API, or pg_dump/pg_restore.

A backup file says what it is in its first bytes (SQLite or a PostgreSQL custom dump), and a
restore refuses a file of the other kind or one that is not a giamngheo database.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connection, connections

from .errors import ServiceError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


def _pg_env() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = ["-h", s.get("HOST") or "127.0.0.1", "-p", str(s.get("PORT") or 5432), "-U", s.get("USER") or "postgres"]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def backup(output: Path) -> Path:
    """Write a consistent copy of the database to `output` (atomically: temp file, then rename)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".backup-", dir=output.parent)
    os.close(fd)
    try:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(tmp)
            with target:
                connection.connection.backup(target)
            target.close()
        elif connection.vendor == "postgresql":
            args, env = _pg_env()
            subprocess.run(["pg_dump", "-Fc", "--no-owner", *args, "-f", tmp, connection.settings_dict["NAME"]],
                           env=env, check=True, capture_output=True)
        else:
            raise ServiceError("Cơ sở dữ liệu không hỗ trợ sao lưu", f"backup not supported for {connection.vendor}")
        os.replace(tmp, output)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return output


def _kind(path: Path) -> str:
    head = path.read_bytes()[:16] if path.stat().st_size < 16 else path.open("rb").read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    return "unknown"


def restore(source: Path) -> None:
    """Replace the database's content with the backup's. Everything else connected must be stopped."""
    if not source.is_file():
        raise ServiceError(f"Không tìm thấy tệp {source}", f"file not found: {source}")
    kind = _kind(source)
    if kind != connection.vendor:
        raise ServiceError(f"Tệp không phải bản sao lưu {connection.vendor} ({kind})",
                           f"not a {connection.vendor} backup (found: {kind})")
    if kind == "sqlite":
        check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            check.close()
        if "registry_household" not in tables:
            raise ServiceError("Tệp không phải cơ sở dữ liệu giamngheo", "not a giamngheo database")
        connections.close_all()
        source_conn = sqlite3.connect(str(source))
        target = sqlite3.connect(str(connection.settings_dict["NAME"]))
        with target:
            source_conn.backup(target)
        source_conn.close()
        target.close()
        return
    connections.close_all()
    args, env = _pg_env()
    subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args,
                    "-d", connection.settings_dict["NAME"], str(source)], env=env, check=True, capture_output=True)


__all__ = ["backup", "restore"]
