"""`giamngheo demo`: a working system in one command, on a realistic synthetic province."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ..accounts.demo_accounts import DEMO_PASSWORD, DEMO_USERS


def prepare_demo(households: int, province: str, seed: int, console: Console) -> list[tuple[str, str, str]]:
    from django.conf import settings

    from ..accounts.services import user_add
    from ..geo.selectors import unit_by_code
    from ..registry.bulk import load_folder
    from ..synth.population import synthesize
    from .admin_commands import acting_user, cmd_init

    cmd_init(argparse.Namespace())
    folder = Path(settings.DATA_DIR) / f"demo-{province}-{households}-{seed}"
    if not (folder / "households.parquet").exists():
        with console.status(f"Tạo dữ liệu mẫu {households:,} hộ / generating {households:,} households…"):
            hh, members = synthesize(province=province, households=households, seed=seed)
            from ..core.atomic import atomic_output

            # members first: the households file is what says the folder is complete
            for name, frame in (("members", members), ("households", hh)):
                with atomic_output(folder / f"{name}.parquet") as tmp:
                    frame.write_parquet(tmp)
    system = acting_user(argparse.Namespace(as_user=None))
    with console.status("Nạp vào cơ sở dữ liệu / loading into the database…"):
        result = load_folder(folder, actor=system)
    console.print(result.summary())
    import polars as pl

    from ..review.selectors import any_status_recorded

    if not any_status_recorded():
        with console.status("Ghi quyết định công nhận mẫu 2025, 06/2026 / recording demo decisions…"):
            written = record_demo_history(
                pl.read_parquet(folder / "households.parquet"),
                pl.read_parquet(folder / "members.parquet"),
                system,
                seed,
            )
        console.print(f"{written:,} trạng thái hộ đã ghi / statuses recorded")

    first_commune = (
        pl.read_parquet(folder / "households.parquet", columns=["admin_code"]).get_column("admin_code").min()
    )
    commune, province_unit = unit_by_code(first_commune), unit_by_code(province)
    logins = []
    for username, role, scope in DEMO_USERS:
        unit = {"commune": commune, "province": province_unit, None: None}[scope]
        user_add(actor=system, username=username, role=role, unit=unit, password=DEMO_PASSWORD)
        logins.append((username, role, f"{unit.name} ({unit.code})" if unit else "toàn quốc / nationwide"))
    return logins


def run_demo(args: argparse.Namespace) -> int:
    console = Console()
    started = time.perf_counter()
    logins = prepare_demo(args.households, args.province, args.seed, console)
    table = Table(title=f"Tài khoản demo / demo logins (mật khẩu / password: {DEMO_PASSWORD})")
    for header in ("Tên đăng nhập / username", "Vai trò / role", "Đơn vị / unit"):
        table.add_column(header)
    for row in logins:
        table.add_row(*row)
    console.print(table)
    console.print(
        f"Sẵn sàng sau {time.perf_counter() - started:.0f} giây / ready in {time.perf_counter() - started:.0f} s"
    )
    if args.no_serve:
        return 0
    import os

    from django.conf import settings

    from .admin_commands import cmd_serve

    # The demo's accounts sign in without the second step (docs/adr/0010); the sign-in page says so.
    os.environ["GIAMNGHEO_DEMO"] = "1"  # for the processes `serve` starts
    settings.DEMO = True
    console.print(
        "GIAMNGHEO_DEMO=1: tài khoản demo đăng nhập không cần mã xác thực hai lớp / "
        "demo accounts sign in without the two-factor code"
    )

    return cmd_serve(argparse.Namespace(host=args.host, port=args.port, threads=8, no_worker=False))


DEMO_DECISIONS = (  # (kind, reviewed on, decided on, number): the 2025 periodic review, a 2026 monthly one
    ("periodic", "2025-12-01", "2025-12-15", "DEMO-2025/QĐ-UBND"),
    ("regular", "2026-06-15", "2026-06-25", "DEMO-06-2026/QĐ-UBND"),
)


def record_demo_history(households, members, actor, seed: int) -> int:
    """Two recognised decisions for a synthetic registry: last year's facts, then today's changes only."""
    import datetime as dt

    import polars as pl

    from ..review.recorded import decision_record
    from ..standards import classify
    from ..standards.rounds import round_standard
    from ..synth.history import earlier_facts, form_b_answers

    written, previous = 0, None
    for step, (kind, reviewed, decided, number) in enumerate(DEMO_DECISIONS):
        as_of = dt.date.fromisoformat(reviewed)
        standard = round_standard(kind, as_of).standard  # the rule a round of this kind and date follows
        facts = earlier_facts(households, seed) if step == 0 else households
        results = classify(facts, members, standard, as_of, explain=False).with_columns(
            pl.col("category", "admin_code").cast(pl.String)
        )
        if previous is not None:  # a monthly review decides only for households whose status changes
            results = (
                results.join(previous, on="household_id", how="left")
                .filter(pl.col("category") != pl.col("previous").fill_null(""))
                .drop("previous")
            )
        results = form_b_answers(results.sort("household_id"), seed + step)
        written += decision_record(
            actor=actor,
            results=results,
            standard=standard,
            as_of=as_of,
            kind=kind,
            decision_number=number,
            decision_date=dt.date.fromisoformat(decided),
            fact_columns=["income_per_capita_month"],
        )
        previous = (
            results.select("household_id", pl.col("category").alias("previous"))
            if previous is None
            else pl.concat(
                [
                    previous.join(results.select("household_id"), on="household_id", how="anti"),
                    results.select("household_id", pl.col("category").alias("previous")),
                ]
            )
        )
    return written
