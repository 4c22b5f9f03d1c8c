"""Bulk load speed: 200,000 households (~720,000 members) from Parquet into SQLite and PostgreSQL.

    python benchmarks/load.py [--households 200000] [--skip-postgres]

Each database is fresh (a temporary SQLite file; a throwaway PostgreSQL database on
127.0.0.1:5432 that is dropped afterwards). Prints seconds and rows per second for the first
load (inserts with history) and for a second load of the same files (the idempotent no-op).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def child(folder: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from giamngheo.accounts.services import system_user
    from giamngheo.geo.services import units_load
    from giamngheo.registry.bulk import load_folder

    call_command("migrate", verbosity=0)
    units_load()
    actor = system_user()
    for label in ("first load", "second load (no changes)"):
        started = time.perf_counter()
        result = load_folder(Path(folder), actor=actor)
        seconds = time.perf_counter() - started
        members = result.members_created + result.members_updated + result.members_unchanged
        households = result.households_created + result.households_updated + result.households_unchanged
        print(
            f"  {connection.vendor:<10} {label:<26} {seconds:6.1f} s  "
            f"{households / seconds:>9,.0f} households/s  {members / seconds:>9,.0f} members/s  "
            f"(+{result.households_created:,} households, +{result.members_created:,} members)"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    from giamngheo.synth.population import synthesize

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "population"
        folder.mkdir()
        hh, members = synthesize("38", args.households, seed=5)
        hh.write_parquet(folder / "households.parquet")
        members.write_parquet(folder / "members.parquet")
        print(f"{hh.height:,} households, {members.height:,} members (Parquet)")
        env = {**os.environ, "GIAMNGHEO_DATA_DIR": str(Path(tmp) / "data")}
        env.pop("DATABASE_URL", None)
        runs = [("SQLite", env)]
        if not args.skip_postgres:
            db = f"giamngheo_bench_{os.getpid()}"
            runs.append(("PostgreSQL", {**env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}"}))
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {db}"], check=True)
        try:
            for _name, run_env in runs:
                subprocess.run([sys.executable, __file__, "--child", str(folder)], env=run_env, check=True)
        finally:
            if not args.skip_postgres:
                subprocess.run(
                    ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {db}"], check=False
                )


if __name__ == "__main__":
    main()
