"""Support policies on a synthetic province: eligibility of every policy on one date, the coverage
report, and a delivery list imported into the ledger; prints seconds.

    python benchmarks/policies.py [--households 400000] [--rows 300000] [--database-url postgres://...]
        [--profile import.prof]

Untimed setup on a fresh database: units, a synthetic province (Sơn La), loaded in bulk, with the
demo's two recognised decisions. Timed: `policies.eligibility.eligibility` for each policy of the
catalogue on 1 July 2026 over the whole province (as `giamngheo eligible` runs it), and
`policies.deliveries.deliveries_import` of a health-insurance card list of `--rows` rows (members of
poor households, by member id), then the same file again (a no-op); the coverage report
(`giamngheo report chinh-sach-bao-phu`, every policy's eligible, reached, gaps, wrong targets and
overlaps over the province) before the import and again after it, the ledger holding the list.
Aims (issue #16): eligibility for all policies under 2 s; the coverage report under 2 s; a
300,000-row list under 60 s. `--profile FILE` writes the import's cProfile statistics.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time


def timed(label: str, timings: dict, fn):
    started = time.perf_counter()
    result = fn()
    timings[label] = time.perf_counter() - started
    print(f"{label:<58} {timings[label]:7.2f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=400_000)
    parser.add_argument("--rows", type=int, default=300_000, help="rows of the card list imported")
    parser.add_argument("--each", action="store_true", help="also time each policy's eligibility on its own")
    parser.add_argument("--profile", default="", help="write the import's cProfile statistics to this file")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (a throwaway database); SQLite if empty")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="giamngheo-policies-")
    os.environ.update(GIAMNGHEO_DATA_DIR=tmp, DJANGO_SETTINGS_MODULE="config.settings")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from pathlib import Path

    import polars as pl
    from django.core.management import call_command

    from giamngheo.accounts.access import area_scope
    from giamngheo.accounts.services import system_user
    from giamngheo.cli.demo import record_demo_history
    from giamngheo.geo.selectors import unit_by_code
    from giamngheo.geo.services import units_load
    from giamngheo.policies.catalogue import catalogue
    from giamngheo.policies.deliveries import deliveries_import
    from giamngheo.policies.eligibility import eligibility, eligibility_all
    from giamngheo.registry.bulk import load_frames
    from giamngheo.synth.population import synthesize

    call_command("migrate", verbosity=0)
    units_load()
    admin = system_user()
    setup: dict[str, float] = {}
    hh, members = timed("setup: synthesise", setup, lambda: synthesize("14", args.households, seed=5))
    timed("setup: load", setup, lambda: load_frames(hh, members, actor=admin))
    timed("setup: record two decisions", setup, lambda: record_demo_history(hh, members, admin, seed=5))
    on = dt.date(2026, 7, 1)
    scope = area_scope(admin, unit_by_code("14"), on=on)
    print(f"{hh.height:,} households, {members.height:,} members ({'PostgreSQL' if args.database_url else 'SQLite'})")

    timings: dict[str, float] = {}
    counts = {}
    if args.each:
        for policy_id, policy in catalogue().items():
            frame = timed(f"eligibility {policy_id}", timings, lambda p=policy: eligibility(scope, p, on))
            counts[policy_id] = frame.height
        print(f"{'eligibility, each policy on its own, sum':<58} {sum(timings.values()):7.2f} s")
    together = timed(
        "eligibility_all: every policy, the register read once",
        timings,
        lambda: eligibility_all(scope, list(catalogue().values()), on),
    )
    assert not counts or {k: v.height for k, v in together.items()} == counts
    counts = {k: v.height for k, v in together.items()}
    print("(aim: every policy < 2 s)")
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))

    from giamngheo.reports.render import render
    from giamngheo.reports.selectors import report_table

    def coverage():
        table = report_table(admin, "chinh-sach-bao-phu", "14", str(on.year), with_chart=False)
        return table, render(table, "xlsx")

    table, _ = timed("coverage report (page table + xlsx), empty ledger", timings, coverage)
    print(f"coverage: {len(table.rows):,} rows")

    cards = eligibility(scope, catalogue()["bhyt"], on).head(args.rows)
    path = Path(tmp) / "the.csv"
    cards.select(
        "member_id",
        pl.lit("05/07/2026").alias("date"),
        pl.lit("1").alias("quantity"),
        pl.lit("0").alias("amount_vnd"),
        pl.lit("BHXH-2026").alias("evidence"),
    ).write_csv(path)

    def run_import():
        if not args.profile:
            return deliveries_import(actor=admin, policy_id="bhyt", path=path)
        import cProfile

        profile = cProfile.Profile()
        result = profile.runcall(deliveries_import, actor=admin, policy_id="bhyt", path=path)
        profile.dump_stats(args.profile)
        return result

    result = timed(f"benefits import, {cards.height:,} card rows", timings, run_import)
    print(result.summary())
    again = timed(
        "the same file again (no-op)", timings, lambda: deliveries_import(actor=admin, policy_id="bhyt", path=path)
    )
    print(again.summary())
    table, _ = timed("coverage report (page table + xlsx), the list in the ledger", timings, coverage)
    total_row = table.rows[0]
    print(f"coverage after the import: {len(table.rows):,} rows; first row {total_row}")
    per_row = timings[f"benefits import, {cards.height:,} card rows"] / max(cards.height, 1)
    print(f"import: {per_row * 1000:.1f} ms a row, so 300,000 rows ≈ {per_row * 300_000:,.0f} s (aim < 60 s)")


if __name__ == "__main__":
    main()
