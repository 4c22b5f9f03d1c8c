"""`giamngheo demo`: a working system in one command, on a realistic synthetic province."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

DEMO_PASSWORD = "giamngheo-demo"  # demo accounts only; never used outside `giamngheo demo`
DEMO_USERS = (
    ("ra_soat_vien", "reviewer", "commune"),
    ("truong_thon", "village_head", "commune"),
    ("can_bo_xa", "commune_official", "commune"),
    ("chu_tich_xa", "commune_chair", "commune"),
    ("can_bo_tinh", "province_official", "province"),
    ("trung_uong", "national_viewer", None),
    ("quan_tri", "admin", None),
)


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
            folder.mkdir(parents=True, exist_ok=True)
            hh.write_parquet(folder / "households.parquet")
            members.write_parquet(folder / "members.parquet")
    system = acting_user(argparse.Namespace(as_user=None))
    with console.status("Nạp vào cơ sở dữ liệu / loading into the database…"):
        result = load_folder(folder, actor=system)
    console.print(result.summary())
    import polars as pl

    first_commune = pl.read_parquet(folder / "households.parquet", columns=["admin_code"]).get_column(
        "admin_code").min()
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
    console.print(f"Sẵn sàng sau {time.perf_counter() - started:.0f} giây / ready in "
                  f"{time.perf_counter() - started:.0f} s")
    if args.no_serve:
        return 0
    from .admin_commands import cmd_serve

    return cmd_serve(argparse.Namespace(host=args.host, port=args.port, threads=8, no_worker=False))
