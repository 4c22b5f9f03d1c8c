"""Vietnamese number and date formats (1.500.000 đ, 05/03/2024), shared by CLI, web and PDFs.

Django's own `vi` locale reads 05/03/2024 as 3 May, so the project ships its own formats.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation


def number_vi(value: int | float | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def decimal_vi(value: Decimal | float | int | None) -> str:
    """46,6 (not 46.60): a decimal comma, thousands' dots, no trailing zeros."""
    if value is None:
        return "—"
    number = Decimal(str(value)).normalize()
    places = max(0, -int(number.as_tuple().exponent))
    return number_vi(float(number), places) if abs(number) < 10**15 else str(number)


# "1.046" and "1.046.000" group thousands; "46.6" and "46.60" are a decimal point typed on a phone
_GROUPED = re.compile(r"-?\d{1,3}(\.\d{3})+")


def parse_decimal_vi(text: str) -> Decimal:
    """A decimal as typed: 46,6 or 46.6 (both 46.6), 1.046,5 (1046.5), 1.046 (1046). A localized
    field would drop the dot of 46.6 as a thousands' separator and read 466."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".", 1) if cleaned.count(",") == 1 else ""
    elif _GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    if not number.is_finite():
        raise ValueError(f"not a number: {text!r}")
    return number


# đồng grouped by three with dots or spaces (1.500.000, 1 500 000), or not grouped (1500000)
_DONG = re.compile(r"-?(\d{1,3}(?:\.\d{3})+|\d{1,3}(?: \d{3})+|\d+)")


def parse_dong_vi(text: str) -> int:
    """Whole đồng as typed: 1.500.000, 1 500 000 (a space or a no-break space between groups of three),
    1500000, with or without " đ". A decimal dot or comma (150000.00, 1.5, 1,5) is refused rather than
    read: deleting every dot turned "150000.00" into 15.000.000 đ (issue #16, tester 06/12/2026)."""
    cleaned = re.sub(r"[\u00a0\u202f\u2009]", " ", text).strip().removesuffix("đ").strip()
    if not _DONG.fullmatch(cleaned):
        raise ValueError(f"not a whole number of đồng: {text!r}")
    return int(cleaned.replace(".", "").replace(" ", ""))


def vnd(value: int | float | None) -> str:
    return "—" if value is None else f"{number_vi(value)} đ"


def date_vi(value: dt.date | None) -> str:
    return "—" if value is None else value.strftime("%d/%m/%Y")


def parse_date_vi(text: str) -> dt.date:
    """dd/mm/yyyy first (the Vietnamese order), then ISO yyyy-mm-dd."""
    text = text.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a legal date, no time)
        except ValueError:
            continue
    raise ValueError(f"not a date (dd/mm/yyyy or yyyy-mm-dd): {text!r}")
