"""What several commands read from their arguments, read one way: a date as the files write it, a
unit by its code (a bad one named in both languages, exit 2)."""

from __future__ import annotations

import argparse
import sys


def vi_date(text: str):
    """An argparse type: dd/mm/yyyy (or YYYY-MM-DD), as every file and paper writes dates."""
    from ..standards.formats import parse_date_vi

    try:
        return parse_date_vi(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"cần ngày dd/mm/yyyy / need a date dd/mm/yyyy: {text!r}") from None


def named_unit(code: str, when=None):
    """The unit of `code` as in force on `when` (a decision's date: the old communes before 1 July
    2025), else today's; None after saying on stderr that there is none."""
    from ..geo.selectors import unit_by_code

    unit = (unit_by_code(code, when) if when else None) or unit_by_code(code)
    if unit is None:
        print(f"Không có đơn vị mã '{code}' / unknown unit code '{code}'", file=sys.stderr)
    return unit
