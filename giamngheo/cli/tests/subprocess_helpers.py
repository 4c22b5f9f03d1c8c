"""Run the real command and read the real database from subprocesses (crash and backup tests)."""

from __future__ import annotations

import subprocess
import sys


def run(env: dict, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "giamngheo.cli.main", *argv], env=env, capture_output=True, text=True, check=False
    )


def django_exec(env: dict, statement: str) -> str:
    """Run one Python statement with Django set up against `env`'s database; return what it prints."""
    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); import django; "
        f"django.setup(); from django.db import connection; c = connection.cursor(); {statement}"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def count(env: dict, table: str) -> int:
    return int(django_exec(env, f"c.execute('SELECT COUNT(*) FROM {table}'); print(c.fetchone()[0])"))
