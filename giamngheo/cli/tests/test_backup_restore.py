"""Backup and restore round trip through the real commands, on SQLite and on PostgreSQL."""

import subprocess
import sys


def run(env, *argv):
    done = subprocess.run([sys.executable, "-m", "giamngheo.cli.main", *argv], env=env, capture_output=True,
                          text=True, check=False)
    return done


def count(env, sql):
    code = (f"import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings'); import django; "
            f"django.setup(); from django.db import connection; c=connection.cursor(); c.execute({sql!r}); "
            f"print(c.fetchone()[0])")
    return int(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                              check=True).stdout.strip())


def test_backup_then_restore_brings_everything_back(subprocess_database, tmp_path):
    env = subprocess_database
    assert run(env, "init").returncode == 0
    assert run(env, "synth", "--province", "14", "--households", "300", "--seed", "2", "--out",
               str(tmp_path / "pop")).returncode == 0
    assert run(env, "load", str(tmp_path / "pop")).returncode == 0
    before = (count(env, "SELECT COUNT(*) FROM registry_household"), count(env, "SELECT COUNT(*) FROM registry_member"),
              count(env, "SELECT COUNT(*) FROM registry_historicalmember"))
    backup = tmp_path / "sao-luu.bak"
    done = run(env, "backup", "--output", str(backup))
    assert done.returncode == 0, done.stderr
    # damage: remove members and households (history stays), then restore
    code = ("import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings'); import django; "
            "django.setup(); from django.db import connection; c=connection.cursor(); "
            "c.execute('DELETE FROM registry_member'); c.execute('DELETE FROM registry_household')")
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    assert count(env, "SELECT COUNT(*) FROM registry_household") == 0
    done = run(env, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    after = (count(env, "SELECT COUNT(*) FROM registry_household"), count(env, "SELECT COUNT(*) FROM registry_member"),
             count(env, "SELECT COUNT(*) FROM registry_historicalmember"))
    assert after == before and before[0] == 300


def test_restore_refuses_a_file_that_is_not_a_backup(subprocess_database, tmp_path):
    assert run(subprocess_database, "init").returncode == 0
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"not a database at all")
    done = run(subprocess_database, "restore", str(junk))
    assert done.returncode == 2 and "backup" in done.stderr
