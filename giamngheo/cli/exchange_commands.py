"""import and export: the registry in and out in the data contract."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .admin_commands import acting_user, require_ready
from .arguments import named_unit

EXIT_BAD_INPUT = 2


def cmd_import(args: argparse.Namespace) -> int:
    require_ready()
    from ..exchange.importing import import_files
    from ..standards.problems import InputError

    households = Path(args.file or args.households or "")
    if not (args.file or args.households):
        print(
            "Cần --households (và --members) hoặc một tệp .xlsx / give --households (and --members) or one .xlsx file",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    try:
        result = import_files(
            actor=acting_user(args), households=households, members=Path(args.members) if args.members else None
        )
    except InputError as exc:
        print(exc.report(args.lang), file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} lỗi, không có gì thay đổi / {count} problem(s), nothing was changed", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(result.summary())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    require_ready()
    from ..core.errors import AccessDenied, ServiceError
    from ..exchange.exporting import export_unit

    unit = named_unit(args.unit)
    if unit is None:
        return EXIT_BAD_INPUT
    try:
        reason = args.reason or "xuất từ dòng lệnh, không nêu lý do / command-line export, no reason given"
        if not args.reason:
            print("Lưu ý: nên ghi lý do bằng --reason / note: give a reason with --reason", file=sys.stderr)
        if args.kind == "registry":
            households, members = export_unit(
                actor=acting_user(args), unit=unit, output=Path(args.output), reason=reason
            )
            print(f"{households} hộ, {members} thành viên → {args.output}")
        else:
            from ..exchange.exporting import export_partner

            rows = export_partner(
                actor=acting_user(args), unit=unit, output=Path(args.output), kind=args.kind, reason=reason
            )
            print(f"{rows} dòng / rows → {args.output}")
    except (AccessDenied, ServiceError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from ..exchange.template import write_template

    print(f"Mẫu nhập liệu / template → {write_template(Path(args.output))}")
    return 0


def cmd_survey_form(args: argparse.Namespace) -> int:
    """Without --round no database is needed; with it, the form is the round's (its standard, not today's)."""
    if args.round is None:
        from ..exchange.survey_form import write_form_b

        print(f"XLSForm Phiếu B → {write_form_b(Path(args.output), args.standard)}")
        return 0
    from .main import setup_django

    setup_django()
    require_ready()
    from ..core.errors import AccessDenied
    from ..exchange.survey_form import write_round_form_b
    from ..review.selectors import round_get

    try:
        review_round = round_get(acting_user(args), args.round)
    except AccessDenied:
        print(f"Không có đợt rà soát {args.round} / no round {args.round}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"XLSForm Phiếu B → {write_round_form_b(Path(args.output), review_round)}")
    return 0


def cmd_submissions(args: argparse.Namespace) -> int:
    require_ready()
    from ..core.errors import AccessDenied
    from ..exchange.submissions import read_csv_pair, read_json, submissions_import
    from ..review.selectors import round_get
    from ..standards.problems import InputError

    actor = acting_user(args)
    try:
        review_round = round_get(actor, args.round)
        if args.file:
            households, members = read_json(Path(args.file))
            labels = (args.file, f"{args.file}[members]")
        else:
            households, members = read_csv_pair(Path(args.submissions), Path(args.repeat))
            labels = (args.submissions, args.repeat)
        count = submissions_import(
            actor=actor, review_round=review_round, households=households, members=members, labels=labels
        )
    except InputError as exc:
        print(exc.report(args.lang), file=sys.stderr)
        print(f"{len(exc.problems)} lỗi, không có gì thay đổi / problem(s), nothing was changed", file=sys.stderr)
        return EXIT_BAD_INPUT
    except AccessDenied:
        print(f"Không có đợt rà soát {args.round} / no round {args.round}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{count} Phiếu B đã nhập / Form B submissions imported")
    return 0


def _export_files(args: argparse.Namespace) -> list[Path]:
    """A registry export to a folder writes two CSV files in it; every other export, the one file."""
    out = Path(args.output)
    if args.kind == "registry" and out.suffix.lower() != ".xlsx":
        return [out / "households.csv", out / "members.csv"]
    return [out]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("submissions", help="import ODK/Kobo Form B submissions into a review round (all-or-nothing)")
    p.add_argument("file", nargs="?", help="JSON export (members as a list under 'members')")
    p.add_argument("--round", type=int, required=True)
    p.add_argument("--submissions", help="CSV export: the main file")
    p.add_argument("--repeat", help="CSV export: the members repeat file (PARENT_KEY or _parent_index)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.set_defaults(func=cmd_submissions)

    p = sub.add_parser("survey-form", help="write the offline Form B as an XLSForm (ODK Collect, KoboToolbox)")
    p.add_argument("--output", required=True)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--standard", default="auto", help="a standard id, or auto: the one in force today")
    which.add_argument("--round", type=int, help="a review round's id: the standard that round classifies under")
    p.set_defaults(func=cmd_survey_form, needs_django=False)

    p = sub.add_parser("template", help="write the Excel import template (Vietnamese headers, dropdowns)")
    p.add_argument("--output", required=True)
    p.set_defaults(func=cmd_template, needs_django=False)

    p = sub.add_parser("import", help="import households and members (all-or-nothing, upsert by household_id)")
    p.add_argument("file", nargs="?", help="one .xlsx with sheets households and members")
    p.add_argument("--households", help="households file (.csv, .parquet, .xlsx)")
    p.add_argument("--members", help="members file")
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="export a unit's registry: FILE.xlsx, or a folder of CSV files")
    p.add_argument("--unit", required=True, help="commune or province code")
    p.add_argument("--output", required=True, help="FILE.xlsx, or a folder for households.csv and members.csv")
    p.add_argument("--reason", default="", help="why personal data leave the system (logged)")
    p.add_argument(
        "--kind",
        choices=("registry", "population", "payment"),
        default="registry",
        help="registry (data contract), population (national id exchange file), payment (partners)",
    )
    p.set_defaults(func=cmd_export, output_files=_export_files)
