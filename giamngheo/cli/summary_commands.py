"""`giamngheo summary rebuild`: the household summary rows from scratch (after a migration or a restore)."""

from __future__ import annotations

import argparse
import sys
import time


def cmd_summary_rebuild(args: argparse.Namespace) -> int:
    from django.db import transaction

    from ..core.audit import audit
    from ..geo.selectors import communes_under, unit_by_code
    from ..review.statuses import summary_rebuild
    from ..standards.formats import number_vi
    from .admin_commands import require_admin_actor

    actor = require_admin_actor(args)
    unit_ids = None
    if args.unit:
        unit = unit_by_code(args.unit)
        if unit is None:
            print(f"Không có đơn vị mã {args.unit} / no unit with code {args.unit}", file=sys.stderr)
            return 2
        unit_ids = list(communes_under(unit).values_list("pk", flat=True))
    started = time.perf_counter()
    with transaction.atomic():
        rows = summary_rebuild(unit_ids)
        audit(actor, "summary.rebuild", None, unit=args.unit or "", households=rows)
    print(f"{number_vi(rows)} hộ / households, {time.perf_counter() - started:.1f} s")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("summary", help="the household summary rows the province reports count")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    rebuild = actions.add_parser("rebuild", help="rebuild them from the registry and the statuses")
    rebuild.add_argument("--unit", default="", help="only households registered under this unit's communes")
    rebuild.set_defaults(func=cmd_summary_rebuild)
