"""Backup and restore round trip through the real commands, on SQLite and on PostgreSQL."""

import sqlite3
import subprocess
from pathlib import Path

from giamngheo.core.backup_checks import copied_rows

from .subprocess_helpers import count, django_exec, run


def test_backup_then_restore_brings_everything_back(subprocess_database, tmp_path):
    env = subprocess_database
    assert run(env, "init").returncode == 0
    assert (
        run(
            env, "synth", "--province", "14", "--households", "300", "--seed", "2", "--out", str(tmp_path / "pop")
        ).returncode
        == 0
    )
    assert run(env, "load", str(tmp_path / "pop")).returncode == 0
    tables = ("registry_household", "registry_member", "registry_historicalmember")
    before = tuple(count(env, t) for t in tables)
    django_exec(
        env, "c.execute(\"INSERT INTO django_session VALUES ('livesessionkey0123456789', 'x', '2099-01-01 00:00:00')\")"
    )
    backup = tmp_path / "sao-luu.bak"
    done = run(env, "backup", "--output", str(backup))
    assert done.returncode == 0, done.stderr
    # damage: remove members and households (history stays; their summary rows go with them), then restore
    django_exec(
        env,
        "c.execute('DELETE FROM registry_householdsummary'); c.execute('DELETE FROM registry_member'); "
        "c.execute('DELETE FROM registry_household')",
    )
    assert count(env, "registry_household") == 0
    done = run(env, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    after = tuple(count(env, t) for t in tables)
    assert after == before and before[0] == 300
    # login sessions are not in the backup: whoever holds the file cannot act as a logged-in user
    assert count(env, "django_session") == 0
    if backup.read_bytes().startswith(b"SQLite"):
        assert b"livesessionkey0123456789" not in backup.read_bytes()
    # the database as it was before the restore (the damaged one) is kept, and named
    previous = Path(done.stdout.strip().splitlines()[-1].split(": ", 1)[1])
    assert previous.parent == tmp_path / "backups" and previous.is_file()
    if previous.suffix == ".sqlite3":
        assert sqlite3.connect(previous).execute("SELECT COUNT(*) FROM registry_household").fetchone()[0] == 0
    else:
        listing = subprocess.run(
            ["pg_restore", "--data-only", "-t", "registry_household", "-f", "-", str(previous)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "COPY public.registry_household " in listing and copied_rows(listing, "registry_household") == []
    verbs = django_exec(
        env, "c.execute('SELECT verb FROM core_auditevent ORDER BY id DESC LIMIT 1'); print(c.fetchone()[0])"
    )
    assert verbs == "restore"


def test_restore_refuses_a_file_that_is_not_a_backup(subprocess_database, tmp_path):
    assert run(subprocess_database, "init").returncode == 0
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"not a database at all")
    done = run(subprocess_database, "restore", str(junk))
    assert done.returncode == 2 and "backup" in done.stderr
