"""Household plans on a synthetic province: drafting a plan for every poor and near-poor household;
prints seconds.

    python benchmarks/plans.py [--households 400000] [--database-url postgres://...]

Untimed setup on a fresh database: units, a synthetic province (Sơn La), loaded in bulk, with the
demo's two recognised decisions (Form B causes and needs on the poor and near-poor). Timed:
`plans.drafting.plan_draft_bulk` over the whole province for 2027 (as `giamngheo plans draft` runs
it), then the same again (every household has its plan: nothing written). Aim (issue #17): under 10 s.
"""

from __future__ import annotations

import argparse
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
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (a throwaway database); SQLite if empty")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="giamngheo-plans-")
    os.environ.update(GIAMNGHEO_DATA_DIR=tmp, DJANGO_SETTINGS_MODULE="config.settings")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from giamngheo.accounts.services import system_user
    from giamngheo.cli.demo import record_demo_history
    from giamngheo.geo.selectors import unit_by_code
    from giamngheo.geo.services import units_load
    from giamngheo.plans.drafting import plan_draft_bulk
    from giamngheo.registry.bulk import load_frames
    from giamngheo.synth.population import synthesize

    call_command("migrate", verbosity=0)
    units_load()
    admin = system_user()
    setup: dict[str, float] = {}
    hh, members = timed("setup: synthesise", setup, lambda: synthesize("14", args.households, seed=5))
    timed("setup: load", setup, lambda: load_frames(hh, members, actor=admin))
    timed("setup: record two decisions", setup, lambda: record_demo_history(hh, members, admin, seed=5))
    print(f"{hh.height:,} households, {members.height:,} members ({'PostgreSQL' if args.database_url else 'SQLite'})")
    province = unit_by_code("14")
    timings: dict[str, float] = {}
    result = timed(
        "plans draft, the province, 2027", timings, lambda: plan_draft_bulk(actor=admin, unit=province, year=2027)
    )
    print(result)
    again = timed(
        "the same again (nothing to write)", timings, lambda: plan_draft_bulk(actor=admin, unit=province, year=2027)
    )
    print(again)
    print("(aim: under 10 s)")


if __name__ == "__main__":
    main()
