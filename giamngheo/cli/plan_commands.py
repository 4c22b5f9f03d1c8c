"""plans: household exit plans (issue #17): import a file of plans, draft plans from causes in bulk."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .admin_commands import acting_user, require_ready
from .arguments import named_unit

EXIT_BAD_INPUT = 2


def cmd_plans_import(args: argparse.Namespace) -> int:
    require_ready()
    from ..plans.importing import plans_import
    from ..standards.problems import InputError

    try:
        result = plans_import(actor=acting_user(args), path=Path(args.file))
    except InputError as exc:
        print(exc.report(args.lang), file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} lỗi, không có gì thay đổi / {count} problem(s), nothing was changed", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(result.summary())
    return 0


def cmd_plans_draft(args: argparse.Namespace) -> int:
    require_ready()
    from ..core.errors import ServiceError
    from ..plans.drafting import plan_draft_bulk

    unit = named_unit(args.unit)
    if unit is None:
        return EXIT_BAD_INPUT
    try:
        result = plan_draft_bulk(actor=acting_user(args), unit=unit, year=args.year)
    except ServiceError as exc:  # AccessDenied included
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(
        f"{result.households} hộ nghèo, cận nghèo; {result.created} kế hoạch dự thảo, {result.existing} đã có; "
        f"{result.supports} hỗ trợ gợi ý / {result.households} poor and near-poor households; {result.created} "
        f"plans drafted, {result.existing} already there; {result.supports} supports suggested"
    )
    return 0


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"năm YYYY / a year YYYY: {text!r}")
    return int(text)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plans", help="household exit plans: import a file, draft in bulk from causes")
    inner = p.add_subparsers(dest="plans_command", metavar="ACTION", required=True)
    q = inner.add_parser("import", help="plans from CSV/XLSX, all-or-nothing")
    q.add_argument("file", help="columns household_id, year, target_exit_year, group, organisation, helper, commitment")
    q.add_argument("--lang", choices=("vi", "en"), default="vi")
    q.set_defaults(func=cmd_plans_import)
    q = inner.add_parser("draft", help="a draft plan for every poor and near-poor household without one")
    q.add_argument("--unit", required=True, help="commune or province code")
    q.add_argument("--year", required=True, type=_year, help="the plan's year, YYYY")
    q.set_defaults(func=cmd_plans_draft)
