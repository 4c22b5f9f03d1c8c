"""report and whatif: the standard report set as files, and what a new standard would change."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.atomic import write_bytes_atomic
from .admin_commands import acting_user, require_ready

EXIT_BAD_INPUT = 2


def _error(exc) -> int:
    print(f"{exc.message_vi}\n{exc.message_en}", file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_report(args: argparse.Namespace) -> int:
    require_ready()
    from rich.console import Console

    from ..core.audit import audit
    from ..core.errors import ServiceError
    from ..reports.render import TooLargeForPdfError, render
    from ..reports.selectors import report_table

    console = Console(stderr=True)
    actor = acting_user(args)
    try:
        with console.status(f"Lập báo cáo {args.name} / building the report…"):
            table = report_table(
                actor,
                args.name,
                args.unit,
                args.period,
                k=args.k,
                weighting=args.weights,
                with_chart=args.format == "pdf",
            )
        with console.status(f"Ghi tệp {args.format} / writing {args.format}…"):
            data = render(table, args.format)
    except ServiceError as exc:
        return _error(exc)
    except TooLargeForPdfError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    write_bytes_atomic(args.output, data)
    audit(actor, "report.export", None, name=args.name, unit=args.unit, period=args.period, format=args.format)
    print(f"{table.title_vi} - {table.scope_vi} - {table.period_vi}: {len(table.rows)} dòng / rows → {args.output}")
    return 0


def cmd_whatif(args: argparse.Namespace) -> int:
    require_ready()
    from rich.console import Console
    from rich.table import Table as RichTable

    from ..core.errors import ServiceError
    from ..reports.selectors import parse_overrides, whatif
    from ..reports.table import cell_text

    try:
        overrides = parse_overrides(args.set or [])
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    console = Console()
    try:
        with console.status("Chạy thử trên sổ hộ / running on the registry…"):
            table, moves = whatif(acting_user(args), args.unit, standard=args.standard, overrides=overrides)
    except ServiceError as exc:
        return _error(exc)
    out = RichTable(title=table.title_vi)
    for col in table.columns:
        out.add_column(
            f"{col.group_vi}\n{col.vi}" if col.group_vi else col.vi, justify="right" if col.kind != "text" else "left"
        )
    for row in table.rows[: args.limit + 1]:
        out.add_row(*[cell_text(row.get(c.key), c.kind) for c in table.columns])
    console.print(out)
    for note in table.notes:
        console.print(f"[italic]{note}[/italic]")
    if args.output:
        from ..reports.render import render

        write_bytes_atomic(args.output, render(table, Path(args.output).suffix.lstrip(".") or "csv"))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from ..reports.render import FORMATS

    p = sub.add_parser("report", help="one report of the standard set as xlsx, pdf or csv")
    p.add_argument("name", help="report name, e.g. ket-qua, dien-bien-ngheo, thieu-hut-ngheo, mpi")
    p.add_argument("--unit", required=True, help="province, district (before 07/2025) or commune code")
    p.add_argument("--period", required=True, help="YYYY (a year) or YYYY-MM (a month)")
    p.add_argument("--format", required=True, choices=sorted(FORMATS))
    p.add_argument("--output", required=True)
    p.add_argument("--k", default=None, help="mpi reports: poverty cut-off share (default: the standard's own)")
    p.add_argument("--weights", choices=("equal", "nested"), default="equal", help="mpi reports: indicator weights")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "whatif",
        help="how many households would change category under another standard or "
        "edited thresholds (nothing is written)",
    )
    p.add_argument("--unit", required=True)
    p.add_argument("--standard", default="auto", help="standard id (default: the one in force)")
    p.add_argument(
        "--set",
        action="append",
        metavar="NAME=VALUE",
        help="edit a threshold, e.g. income_line.rural=2000000 (repeatable)",
    )
    p.add_argument("--output", help="also write the table (.xlsx, .pdf or .csv)")
    p.add_argument("--limit", type=int, default=40, help="communes shown on screen")
    p.set_defaults(func=cmd_whatif)
