"""National-scale rehearsal: load, classify and summarise many households; prints seconds and the database size.

    python benchmarks/bulk_load.py --database-url postgres://postgres@127.0.0.1:5432/gn_bulk \
        [--households 5000000] [--provinces 14,38,40,01,79]

The database must exist and be empty (it is migrated here; drop it afterwards). The households are
split evenly over the provinces, each synthesised (untimed) and loaded as its own file, the way
provinces would send theirs; the first load finds empty tables (indexes built after the rows), the
others load into a filled registry. Timed: each load (`registry.bulk.load_frames`, with history),
classifying every province and recording two recognised decisions (`cli.demo.record_demo_history`,
the engine over the same frames, as the demo and benchmarks/reports.py do), and each province's
summary report (`ket-qua`) cold. Without --database-url: SQLite in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time


def timed(label: str, fn):
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"{label:<52} {seconds:8.1f} s  (this process's CPU {time.process_time() - cpu:7.1f} s)", flush=True)
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=5_000_000)
    parser.add_argument("--provinces", default="14,38,40,01,79", help="province codes, comma-separated")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    os.environ.update(
        GIAMNGHEO_DATA_DIR=tempfile.mkdtemp(prefix="giamngheo-bulk-"), DJANGO_SETTINGS_MODULE="config.settings"
    )
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from giamngheo.accounts.services import system_user, user_add
    from giamngheo.cli.demo import record_demo_history
    from giamngheo.geo.selectors import unit_by_code
    from giamngheo.geo.services import units_load
    from giamngheo.registry.bulk import load_frames
    from giamngheo.reports import selectors
    from giamngheo.reports.data import _CACHE
    from giamngheo.synth.population import synthesize

    call_command("migrate", verbosity=0)
    units_load()
    admin = system_user()
    provinces = args.provinces.split(",")
    each = args.households // len(provinces)
    totals = {"load": 0.0, "classify": 0.0, "summary": 0.0}
    members_total = 0
    for seed, code in enumerate(provinces, start=args.seed):
        hh, members = synthesize(code, each, seed=seed)
        members_total += members.height
        result, seconds = timed(
            f"load province {code}: {hh.height:,} households, {members.height:,} members",
            lambda hh=hh, members=members: load_frames(hh, members, actor=admin),
        )
        totals["load"] += seconds
        print(
            f"    {members.height / seconds:,.0f} members/s; indexes built after the rows: "
            f"{', '.join(result.indexes_built_after) or 'none (tables not empty)'}",
            flush=True,
        )
        _, seconds = timed(
            f"classify province {code} and record two decisions",
            lambda hh=hh, members=members, seed=seed: record_demo_history(hh, members, admin, seed=seed),
        )
        totals["classify"] += seconds
        del hh, members
    for code in provinces:
        official = user_add(
            actor=admin, username=f"tinh{code}", role="province_official", unit=unit_by_code(code), password="x" * 12
        )
        _CACHE.clear()
        _, seconds = timed(
            f"summary report ket-qua, province {code}, cold",
            lambda official=official, code=code: selectors.report_table(official, "ket-qua", code, "2026"),
        )
        totals["summary"] += seconds
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        else:
            cursor.execute("SELECT page_count * page_size / 1e9 || ' GB' FROM pragma_page_count(), pragma_page_size()")
        size = cursor.fetchone()[0]
    print(
        f"\n{each * len(provinces):,} households, {members_total:,} members, {connection.vendor}: "
        f"load {totals['load']:.0f} s ({members_total / totals['load']:,.0f} members/s), "
        f"classify and record {totals['classify']:.0f} s, summaries {totals['summary']:.1f} s; database {size}"
    )


if __name__ == "__main__":
    main()
