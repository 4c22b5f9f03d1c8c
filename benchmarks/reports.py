"""Reports on a province of 400,000 households: page, Excel, PDF, Alkire-Foster and a what-if run; prints seconds.

    python benchmarks/reports.py [--households 400000] [--database-url postgres://...]
    python benchmarks/reports.py --reuse --summary-only --data-dir DIR [--database-url ...]

`--data-dir` with `--reuse` keeps the database between runs (setup once, then each run times the
summary page in a fresh process: its peak RSS is then the page's, not the setup's).

Untimed setup on a fresh database: units, a synthetic province (Sơn La), loaded in bulk, with two
recognised decisions (the 2025 periodic review, a June 2026 monthly one) as the demo records them.
Timed, each through the same code the web app runs: the summary report page (HTTP, logged in as
the province official), the province's changes and deprivation reports, their Excel and PDF files,
the Alkire-Foster table and a what-if run of the 2027-2030 standard. Aims: page < 2 s, what-if < 5 s.
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


def peak_rss_mb(children: bool = False) -> float:
    """This process's (or its largest finished child's) peak resident memory so far, in MB."""
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=400_000)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (a throwaway database); SQLite if empty")
    parser.add_argument("--data-dir", default="", help="data folder (the SQLite file); a new temporary one if empty")
    parser.add_argument(
        "--reuse", action="store_true", help="skip the setup when the database already has the province"
    )
    parser.add_argument(
        "--summary-only", action="store_true", help="time only the summary page, cold then warm, and peak RSS"
    )
    args = parser.parse_args()
    tmp = args.data_dir or tempfile.mkdtemp(prefix="giamngheo-reports-")
    os.environ.update(GIAMNGHEO_DATA_DIR=tmp, DJANGO_SETTINGS_MODULE="config.settings")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    from giamngheo.accounts.models import User
    from giamngheo.accounts.services import system_user, user_add
    from giamngheo.cli.demo import record_demo_history
    from giamngheo.geo.selectors import unit_by_code
    from giamngheo.geo.services import units_load
    from giamngheo.registry.bulk import load_frames
    from giamngheo.registry.models import Household, Member
    from giamngheo.reports import selectors
    from giamngheo.reports.data import _CACHE
    from giamngheo.reports.render import render
    from giamngheo.synth.population import synthesize
    from giamngheo.testing.two_factor import verify_session

    call_command("migrate", verbosity=0)
    if args.reuse and User.objects.filter(username="tinh").exists():
        official = User.objects.get(username="tinh")
        print(
            f"reused: {Household.objects.count():,} households, {Member.objects.count():,} members "
            f"({'PostgreSQL' if args.database_url else 'SQLite'}); peak RSS so far {peak_rss_mb():,.0f} MB"
        )
    else:
        units_load()
        admin = system_user()
        setup = {}
        hh, members = timed("setup: synthesise", setup, lambda: synthesize("14", args.households, seed=5))
        timed("setup: load", setup, lambda: load_frames(hh, members, actor=admin))
        timed("setup: record two decisions", setup, lambda: record_demo_history(hh, members, admin, seed=5))
        province = unit_by_code("14")
        official = user_add(actor=admin, username="tinh", role="province_official", unit=province, password="x" * 12)
        print(
            f"{hh.height:,} households, {members.height:,} members, "
            f"{hh.get_column('admin_code').n_unique()} communes ({'PostgreSQL' if args.database_url else 'SQLite'})"
        )

    timings: dict[str, float] = {}
    client = Client()
    client.force_login(official)
    verify_session(client, official)  # past the second sign-in step, as an enrolled official would be

    def page(path):
        response = client.get(path, {"unit": "14", "period": "2026"})
        assert response.status_code == 200, response.status_code
        return response

    _CACHE.clear()
    before = peak_rss_mb()
    timed("page /bao-cao/ket-qua/ cold (reads the registry)", timings, lambda: page("/bao-cao/ket-qua/"))
    timed("page /bao-cao/ket-qua/ warm (same registry version)", timings, lambda: page("/bao-cao/ket-qua/"))
    _CACHE.clear()  # the data cold again in a process that has loaded its modules (Altair: ~0.8 s once)
    timed("page /bao-cao/ket-qua/ cold data, warm process", timings, lambda: page("/bao-cao/ket-qua/"))
    print(
        f"peak RSS {before:,.0f} MB before the summary page, {peak_rss_mb():,.0f} MB after "
        f"(child processes, the SQLite Arrow reader: {peak_rss_mb(children=True):,.0f} MB)",
        flush=True,
    )
    if args.summary_only:
        return
    for name in ("dien-bien-ngheo", "thieu-hut-ngheo", "nhom-doi-tuong", "tre-em"):
        timed(f"page /bao-cao/{name}/ (first view)", timings, lambda n=name: page(f"/bao-cao/{n}/"))
    timed("page /bang-dieu-khien/", timings, lambda: page("/bang-dieu-khien/"))
    table = selectors.report_table(official, "ket-qua", "14", "2026")
    size = len(timed("Excel, ket-qua", timings, lambda: render(table, "xlsx")))
    pdf = len(timed("PDF with chart, ket-qua", timings, lambda: render(table, "pdf")))
    changes = selectors.report_table(official, "thieu-hut-ngheo", "14", "2026")
    timed("PDF with chart, thieu-hut-ngheo", timings, lambda: render(changes, "pdf"))
    detail = timed(
        "table danh-sach-ngheo (households + members)",
        timings,
        lambda: selectors.report_table(official, "danh-sach-ngheo", "14", "2026", with_chart=False),
    )
    timed(f"Excel danh-sach-ngheo ({len(detail.rows):,} rows)", timings, lambda: render(detail, "xlsx"))
    _CACHE.clear()
    result, _ = timed(
        "what-if vn-2027-2030 cold (reads the registry)",
        timings,
        lambda: selectors.whatif(official, "14", standard="vn-2027-2030"),
    )
    timed(
        "what-if income_line.rural=2000000 warm",
        timings,
        lambda: selectors.whatif(official, "14", overrides={"income_line.rural": 2_000_000}),
    )
    timed(
        "Alkire-Foster table, warm (engine on the registry)",
        timings,
        lambda: selectors.report_table(official, "mpi", "14", "2026", with_chart=False),
    )
    print(
        f"\nExcel {size:,} bytes, PDF {pdf:,} bytes; what-if: {result.rows[0]['changed']:,} of "
        f"{result.rows[0]['households']:,} households change category"
    )
    cold, warm = (
        timings["page /bao-cao/ket-qua/ cold (reads the registry)"],
        timings["page /bao-cao/ket-qua/ warm (same registry version)"],
    )
    print(
        f"aims: page < 2 s (ket-qua cold {cold:.2f} s, warm {warm:.2f} s), what-if < 5 s "
        f"(cold {timings['what-if vn-2027-2030 cold (reads the registry)']:.2f} s, "
        f"warm {timings['what-if income_line.rural=2000000 warm']:.2f} s)"
    )


if __name__ == "__main__":
    main()
