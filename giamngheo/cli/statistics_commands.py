"""mpi: Alkire-Foster measures from a 0/1 deprivation file, printed as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import polars as pl

from ..reports.alkire_foster import alkire_foster, exact
from ..standards.problems import InputError, Problem
from ..standards.reading import ROW, read_table


def _deprivations(path: str) -> tuple[pl.DataFrame, list[str]]:
    if not Path(path).is_file():
        raise InputError([Problem(path, None, None, "không tìm thấy tệp", "file not found")])
    frame = read_table(path)
    if "id" not in frame.columns:
        raise InputError([Problem(path, None, "id", "thiếu cột bắt buộc", "required column is missing")])
    indicators = [c for c in frame.columns if c not in ("id", ROW)]
    if not indicators:
        raise InputError([Problem(path, None, None, "không có cột chỉ số nào", "no indicator columns")])
    problems = []
    typed = frame.with_columns([pl.col(c).cast(pl.String).str.strip_chars().alias(c) for c in indicators])
    for c in indicators:
        bad = typed.filter(~pl.col(c).is_in(["0", "1"]) | pl.col(c).is_null())
        for row, value in bad.select(ROW, c).iter_rows():
            problems.append(
                Problem(path, row, c, f"cần 0 hoặc 1 ('{value or ''}')", f"expected 0 or 1 ('{value or ''}')")
            )
    if problems:
        raise InputError(problems)
    return typed.with_columns([pl.col(c).cast(pl.Int8) for c in indicators]), indicators


def cmd_mpi(args: argparse.Namespace) -> int:
    try:
        frame, indicators = _deprivations(args.deprivations)
        k = exact(args.k)
        weights = [w.strip() for w in args.weights.split(",")] if args.weights else None
        if weights is not None and len(weights) != len(indicators):
            raise InputError(
                [
                    Problem(
                        "--weights",
                        None,
                        None,
                        f"cần {len(indicators)} trọng số",
                        f"expected {len(indicators)} weights, one per indicator",
                    )
                ]
            )
        result = alkire_foster(frame, indicators, k, weights)
    except InputError as exc:
        print(exc.report(args.lang), file=sys.stderr)
        return 2
    except (ValueError, ArithmeticError) as exc:
        print(f"Tham số không hợp lệ / invalid argument: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("mpi", help="Alkire-Foster H, A, M0 from a 0/1 deprivation file (JSON)")
    p.add_argument("--deprivations", required=True, help="CSV with an id column and one 0/1 column per indicator")
    p.add_argument("--k", required=True, help="poverty cut-off as a share of the weighted indicators, 0 < k <= 1")
    p.add_argument("--weights", help="W1,W2,... one per indicator, normalised to sum to 1 (default equal)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.set_defaults(func=cmd_mpi, needs_django=False)
