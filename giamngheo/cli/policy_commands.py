"""eligible: who a support policy reaches on a date (issue #16), as a CSV or XLSX list."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .admin_commands import acting_user, require_ready
from .arguments import named_unit, vi_date

EXIT_BAD_INPUT = 2


def cmd_eligible(args: argparse.Namespace) -> int:
    require_ready()
    from ..core.errors import ServiceError
    from ..policies.catalogue import PolicyError
    from ..policies.listing import eligible_export

    unit = named_unit(args.unit)
    if unit is None:
        return EXIT_BAD_INPUT
    try:
        rows = eligible_export(
            actor=acting_user(args), policy_id=args.policy, unit=unit, on=args.on, output=Path(args.output)
        )
    except (ServiceError, PolicyError) as exc:  # AccessDenied and a future date included
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{rows} dòng / rows → {args.output}")
    return 0


def cmd_gaps(args: argparse.Namespace) -> int:
    require_ready()
    from ..core.errors import ServiceError
    from ..policies.catalogue import PolicyError
    from ..policies.listing import finding_export

    kind = "wrong_target" if args.wrong_target else "overlaps" if args.overlaps else "gaps"
    if kind != "overlaps" and not args.policy:
        print("Cần --policy / --policy is needed (only --overlaps may go without)", file=sys.stderr)
        return EXIT_BAD_INPUT
    unit = named_unit(args.unit)
    if unit is None:
        return EXIT_BAD_INPUT
    try:
        found = finding_export(
            actor=acting_user(args), kind=kind, policy_id=args.policy, unit=unit, on=args.on, output=Path(args.output)
        )
    except (ServiceError, PolicyError) as exc:  # AccessDenied and a future date included
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(found.note if args.lang == "vi" else found.note.en)
    print(f"{found.frame.height} dòng / rows → {args.output}")
    return 0


def cmd_benefits_import(args: argparse.Namespace) -> int:
    require_ready()
    from ..core.errors import AccessDenied
    from ..policies.deliveries import deliveries_import
    from ..standards.problems import InputError

    unit = None
    if args.unit:
        unit = named_unit(args.unit)
        if unit is None:
            return EXIT_BAD_INPUT
    try:
        result = deliveries_import(actor=acting_user(args), policy_id=args.policy, path=Path(args.file), unit=unit)
    except AccessDenied as exc:  # --unit not wholly the actor's for this policy: nothing read
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except InputError as exc:
        print(exc.report(args.lang), file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} lỗi, không có gì thay đổi / {count} problem(s), nothing was changed", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(result.summary())
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eligible", help="who a support policy reaches on a date: FILE.csv or FILE.xlsx")
    p.add_argument("--policy", required=True, help="a policy id of policies/data (bhyt, vay-ho-ngheo, ...)")
    p.add_argument("--unit", required=True, help="commune or province code")
    p.add_argument("--on", required=True, type=vi_date, help="the date, dd/mm/yyyy or YYYY-MM-DD (today or past)")
    p.add_argument("--output", required=True, help="FILE.csv or FILE.xlsx")
    p.set_defaults(func=cmd_eligible)

    p = sub.add_parser(
        "gaps", help="the eligible with no benefit in the policy's period (or wrong targets, overlaps): FILE"
    )
    p.add_argument("--policy", help="a policy id of policies/data (needed but for --overlaps)")
    p.add_argument("--unit", required=True, help="commune or province code")
    p.add_argument(
        "--on",
        required=True,
        type=vi_date,
        help="the date, dd/mm/yyyy or YYYY-MM-DD; the policy's period is the one around it",
    )
    p.add_argument("--output", required=True, help="FILE.csv or FILE.xlsx")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--wrong-target", action="store_true", help="benefits of the period to the not eligible")
    which.add_argument("--overlaps", action="store_true", help="two policies of one exclusivity group in its window")
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.set_defaults(func=cmd_gaps)

    p = sub.add_parser("benefits", help="the benefit ledger: import an agency's delivery list")
    inner = p.add_subparsers(dest="benefits_command", metavar="ACTION", required=True)
    q = inner.add_parser("import", help="a delivery list (CSV/XLSX) as benefits of one policy, all-or-nothing")
    q.add_argument("--policy", required=True, help="a policy id of policies/data")
    q.add_argument("--unit", help="commune, district or province code: only its households, all of it yours")
    q.add_argument("file", help="columns household_id, member_id, national_id, date, quantity, amount_vnd, evidence")
    q.add_argument("--lang", choices=("vi", "en"), default="vi")
    q.set_defaults(func=cmd_benefits_import)
