"""classify, explain and compare: the standards engine on contract files, no database needed."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import polars as pl

from ..geo.unit_tables import unit_areas
from ..standards import InputError, Problem, UnknownStandardError, classify, resolve_standard
from ..standards.compare import compare_results
from ..standards.contract import CATEGORY_LABELS
from ..standards.engine import READS
from ..standards.explain import explain_row
from ..standards.reading import read_table
from .output import SUPPORTED, write_table

EXIT_BAD_INPUT = 2


def add_input_options(parser: argparse.ArgumentParser, *, standard: bool = True) -> None:
    if standard:
        parser.add_argument(
            "--standard", default="auto", help="vn-2016-2020, vn-2022-2025, vn-2027-2030 or auto (in force on --as-of)"
        )
    parser.add_argument("--as-of", required=True, help="reference date YYYY-MM-DD (ngày tham chiếu)")
    parser.add_argument("--households", required=True, help="households file (.csv, .parquet, .xlsx)")
    parser.add_argument("--members", help="members file; defaults to the 'members' sheet of an .xlsx")
    parser.add_argument("--lang", choices=("vi", "en"), default="vi")


def _parse_as_of(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(
            [
                Problem(
                    "--as-of",
                    None,
                    None,
                    f"ngày không hợp lệ '{text}' (cần YYYY-MM-DD)",
                    f"malformed date '{text}' (expected YYYY-MM-DD)",
                )
            ]
        ) from exc


def _read_inputs(args: argparse.Namespace) -> tuple[pl.DataFrame, pl.DataFrame, tuple[str, str]]:
    problems = []
    members_path = args.members or args.households
    for path in {args.households, members_path}:
        if not Path(path).is_file():
            problems.append(Problem(path, None, None, "không tìm thấy tệp", "file not found"))
    if problems:
        raise InputError(problems)
    households = read_table(args.households, "households", columns=READS)
    members = read_table(members_path, "members", columns=READS)
    return households, members, (args.households, members_path)


def run_classification(args: argparse.Namespace, standard: str, explain: bool = True) -> pl.DataFrame:
    as_of = _parse_as_of(args.as_of)
    households, members, labels = _read_inputs(args)
    return classify(households, members, standard, as_of, unit_areas=unit_areas(as_of), explain=explain, labels=labels)


def report_failure(exc: Exception, lang: str) -> int:
    if isinstance(exc, InputError):
        print(exc.report(lang), file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} lỗi, không ghi tệp kết quả / {count} problem(s), no output written", file=sys.stderr)
    else:
        print(str(exc), file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_classify(args: argparse.Namespace) -> int:
    if Path(args.output).suffix.lower() not in SUPPORTED:
        print(
            f"--output phải là .csv, .parquet hoặc .xlsx / --output must end in {', '.join(SUPPORTED)}", file=sys.stderr
        )
        return EXIT_BAD_INPUT
    try:
        result = run_classification(args, args.standard)
    except (InputError, UnknownStandardError) as exc:
        return report_failure(exc, args.lang)
    write_table(result, args.output)
    counts = result.group_by("category").len()
    summary = ", ".join(
        f"{CATEGORY_LABELS[c][0 if args.lang == 'vi' else 1]}: {n}" for c, n in counts.sort("category").iter_rows()
    )
    print(f"{result.height} hộ / households → {args.output} ({summary})")
    return 0


def _member_names(args: argparse.Namespace) -> dict[str, str]:
    members = read_table(args.members or args.households, "members")
    if "full_name" not in members.columns:
        return {}
    pairs = members.select(pl.col("member_id").cast(pl.String), pl.col("full_name").cast(pl.String)).drop_nulls()
    return dict(pairs.iter_rows())


def cmd_explain(args: argparse.Namespace) -> int:
    try:
        result = run_classification(args, args.standard)
        standard = resolve_standard(args.standard, _parse_as_of(args.as_of))
    except (InputError, UnknownStandardError) as exc:
        return report_failure(exc, args.lang)
    row = result.filter(pl.col("household_id") == args.household)
    if row.is_empty():
        print(f"Không có hộ '{args.household}' / no household '{args.household}'", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(explain_row(row.row(0, named=True), standard, args.lang, _member_names(args)))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    ids = [s.strip() for s in args.standards.split(",") if s.strip()]
    if len(ids) != 2:
        print(
            "--standards cần đúng hai chuẩn, ví dụ vn-2022-2025,vn-2027-2030 / --standards takes exactly two ids",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    try:
        before, after = (run_classification(args, s, explain=False) for s in ids)
    except (InputError, UnknownStandardError) as exc:
        return report_failure(exc, args.lang)
    moves, by_unit = compare_results(before, after)
    _print_compare(ids, moves, by_unit, args.lang)
    return 0


def _print_compare(ids: list[str], moves: pl.DataFrame, by_unit: pl.DataFrame, lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..standards.formats import number_vi

    console = Console()
    vi = lang == "vi"
    label = {c: v[0 if vi else 1] for c, v in CATEGORY_LABELS.items()}
    table = Table(title=("Hộ chuyển loại" if vi else "Households moving between categories") + f": {ids[0]} → {ids[1]}")
    for header in (ids[0], ids[1], "Số hộ" if vi else "Households"):
        table.add_column(header)
    for a, b, n in moves.iter_rows():
        table.add_row(label[a], label[b], number_vi(n), style=None if a == b else "bold")
    console.print(table)
    moved = moves.filter(pl.col("from") != pl.col("to")).get_column("households").sum()
    console.print(("Tổng số hộ chuyển loại" if vi else "Households changing category") + f": {number_vi(moved)}")
    units = Table(title="Theo xã/phường" if vi else "By commune")
    for header in (
        "admin_code",
        f"poor {ids[0]}",
        f"near_poor {ids[0]}",
        f"poor {ids[1]}",
        f"near_poor {ids[1]}",
        "households",
    ):
        units.add_column(header)
    for row in by_unit.select(
        "admin_code", "poor_before", "near_poor_before", "poor_after", "near_poor_after", "households"
    ).iter_rows():
        units.add_row(row[0], *[number_vi(v) for v in row[1:]])
    console.print(units)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("classify", help="classify households under a standard (phân loại hộ)")
    add_input_options(p)
    p.add_argument("--output", required=True, help="result file: .csv, .parquet or .xlsx")
    p.set_defaults(func=cmd_classify, needs_django=False)

    p = sub.add_parser("explain", help="explain one household's result in words (giải thích)")
    add_input_options(p)
    p.add_argument("--household", required=True, help="household_id")
    p.set_defaults(func=cmd_explain, needs_django=False)

    p = sub.add_parser("compare", help="compare two standards on the same households (so sánh chuẩn)")
    p.add_argument("--standards", required=True, help="two ids, e.g. vn-2022-2025,vn-2027-2030")
    add_input_options(p, standard=False)
    p.set_defaults(func=cmd_compare, needs_django=False)
