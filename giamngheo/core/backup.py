"""Backup and restore of the whole database: SQLite's online backup API, or pg_dump/pg_restore.

Nothing is kept or replaced before it is checked (`backup_checks`): a backup of a damaged database
is refused, and a restore refuses a damaged, foreign or truncated file before touching the
database. A restore first copies the current database to `DATA_DIR/backups/before-restore-*`, checks
the restored one and puts the previous one back if that check fails. Login sessions are left out
of backups (a backup would otherwise let whoever holds it act as every logged-in user); a restore
therefore logs everyone out. With a passphrase a backup is encrypted (`backup_crypto`); a restore
recognises an encrypted file, refuses a wrong key or an altered file before anything is replaced,
and decrypts into the private data folder, never beside the backup.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, connections

from . import backup_crypto, clock
from .backup_checks import Facts, dump_facts, problems, sqlite_facts
from .errors import ServiceError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
SESSIONS = "django_session"


@dataclass(frozen=True)
class Restored:
    source: Path
    previous: Path  # the database as it was before, kept until the operator removes it


def _pg_env() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = ["-h", s.get("HOST") or "127.0.0.1", "-p", str(s.get("PORT") or 5432), "-U", s.get("USER") or "postgres"]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def _run(tool: str, argv: list[str], env: dict[str, str] | None, failed: tuple[str, str]) -> str:
    """Run a PostgreSQL client tool; a failure becomes a ServiceError carrying the tool's own message
    in `failed`'s two sentences (Vietnamese, English; `{message}` is filled in)."""
    try:
        done = subprocess.run([tool, *argv], env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise ServiceError(
            f"Không tìm thấy chương trình {tool} (cài gói postgresql-client)",
            f"{tool} not found (install the PostgreSQL client tools)",
        ) from None
    if done.returncode != 0:
        message = done.stderr.strip() or f"exit {done.returncode}"
        raise ServiceError(failed[0].format(message=message), failed[1].format(message=message))
    return done.stdout


def _pg(tool: str, *argv: str) -> str:
    """Run pg_dump/pg_restore against the configured database."""
    args, env = _pg_env()
    return _run(tool, [*args, *argv], env, (f"{tool} báo lỗi: {{message}}", f"{tool} failed: {{message}}"))


def _pg_read(tool: str, *argv: str) -> str:
    """Run a tool that only reads a file (pg_restore --list / -f): no connection options."""
    return _run(
        tool,
        list(argv),
        None,
        (
            "Bản sao lưu không đọc được, pg_restore báo: {message}",
            "the backup cannot be read; pg_restore says: {message}",
        ),
    )


def _refuse(path: Path, found: list[str]) -> ServiceError:
    return ServiceError(
        f"Không dùng được {path}: không phải cơ sở dữ liệu giamngheo hợp lệ — {'; '.join(found)}",
        f"{path} refused: not a sound giamngheo database — {'; '.join(found)}",
    )


def _check_sqlite_file(path: Path, label: Path | None = None) -> None:
    found = problems(sqlite_facts(path))
    if found:
        raise _refuse(label or path, found)


def _check_dump(path: Path, label: Path | None = None) -> None:
    """Refuse a dump that is truncated or damaged (read in full) or of another database."""
    _pg_read("pg_restore", "-f", os.devnull, str(path))  # reads every block: a truncated file fails here
    toc = _pg_read("pg_restore", "--list", str(path))
    script = _pg_read("pg_restore", "--data-only", "--table", "django_migrations", "-f", "-", str(path))
    found = problems(dump_facts(toc, script))
    if found:
        raise _refuse(label or path, found)


def _live_facts() -> Facts:
    if connection.vendor == "sqlite":
        return sqlite_facts(Path(connection.settings_dict["NAME"]))
    with connection.cursor() as c:
        c.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        tables = {r[0] for r in c.fetchall()}
        applied = set()
        if "django_migrations" in tables:
            c.execute("SELECT app, name FROM django_migrations")
            applied = {(a, n) for a, n in c.fetchall()}
    return Facts(tables, applied, [])


def _sqlite_copy(source: str | Path, target: str | Path, *, standalone: bool = True) -> None:
    """Copy with the backup API; a `standalone` copy is one file (no -wal beside it)."""
    src, dst = sqlite3.connect(str(source)), sqlite3.connect(str(target))
    try:
        with dst:
            src.backup(dst)
        if standalone:
            dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        src.close()
        dst.close()


def _temp_next_to(path: Path, prefix: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    os.close(fd)
    return tmp


def _backup_to(tmp: str) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(tmp)
        try:
            with target:
                connection.connection.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
            target.execute("PRAGMA secure_delete = ON")  # the deleted sessions' bytes are overwritten
            with target:
                target.execute(f"DELETE FROM {SESSIONS}")
        finally:
            target.close()
        _check_sqlite_file(Path(tmp), Path(connection.settings_dict["NAME"]))
    elif connection.vendor == "postgresql":
        _pg(
            "pg_dump",
            "-Fc",
            "--no-owner",
            f"--exclude-table-data={SESSIONS}",
            "-f",
            tmp,
            connection.settings_dict["NAME"],
        )
        _check_dump(Path(tmp))
    else:
        raise ServiceError("Cơ sở dữ liệu không hỗ trợ sao lưu", f"backup not supported for {connection.vendor}")


def _private_temp(prefix: str) -> str:
    """A temporary file in the data folder (0600, beside the database), for plaintext that must not
    be left next to an encrypted backup's destination (a USB stick, a shared folder)."""
    from django.conf import settings

    folder = Path(settings.DATA_DIR) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix, dir=folder)
    os.close(fd)
    return tmp


def backup(output: Path, *, actor=None, passphrase: bytes | None = None) -> Path:
    """Write a checked copy of the database to `output` (atomically: temp file, check, then rename);
    with a `passphrase`, encrypted (the plaintext copy stays in the data folder until it is removed)."""
    from .audit import audit

    tmp = _temp_next_to(output, ".backup-")
    plain = _private_temp(".backup-plain-") if passphrase is not None else tmp
    try:
        try:
            _backup_to(plain)
        except ServiceError as exc:
            if actor is not None:
                audit(actor, "backup.refused", None, output=str(output), reason=exc.message_en)
            raise
        if passphrase is not None:
            with open(tmp, "wb") as f:
                backup_crypto.encrypt_file(Path(plain), f, passphrase)
        os.replace(tmp, output)
    finally:
        for leftover in {tmp, plain}:
            if os.path.exists(leftover):
                os.unlink(leftover)
    if actor is not None:
        audit(actor, "backup", None, output=str(output), bytes=output.stat().st_size, encrypted=passphrase is not None)
    return output


def _kind(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    return "unknown"


def _previous_path(suffix: str) -> Path:
    from django.conf import settings

    folder = Path(settings.DATA_DIR) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"before-restore-{clock.now():%Y%m%d-%H%M%S}{suffix}"


def _restore_sqlite(source: Path, label: Path) -> Path:
    live = Path(connection.settings_dict["NAME"])
    staged = _temp_next_to(live, ".restore-")  # a local copy, so that the file checked is the file installed
    try:
        shutil.copyfile(source, staged)
        _check_sqlite_file(Path(staged), label)
        connections.close_all()
        previous = _previous_path(".sqlite3")
        if live.exists():
            try:
                _sqlite_copy(live, previous)
            except sqlite3.DatabaseError:  # a damaged database is what one restores over: keep its bytes
                shutil.copyfile(live, previous)
        _sqlite_copy(staged, live, standalone=False)
    finally:
        for leftover in (staged, f"{staged}-wal", f"{staged}-shm"):  # a WAL-mode backup opens with these
            if os.path.exists(leftover):
                os.unlink(leftover)
    found = problems(_live_facts())
    if found:
        if previous.exists():
            _sqlite_copy(previous, live, standalone=False)
        raise _refuse(live, found)
    return previous


def _restore_postgresql(source: Path, label: Path) -> Path:
    _check_dump(source, label)
    connections.close_all()
    previous = _previous_path(".dump")
    name = connection.settings_dict["NAME"]
    _pg("pg_dump", "-Fc", "--no-owner", "-f", str(previous), name)
    _pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "-d", name, str(source))
    found = problems(_live_facts())
    if found:
        connections.close_all()
        _pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "-d", name, str(previous))
        raise _refuse(label, found)
    return previous


