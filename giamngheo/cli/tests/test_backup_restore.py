"""Backup and restore round trip through the real commands, on SQLite and on PostgreSQL."""

from .subprocess_helpers import count, django_exec, run


def test_backup_then_restore_brings_everything_back(subprocess_database, tmp_path):
    env = subprocess_database
    assert run(env, "init").returncode == 0
    assert run(env, "synth", "--province", "14", "--households", "300", "--seed", "2", "--out",
               str(tmp_path / "pop")).returncode == 0
    assert run(env, "load", str(tmp_path / "pop")).returncode == 0
    tables = ("registry_household", "registry_member", "registry_historicalmember")
    before = tuple(count(env, t) for t in tables)
    backup = tmp_path / "sao-luu.bak"
    done = run(env, "backup", "--output", str(backup))
    assert done.returncode == 0, done.stderr
    # damage: remove members and households (history stays), then restore
    django_exec(env, "c.execute('DELETE FROM registry_member'); c.execute('DELETE FROM registry_household')")
    assert count(env, "registry_household") == 0
    done = run(env, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    after = tuple(count(env, t) for t in tables)
    assert after == before and before[0] == 300


def test_restore_refuses_a_file_that_is_not_a_backup(subprocess_database, tmp_path):
    assert run(subprocess_database, "init").returncode == 0
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"not a database at all")
    done = run(subprocess_database, "restore", str(junk))
    assert done.returncode == 2 and "backup" in done.stderr
