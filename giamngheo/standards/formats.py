"""Vietnamese number and date formats (1.500.000 đ, 05/03/2024), shared by CLI, web and PDFs.

Django's own `vi` locale reads 05/03/2024 as 3 May, so the project ships its own formats.
"""

from __future__ import annotations

import datetime as dt


def number_vi(value: int | float | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


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