def needs_key(source: Path) -> bool:
    """The file is an encrypted backup (a restore needs its key)."""
    return source.is_file() and backup_crypto.is_encrypted(source)


def _decrypted(source: Path, passphrase: bytes | None) -> str:
    """The plaintext of an encrypted backup in a private temporary file, once every chunk checked."""
    if passphrase is None:
        raise ServiceError(
            f"{source} là bản sao lưu mã hoá: cần khoá (--key-file hoặc {backup_crypto.KEY_FILE_ENV})",
            f"{source} is an encrypted backup: give its key (--key-file or {backup_crypto.KEY_FILE_ENV})",
        )
    backup_crypto.check_key(source, passphrase)
    plain = _private_temp(".restore-plain-")
    try:
        with open(plain, "wb") as f:
            backup_crypto.decrypt_file(source, f, passphrase)
    except BaseException:
        os.unlink(plain)
        raise
    return plain


def _refuse_while_running() -> None:
    """A running server keeps connections, transactions and cached frames of the database a restore
    replaces, and its worker may be writing: refuse (the operator may insist with `force`)."""
    from .worker import running_processes

    running = running_processes()
    if running:
        raise ServiceError(
            f"Máy chủ giamngheo đang chạy ({'; '.join(running)}): dừng `giamngheo serve` và `worker` "
            "trước khi khôi phục, hoặc thêm --force",
            f"giamngheo is running ({'; '.join(running)}): stop `giamngheo serve` and any `worker` "
            "before restoring, or add --force",
        )


