"""decision import: a recognition decision the commune took before giamngheo, from its file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .admin_commands import acting_user, require_ready
from .arguments import named_unit, vi_date

EXIT_BAD_INPUT = 2


def cmd_decision_import(args: argparse.Namespace) -> int:
    require_ready()
    from ..core.errors import ServiceError
    from ..exchange.decisions import decision_file_import
    from ..standards.problems import InputError

    unit = named_unit(args.unit, args.date)
    if unit is None:
        return EXIT_BAD_INPUT
    path = Path(args.file)
    if not path.is_file():
        print(f"Không tìm thấy tệp / file not found: {args.file}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        result = decision_file_import(
            actor=acting_user(args),
            unit=unit,
            path=path,
            number=args.number,
            date=args.date,
            kind=args.kind,
            label=str(args.file),
            check_only=args.check,
        )
    except InputError as exc:
        print(exc.report(args.lang), file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} lỗi, không có gì thay đổi / {count} problem(s), nothing was changed", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ServiceError as exc:  # AccessDenied included: the same exit as every refused write
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.check:
        print(f"Kiểm tra xong, chưa ghi gì / checked, nothing written: {result.summary()}")
    else:
        print(result.summary())
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("decision", help="recognition decisions taken before giamngheo (the current register)")
    decision = p.add_subparsers(dest="decision_command", required=True)
    imp = decision.add_parser(
        "import", help="record a decision's list (household_id, category) from .csv or .xlsx, all-or-nothing"
    )
    imp.add_argument("file", help=".csv (UTF-8) or .xlsx with columns household_id (Mã hộ) and category (Phân loại)")
    imp.add_argument("--unit", required=True, help="the commune's code")
    imp.add_argument("--number", required=True, help="the decision's number, e.g. 15/QĐ-UBND")
    imp.add_argument("--date", required=True, type=vi_date, help="the decision's date, dd/mm/yyyy")
    imp.add_argument("--kind", choices=("periodic", "regular"), default="periodic")
    imp.add_argument("--check", action="store_true", help="read and check the file, write nothing")
    imp.add_argument("--lang", choices=("vi", "en"), default="vi")
    imp.set_defaults(func=cmd_decision_import)