def restore(
    source: Path, *, actor: Callable | None = None, passphrase: bytes | None = None, force: bool = False
) -> Restored:
    """Replace the database's content with the backup's, after checking it; keep the previous one.

    `actor` is called after the restore (the restored database has its own users) to get the user
    the audit event names; a refusal is audited in the database as it stays. An encrypted backup
    needs its `passphrase`: a wrong one, or a file altered anywhere, is refused before any change.
    Refused while `serve` or a worker runs on this data folder, unless `force`.
    """
    from .audit import audit

    if not source.is_file():
        raise ServiceError(f"Không tìm thấy tệp {source}", f"file not found: {source}")
    plain: str | None = None
    try:
        if not force:
            _refuse_while_running()
        if backup_crypto.is_encrypted(source):
            plain = _decrypted(source, passphrase)
        installed = Path(plain) if plain else source
        kind = _kind(installed)
        if kind != connection.vendor:
            raise ServiceError(
                f"Tệp không phải bản sao lưu {connection.vendor} ({kind})",
                f"not a {connection.vendor} backup (found: {kind})",
            )
        restore_kind = _restore_sqlite if kind == "sqlite" else _restore_postgresql
        previous = restore_kind(installed, source)  # refusals name the operator's file, not a decrypted copy
    except ServiceError as exc:
        if actor is not None and not problems(_live_facts()):
            audit(actor(), "restore.refused", None, source=str(source), reason=exc.message_en)
        raise
    finally:
        if plain is not None and os.path.exists(plain):
            os.unlink(plain)
    if actor is not None:
        audit(actor(), "restore", None, source=str(source), previous=str(previous))
    return Restored(source, previous)


__all__ = ["Restored", "backup", "needs_key", "restore"]
